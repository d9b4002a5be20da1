import "server-only";
import { anchorSelector, segmentHighlights } from "@/lib/text/anchoring";
import { codePointLength } from "@/lib/text/code-points";
import { getHighlightRows, getNoteOverlayData, getPublicNoteOverlayData, type NoteOverlayData, type RawHighlight } from "./data";
import type { Layers } from "@/lib/layers";
import type { HighlightRepaint, NoteOverlay } from "./types";

// Where the notes sit in the text: annotations re-anchored against the current text and flattened
// into highlight runs. The reader page draws them (features/reading) and the notes list uses the
// same anchoring to find orphans, so it is the notes feature's.

type ArticleTexts = { id: string; paragraphs: { id: string; text: Record<string, string> }[] };

/**
 * Re-anchors every visible annotation against the current text (position → exact quote → fuzzy
 * quote) and flattens them into runs. Anchors that fail are orphans: listed in the notes panel,
 * never dropped.
 */
export async function buildNoteOverlay(
  article: ArticleTexts,
  viewerId: string | null,
  options: { layers?: Layers | null; since?: Date | null } = {},
): Promise<NoteOverlay> {
  const data = viewerId ? await getNoteOverlayData(article.id, viewerId, options) : await getPublicNoteOverlayData(article.id);
  return overlayFromData(article, data);
}

export function overlayFromData(article: ArticleTexts, data: NoteOverlayData): NoteOverlay {
  const { segments, orphanIds } = anchorHighlights(article, data.highlights);
  return { counts: data.counts, openQuestions: data.openQuestions ?? {}, unread: data.unread ?? {}, segments, orphanIds, readAt: data.readAt };
}

/**
 * Anchors and flattens the highlights of these paragraphs (or every paragraph: scope "all") as
 * the viewer sees them. Every listed paragraph comes back, empty when it has none, so the page
 * clears marks that are gone.
 */
export async function buildHighlightRepaint(
  article: ArticleTexts,
  viewerId: string | null,
  options: { layers?: Layers | null; scope?: "paragraphs" | "all"; paragraphIds?: readonly string[] },
): Promise<HighlightRepaint> {
  const known = new Set(article.paragraphs.map((p) => p.id));
  const scope = options.scope ?? "paragraphs";
  const paragraphIds = [...new Set(options.paragraphIds ?? [])].filter((id) => known.has(id));
  const highlights = await getHighlightRows(article.id, viewerId, options.layers, scope === "all" ? "all" : paragraphIds);
  const { segments } = anchorHighlights(article, highlights);
  const runs: HighlightRepaint["runs"] = {};
  for (const id of [...paragraphIds, ...highlights.map((h) => h.paragraphId)]) if (known.has(id)) runs[id] = segments[id] ?? {};
  return { scope, runs };
}

function anchorHighlights(article: ArticleTexts, highlights: RawHighlight[]) {
  const texts = new Map(article.paragraphs.map((p) => [p.id, p.text]));
  const ranges = new Map<string, { start: number; end: number; noteId: string; tag: string | null }[]>();
  const orphanIds: string[] = [];
  for (const highlight of highlights) {
    const text = texts.get(highlight.paragraphId)?.[highlight.locale];
    const anchor = text === undefined ? null : anchorSelector(text, highlight);
    if (!anchor) {
      orphanIds.push(highlight.id);
      continue;
    }
    const key = `${highlight.paragraphId}\u0000${highlight.locale}`;
    let list = ranges.get(key);
    if (!list) ranges.set(key, (list = []));
    list.push({ start: anchor.start, end: anchor.end, noteId: highlight.id, tag: highlight.tag });
  }
  const segments: NoteOverlay["segments"] = {};
  for (const [key, list] of ranges) {
    const [paragraphId, locale] = key.split("\u0000") as [string, string];
    const text = texts.get(paragraphId)![locale]!;
    (segments[paragraphId] ??= {})[locale] = segmentHighlights(codePointLength(text), list);
  }
  return { segments, orphanIds };
}
