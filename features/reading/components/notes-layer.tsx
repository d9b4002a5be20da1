"use client";

import { useLocale, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { TextMode } from "@/features/articles/types";
import { LiveNotes, useLiveFeed } from "@/features/live/components/live-notes";
import { hasSignedInHint } from "@/lib/session-cookie";
import { HeatMap } from "./heat-map";
import { useReadingPosition } from "./reading-position";
import {
  HighlightRepaintContext,
  NotesContext,
  type DiscussionProps,
  type HighlightRepaintState,
  type NotesContextValue,
  type PanelState,
  type ParagraphRef,
} from "@/features/notes/components/notes-context";
import type { PassageChangedNote } from "@/features/revisions/types";
import "@/features/notes/components/notes.css";
import type { ReaderState } from "../types";

// The panel (and Markdown rendering) load only when a reader opens notes: signed-out readers
// who never do keep the lighter page. React.lazy rather than next/dynamic: React already ships
// it, next/dynamic adds ~2 KB to the reader's first load (issue 15's budget). Neither renders on
// the server: the panel only exists once a reader opens it.
const NotesPanel = lazy(() => import("@/features/notes/components/notes-panel").then((m) => ({ default: m.NotesPanel })));
// Loaded with the "All notes" panel that shows it, not with the page (it brings an unzipper).
const ExportNotes = lazy(() => import("@/features/note-export/components/export-notes").then((m) => ({ default: m.ExportNotes })));
// Highlight / Annotate next to a selection: loaded at the first selection in the article's text.
const SelectionPopover = lazy(() => import("@/features/notes/components/selection-popover").then((m) => ({ default: m.SelectionPopover })));
// Only signed-in readers have layers to switch, and only some pages have changed passages.
const LayerSwitcher = lazy(() => import("./layer-switcher").then((m) => ({ default: m.LayerSwitcher })));
const PassageChangedNotes = lazy(() => import("@/features/revisions/components/passage-changed-notes").then((m) => ({ default: m.PassageChangedNotes })));

// The notes API client, fetched with the first call that needs it (a signed-in reader's state, a
// highlight redrawn, a #note- link): a signed-out reader who only reads never loads it.
const loadNotesApi = () => import("@/features/notes/components/notes-client").then((m) => m.notesApi);

const VISIBILITY_KEY = "taiyaku.note-visibility";

const noRepaint: HighlightRepaintState = { scope: "server", runs: {} };

export function NotesLayer({
  slug,
  mode,
  counts: pageCounts,
  openQuestions: pageOpenQuestions,
  renderedAt,
  paragraphs,
  passageChanged: pagePassageChanged = [],
  children,
}: {
  slug: string;
  mode: TextMode;
  /** The cached page's public counts and open questions: a signed-in reader's own replace them. */
  counts: Record<string, number>;
  openQuestions: Record<string, number>;
  /** When the server rendered this (cached) page, ms since the epoch. */
  renderedAt: number;
  paragraphs: ParagraphRef[];
  /** The cached page's public "notes whose passage changed": a signed-in reader's own list replaces them. */
  passageChanged?: PassageChangedNote[];
  children: ReactNode;
}) {
  const t = useTranslations("Notes");
  const locale = useLocale();
  const router = useRouter();
  const [panel, setPanel] = useState<PanelState>(null);
  const [deltas, setDeltas] = useState<Record<string, number>>({});
  const [visibility, setVisibilityState] = useState<string>("public");
  const [announcement, setAnnouncement] = useState("");
  const [state, setState] = useState<ReaderState | null>(null);
  const [viewerPending, setViewerPending] = useState(false);
  const [repaint, setRepaint] = useState<HighlightRepaintState>(noRepaint);
  // Read by loadState without making it change identity on every redraw.
  const redrawn = useRef<string[]>([]);
  useEffect(() => {
    redrawn.current = Object.keys(repaint.runs);
  }, [repaint]);
  const serverCounts = state?.counts ?? pageCounts;
  const [baseCounts, setBaseCounts] = useState(serverCounts);
  const opener = useRef<HTMLElement | null>(null);
  const liveFeed = useLiveFeed(); // live updates (features/live)
  const viewer = state?.viewer ?? null;
  // "Continue reading at ¶N": once the reader's state says who they are (and their visit is recorded).
  useReadingPosition(slug, viewer !== null);

  // Fresh counts (the reader's state, or after a reload) already include the notes counted optimistically.
  if (baseCounts !== serverCounts) {
    setBaseCounts(serverCounts);
    setDeltas({});
  }

  const discussion = useMemo<DiscussionProps>(
    () =>
      state
        ? { openQuestions: state.openQuestions, unread: state.unread, groups: state.groups, layers: state.layers, suspension: state.suspension }
        : { openQuestions: pageOpenQuestions, unread: {}, groups: [], layers: "", suspension: null },
    [state, pageOpenQuestions],
  );

  // The page is the same cached HTML for everyone: a signed-in reader's own counts, highlights,
  // groups and layers come from the reader API (it also records the visit). A failed call leaves
  // the public page in place.
  const loadState = useCallback(async () => {
    // Paragraphs already redrawn after a write stay redrawn (the cached page may lag behind).
    const paragraphs = redrawn.current.slice(0, 50);
    const notesApi = await loadNotesApi();
    const result = await notesApi(locale, "").reading<ReaderState>(slug, { renderedAt, ...(paragraphs.length ? { paragraphs } : {}) });
    setViewerPending(false);
    // A failed call (offline, a server error) leaves the public page in place.
    if (!result.ok) return;
    setState(result.state);
    setRepaint(result.state ? { scope: result.state.highlights.scope, runs: result.state.highlights.runs } : noRepaint);
  }, [slug, locale, renderedAt]);

  useEffect(() => {
    if (!hasSignedInHint()) return;
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the cookie exists only in the browser
    setViewerPending(true);
    void loadState();
  }, [loadState]);

  const refreshHighlights = useCallback(
    async (ids: string | readonly string[]) => {
      const list = [...new Set(typeof ids === "string" ? [ids] : ids)].slice(0, 50);
      if (!list.length) return;
      const notesApi = await loadNotesApi();
      const result = await notesApi(locale, "").highlights<HighlightRepaintState["runs"]>(slug, list);
      // On failure the next page load draws them.
      if (!result.ok) return;
      const runs = result.highlights.runs;
      setRepaint((current) => ({ scope: current.scope === "server" ? "paragraphs" : current.scope, runs: { ...current.runs, ...runs } }));
    },
    [slug, locale],
  );

  // Remembered per article (a group discussion on one article, public notes on another); the
  // browser-wide key is the fallback from before. A group the reader left falls back to public.
  const groupIds = discussion.groups.map((g) => g.id).join(",");
  useEffect(() => {
    const stored = window.localStorage.getItem(`${VISIBILITY_KEY}:${slug}`) ?? window.localStorage.getItem(VISIBILITY_KEY);
    const valid = stored === "private" || stored === "public" || (stored?.startsWith("g:") && groupIds.split(",").includes(stored.slice(2)));
    // eslint-disable-next-line react-hooks/set-state-in-effect -- localStorage exists only after hydration
    if (stored && valid) setVisibilityState(stored);
  }, [slug, groupIds]);

  const counts = useMemo(() => {
    const merged = { ...serverCounts };
    for (const [id, delta] of Object.entries(deltas)) merged[id] = Math.max(0, (merged[id] ?? 0) + delta);
    return merged;
  }, [serverCounts, deltas]);

  const openParagraph = useCallback<NotesContextValue["openParagraph"]>((key, options) => {
    if (document.activeElement instanceof HTMLElement && !document.activeElement.closest(".notes-panel")) opener.current = document.activeElement;
    setPanel({ type: "paragraph", key, ...options });
  }, []);

  const value: NotesContextValue = {
    slug,
    mode,
    viewer,
    paragraphs,
    counts,
    adjustCount: (paragraphId, delta) => setDeltas((d) => ({ ...d, [paragraphId]: (d[paragraphId] ?? 0) + delta })),
    panel,
    openParagraph,
    openAll: () => {
      if (document.activeElement instanceof HTMLElement) opener.current = document.activeElement;
      setPanel({ type: "all" });
    },
    closePanel: () => {
      setPanel(null);
      opener.current?.focus();
    },
    refreshHighlights: (ids) => void refreshHighlights(ids),
    // Signed out, there is no state to fetch: the cached page is the whole truth.
    reloadState: () => (viewer ? loadState() : Promise.resolve(router.refresh())),
    viewerPending,
    signInHref: (key) => {
      const next = `${window.location.pathname}${window.location.search}${key ? `#${key}` : window.location.hash}`;
      return `/${locale}/sign-in?next=${encodeURIComponent(next)}`;
    },
    visibility,
    setVisibility: (v) => {
      setVisibilityState(v);
      window.localStorage.setItem(`${VISIBILITY_KEY}:${slug}`, v);
    },
    discussion,
    announce: (message) => {
      setAnnouncement("");
      requestAnimationFrame(() => setAnnouncement(message));
    },
    live: liveFeed,
  };

  // Deep links: #note-<id> opens that note's paragraph thread with the note scrolled into view.
  useEffect(() => {
    const openFromHash = async () => {
      const match = window.location.hash.match(/^#note-([0-9a-f-]{36})$/i);
      if (!match) return;
      const notesApi = await loadNotesApi();
      const result = await notesApi(locale, t("errors.network")).get(match[1]!);
      if (result.ok) setPanel({ type: "paragraph", key: result.note.paragraphKey, noteId: result.note.id });
    };
    void openFromHash();
    window.addEventListener("hashchange", openFromHash);
    return () => window.removeEventListener("hashchange", openFromHash);
  }, [locale, t]);

  // Clicking a highlight opens its paragraph's thread at the newest note covering that spot
  // (keyboard users reach the same thread through the margin marker).
  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      const mark = (event.target as Element | null)?.closest?.<HTMLElement>("mark.hl");
      if (!mark || !window.getSelection()?.isCollapsed) return;
      const key = mark.closest<HTMLElement>("[data-paragraph-key]")?.dataset.paragraphKey;
      // A run covered by one note opens at that note; overlapping ones open the whole thread.
      if (key) openParagraph(key, mark.dataset.noteId ? { noteId: mark.dataset.noteId } : undefined);
    };
    document.addEventListener("click", onClick);
    return () => document.removeEventListener("click", onClick);
  }, [openParagraph]);

  // The selection popover's code loads at the first selection inside a paragraph's text; it then
  // offers itself for that selection (it reads the current one when it mounts).
  const [selecting, setSelecting] = useState(false);
  useEffect(() => {
    if (selecting) return;
    const onChange = () => {
      const node = window.getSelection()?.isCollapsed === false ? window.getSelection()?.anchorNode : null;
      const element = node ? (node.nodeType === Node.ELEMENT_NODE ? (node as Element) : node.parentElement) : null;
      if (element?.closest("[data-text-locale]")) setSelecting(true);
    };
    document.addEventListener("selectionchange", onChange);
    // Text selected before hydration fired its selectionchange before anyone listened.
    onChange();
    return () => document.removeEventListener("selectionchange", onChange);
  }, [selecting]);

  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  const passageChanged = state?.passageChanged ?? pagePassageChanged;

  return (
    <NotesContext.Provider value={value}>
      <div className={panel ? "notes-layer notes-layer-open" : "notes-layer"}>
        <HeatMap />
        <div className="notes-toolbar">
          <button type="button" className="button-secondary all-notes-button" onClick={value.openAll} aria-expanded={panel?.type === "all"}>
            {t("allNotes")} <span className="count-badge">{total}</span>
          </button>
          {viewer && (
            <Suspense fallback={null}>
              <LayerSwitcher groups={discussion.groups} layers={discussion.layers} />
            </Suspense>
          )}
        </div>
        <HighlightRepaintContext.Provider value={repaint}>{children}</HighlightRepaintContext.Provider>
        {passageChanged.length > 0 && (
          <Suspense fallback={null}>
            <PassageChangedNotes slug={slug} notes={passageChanged} />
          </Suspense>
        )}
        {selecting && (
          <Suspense fallback={null}>
            <SelectionPopover />
          </Suspense>
        )}
        <LiveNotes feed={liveFeed} />
        {panel && (
          <Suspense fallback={null}>
            <NotesPanel
              allNotesFooter={
                viewer ? (
                  <Suspense fallback={null}>
                    <ExportNotes article={slug} groups={discussion.groups} headingLevel={3} context="article" />
                  </Suspense>
                ) : null
              }
            />
          </Suspense>
        )}
        <p className="visually-hidden" role="status" aria-live="polite">
          {announcement}
        </p>
      </div>
    </NotesContext.Provider>
  );
}
