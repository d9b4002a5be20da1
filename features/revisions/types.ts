import type { RevisionDiff } from "@/lib/content/revision-diff";

// What the revision history page and the reader's "notes whose passage changed" show. Plain,
// serialisable objects (ISO date strings): the second one travels in the reader-state JSON.

/** One published revision, as the history lists it (no snapshot: those are read two at a time). */
export type RevisionListItem = {
  number: number;
  /** null: the import command or the seed, which have no signed-in user. */
  authorName: string | null;
  createdAt: string;
  summary: string;
};

export type HistoryArticle = {
  id: string;
  slug: string;
  groupId: string | null;
  originalLocale: string;
  /** The live text's revision number (0 before the first publish). */
  revision: number;
  titles: Partial<Record<"en" | "ja", string>>;
};

/** Two revisions compared: `from` is the older one. */
export type RevisionComparison =
  | { state: "diff"; from: number; to: number; diff: RevisionDiff }
  /** Only the first revision exists, or the first one was chosen alone: nothing to compare it with. */
  | { state: "first"; to: number }
  /** The same revision was chosen twice. */
  | { state: "same"; to: number }
  | { state: "none" };

export type RevisionHistory = {
  article: HistoryArticle;
  revisions: RevisionListItem[];
  comparison: RevisionComparison;
};

/**
 * A note whose passage a revision changed so that it could not be re-anchored, or whose paragraph
 * a revision removed: listed under the text, never drawn as a highlight (its position is no
 * longer valid), never dropped.
 */
export type PassageChangedNote = {
  id: string;
  kind: "comment" | "annotation";
  /** The language of the text it was written against (its quote is in this language). */
  locale: string;
  body: string;
  /** The passage it was about, as it read then (annotations). */
  quote: string | null;
  author: { id: string; name: string };
  createdAt: string;
  visibility: "public" | "private" | "group";
  groupName: string | null;
  /** Hidden or pending notes reach only their author here, as everywhere. */
  status: "visible" | "pending" | "hidden";
  /** The revision it was written on; null: written before the article had revisions. */
  writtenOn: number | null;
  /** The revision that changed (or removed) its passage; null when unknown. */
  changedIn: number | null;
  paragraphKey: string;
  /** Its paragraph is no longer in the text. */
  paragraphRemoved: boolean;
  replyCount: number;
};
