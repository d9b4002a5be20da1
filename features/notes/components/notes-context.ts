"use client";

import { createContext, useContext } from "react";
import type { TextMode } from "@/features/articles/schema";

export type Draft = { locale: string; start: number; end: number; exact: string };

export type PanelState =
  | { type: "paragraph"; key: string; noteId?: string; draft?: Draft; composeFocus?: boolean }
  | { type: "all" }
  | null;

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
};

export const NotesContext = createContext<NotesContextValue | null>(null);

export function useNotes(): NotesContextValue {
  const value = useContext(NotesContext);
  if (!value) throw new Error("useNotes() outside <NotesLayer>");
  return value;
}
