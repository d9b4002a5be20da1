"use client";

import { createContext, useContext } from "react";
import type { TextMode } from "@/features/articles/schema";
import type { NoteDto } from "../data";

export type Draft = { locale: string; start: number; end: number; exact: string };

export type PanelState =
  | { type: "paragraph"; key: string; noteId?: string; draft?: Draft; composeFocus?: boolean }
  | { type: "all" }
  | null;

/** Live updates (features/live): what happened elsewhere, already checked against this reader. */
export type LiveNoteUpdate =
  | { op: "created" | "updated" | "deleted" | "hidden"; id: string; paragraphId: string; paragraphKey: string; note?: NoteDto }
  | { op: "revoked"; groupId: string };
export type LiveNotesFeed = { subscribe: (listener: (update: LiveNoteUpdate) => void) => () => void };

export type ParagraphRef = { id: string; key: string; position: number };

/** Discussion data from the personal reader page (empty for signed-out readers). */
export type DiscussionProps = {
  openQuestions: Record<string, number>;
  unread: Record<string, number>;
  /** The viewer's groups: composer choices, layers, @mentions. */
  groups: { id: string; name: string }[];
  /** The active layers as sent to the API ("" = every layer). */
  layers: string;
  /** The viewer's suspension in force, if any: writing is replaced by its notice. */
  suspension?: { reason: string; endsAt: string | null } | null;
};

/** "public" | "private" | "g:<groupId>" */
export type VisibilityChoice = string;

export type NotesContextValue = {
  slug: string;
  mode: TextMode;
  viewer: { id: string; name: string } | null;
  paragraphs: ParagraphRef[];
  counts: Record<string, number>;
  adjustCount: (paragraphId: string, delta: number) => void;
  panel: PanelState;
  openParagraph: (key: string, options?: { noteId?: string; draft?: Draft; composeFocus?: boolean }) => void;
  openAll: () => void;
  closePanel: () => void;
  /** Server-rendered highlights change: re-render the (dynamic) page in place. */
  refreshHighlights: () => void;
  signInHref: (key?: string) => string;
  /** The last visibility chosen for this article, remembered per browser. */
  visibility: VisibilityChoice;
  setVisibility: (value: VisibilityChoice) => void;
  discussion: DiscussionProps;
  announce: (message: string) => void;
  /** Absent when live updates are off; the open thread subscribes to show new notes in place. */
  live?: LiveNotesFeed;
};

export const NotesContext = createContext<NotesContextValue | null>(null);

export function useNotes(): NotesContextValue {
  const value = useContext(NotesContext);
  if (!value) throw new Error("useNotes() outside <NotesLayer>");
  return value;
}
