import type { HighlightRepaint } from "@/features/notes/types";
import type { PassageChangedNote } from "@/features/revisions/types";
import type { Suspension } from "@/lib/auth/viewer";

/** What a signed-in reader's page adds to the cached article page, fetched once it loads. */
export type ReaderState = {
  viewer: { id: string; name: string };
  counts: Record<string, number>;
  openQuestions: Record<string, number>;
  unread: Record<string, number>;
  highlights: HighlightRepaint;
  groups: { id: string; name: string }[];
  /** The active layers as the API takes them ("" = every layer). */
  layers: string;
  suspension: Suspension | null;
  /** Notes whose passage a revision changed, as this reader sees them (private and group ones included). */
  passageChanged: PassageChangedNote[];
};

/** Where a signed-in reader left an article: the paragraph's key and its position now (¶N). */
export type ContinueAt = { key: string; position: number };
