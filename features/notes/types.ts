import type { TextSegment } from "@/lib/text/anchoring";

// Zod-free constants: client components import them from here (check:features keeps zod, and
// so schema.ts, out of the browser); schema.ts builds its schemas on them.
export const noteTags = ["question", "vocabulary", "translation", "insight"] as const;
export type NoteTag = (typeof noteTags)[number];
export const noteKinds = ["comment", "annotation"] as const;
export type NoteKind = (typeof noteKinds)[number];
export const noteVisibilities = ["private", "public", "group"] as const;
export type NoteVisibility = (typeof noteVisibilities)[number];
export const textLocales = ["en", "ja"] as const;

export const MAX_BODY_LENGTH = 10_000;
/** Longest passage one annotation may quote (a whole paragraph fits). */
export const MAX_QUOTE_LENGTH = 4_000;

// The notes' DTOs: what the API answers and the client components render. Here, not in data.ts,
// so a client component never imports a server module for a type.

export type NoteDto = {
  id: string;
  articleId: string;
  paragraphId: string;
  paragraphKey: string;
  parentId: string | null;
  rootId: string | null;
  depth: number;
  kind: NoteKind;
  locale: string;
  visibility: NoteVisibility;
  group: { id: string; name: string } | null;
  tag: NoteTag | null;
  /** null once deleted: the placeholder keeps replies in place without the removed text. */
  body: string | null;
  deleted: boolean;
  /** visible, or (seen only by the author) pending approval / hidden by a moderator. */
  status: "visible" | "pending" | "hidden";
  /** A placeholder for a note a moderator hid or removed (its content is not sent). */
  moderated: boolean;
  /** The thread takes no new replies. */
  locked: boolean;
  quote: { exact: string; prefix: string; suffix: string; start: number; end: number } | null;
  author: { id: string; name: string };
  createdAt: string;
  editedAt: string | null;
  version: number;
  revisionCount: number;
  replyCount: number;
  /** "Helpful" reactions, and whether the viewer gave one. */
  helpfulCount: number;
  helpfulByMe: boolean;
  /** The viewer flagged this note (a flag stays, resolved or not: one per reader and note). */
  flaggedByMe: boolean;
  /** For a question: the reply its author marked as the answer. */
  answeredById: string | null;
  /**
   * Present when a revision changed or removed the note's passage (the revision, when known):
   * the note is listed under "notes whose passage changed" and is no longer drawn in the text.
   */
  passageChangedIn?: number | null;
};

export type NoteRevisionDto = { version: number; body: string; tag: NoteTag | null; createdAt: string };

/** What the reader page needs to draw notes: counts, highlight runs per text, orphans. */
export type NoteOverlay = {
  counts: Record<string, number>;
  /** paragraphId → open questions (root notes tagged question, not yet answered). */
  openQuestions: Record<string, number>;
  /** paragraphId → notes by others since the viewer's previous visit. */
  unread: Record<string, number>;
  /** paragraphId → locale → runs over that text (code points); absent when no highlights. */
  segments: Record<string, Record<string, TextSegment[]>>;
  orphanIds: string[];
  /** When the notes were read: a cached page shows no write after it. */
  readAt: number;
};

/** Highlights the reader's page draws over the cached one (see getReaderOverlayData). */
export type HighlightRepaint = {
  /** "all": every cached highlight is replaced; "paragraphs": only those of the listed paragraphs. */
  scope: "paragraphs" | "all";
  /** paragraphId → locale → runs; a listed paragraph without a locale has no highlights there. */
  runs: Record<string, Record<string, TextSegment[]>>;
};
