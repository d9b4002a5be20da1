import type { NoteDto } from "@/features/notes/types";
import type { NoteEventOp } from "@/lib/live/listener";

/** One `note` event of the SSE stream, as the page receives it (client-safe). */
export type LiveNoteMessage = {
  id: string;
  op: NoteEventOp;
  paragraphId: string;
  paragraphKey: string;
  /** Lets the author's own tabs skip what they already applied optimistically. */
  authorId: string;
  /** The note as the subscriber may see it; absent for deleted/hidden tombstones. */
  note?: NoteDto;
};
