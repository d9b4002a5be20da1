"use client";

import { createContext, useContext } from "react";
import type { HighlightRun } from "@/components/annotated-text";
import type { TextMode } from "@/features/articles/types";
import type { NoteDto } from "../types";

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

/** Discussion data: open questions from the page; the rest from the reader's state (ADR 0012). */
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
  /** Highlights of these paragraphs changed: fetch them as this reader sees them and redraw. */
  refreshHighlights: (paragraphIds: string | readonly string[]) => void;
  /** Layers or group membership changed: fetch the reader's counts, highlights and groups again. */
  reloadState: () => Promise<void>;
  /** A signed-in reader's own state is still on its way: writing waits for it. */
  viewerPending: boolean;
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

/**
 * Highlights drawn by the browser over the cached page's: "server" keeps every server-rendered
 * run, "paragraphs" replaces the runs of the paragraphs in `runs`, "all" replaces every run
 * (paragraphs missing from `runs` have none). Its own context, so paragraphs re-render only
 * when highlights change, not when a panel opens.
 */
export type HighlightRepaintState = { scope: "server" | "paragraphs" | "all"; runs: Record<string, Record<string, HighlightRun[]>> };
export const HighlightRepaintContext = createContext<HighlightRepaintState>({ scope: "server", runs: {} });
