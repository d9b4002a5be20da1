import "server-only";
import { anchorSelector, segmentHighlights, type TextSegment } from "@/lib/text/anchoring";
import { codePointLength } from "@/lib/text/code-points";
import { getNoteOverlayData, getPublicNoteOverlayData, type NoteOverlayData } from "./data";
import type { Layers } from "./schema";

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
};

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
  const texts = new Map(article.paragraphs.map((p) => [p.id, p.text]));
  const ranges = new Map<string, { start: number; end: number; noteId: string; tag: string | null }[]>();
  const orphanIds: string[] = [];
  for (const highlight of data.highlights) {
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
  return { counts: data.counts, openQuestions: data.openQuestions ?? {}, unread: data.unread ?? {}, segments, orphanIds };
}
