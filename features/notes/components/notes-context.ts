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
  /** The last visibility chosen, remembered per browser. */
  visibility: "private" | "public";
  setVisibility: (value: "private" | "public") => void;
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
