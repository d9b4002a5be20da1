import search from "approx-string-match";
import { codePointLength, codePointToUtf16, sliceCodePoints, utf16ToCodePoint } from "./code-points";

/** W3C TextQuoteSelector + TextPositionSelector for one paragraph's text (code points). */
export type TextSelector = { exact: string; prefix: string; suffix: string; start: number; end: number };
export type Anchor = { start: number; end: number; method: "position" | "quote" | "fuzzy" };

export const CONTEXT_LENGTH = 32;

/** The selectors for [start, end) (code points) of `text`, with 32 code points of context. */
export function describeRange(text: string, start: number, end: number): TextSelector {
  const length = codePointLength(text);
  const from = Math.max(0, Math.min(start, length));
  const to = Math.max(from, Math.min(end, length));
  return {
    exact: sliceCodePoints(text, from, to),
    prefix: sliceCodePoints(text, Math.max(0, from - CONTEXT_LENGTH), from),
    suffix: sliceCodePoints(text, to, Math.min(length, to + CONTEXT_LENGTH)),
    start: from,
    end: to,
  };
}

/**
 * Finds a selector in (possibly edited) text, in the order Hypothesis uses: the stored position
 * if the quote is still there, then the exact quote (the occurrence whose context fits best),
 * then an approximate match of the quote. Null means orphaned: the caller keeps the note and
 * lists it as such.
 */
export function anchorSelector(text: string, selector: TextSelector): Anchor | null {
  const { exact } = selector;
  if (!exact) return null;
  if (sliceCodePoints(text, selector.start, selector.end) === exact) {
    return { start: selector.start, end: selector.end, method: "position" };
  }

  const exactHits: number[] = [];
  for (let at = text.indexOf(exact); at !== -1; at = text.indexOf(exact, at + 1)) exactHits.push(at);
  if (exactHits.length) {
    const best = pickBest(text, selector, exactHits.map((start) => ({ start, end: start + exact.length, errors: 0 })));
    return { ...toCodePoints(text, best), method: "quote" };
  }

  // Up to a quarter of the quote may differ (a corrected typo, changed punctuation, a reworded
  // particle), but never so much that a short quote matches anything.
  const maxErrors = Math.min(32, Math.floor(exact.length / 4));
  if (maxErrors === 0) return null;
  const matches = search(text, exact, maxErrors);
  if (!matches.length) return null;
  const best = pickBest(text, selector, matches);
  return { ...toCodePoints(text, best), method: "fuzzy" };
}

type Candidate = { start: number; end: number; errors: number };

function pickBest(text: string, selector: TextSelector, candidates: Candidate[]): Candidate {
  const expected = codePointToUtf16(text, selector.start);
  let best = candidates[0]!;
  let bestScore = -Infinity;
  for (const candidate of candidates) {
    const before = text.slice(Math.max(0, candidate.start - selector.prefix.length), candidate.start);
    const after = text.slice(candidate.end, candidate.end + selector.suffix.length);
    const score =
      -candidate.errors * 4 +
      commonSuffix(before, selector.prefix) +
      commonPrefix(after, selector.suffix) -
      Math.abs(candidate.start - expected) / Math.max(1, text.length);
    if (score > bestScore) {
      bestScore = score;
      best = candidate;
    }
  }
  return best;
}

function toCodePoints(text: string, match: Candidate): { start: number; end: number } {
  return { start: utf16ToCodePoint(text, match.start), end: utf16ToCodePoint(text, match.end) };
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function commonSuffix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[a.length - 1 - i] === b[b.length - 1 - i]) i++;
  return i;
}

export type HighlightRange = { start: number; end: number; noteId: string; tag: string | null };
/**
 * A run of text drawn the same way. A run covered by one highlight names that note and its tag;
 * where highlights overlap, only the density band matters (2–3, 4–9, 10+), so the markup stays
 * bounded by the text even when thousands of notes overlap. `count` is the highest count in it.
 */
export type TextSegment = { start: number; end: number; count: number; band: number; topNoteId: string | null; tag: string | null };

export function densityBand(count: number): number {
  if (count <= 1) return count;
  if (count <= 3) return 2;
  if (count <= 9) return 4;
  return 10;
}

/**
 * Splits text (by code points) into runs, so overlapping highlights render as flat, non-nested
 * <mark>s. A sweep over sorted boundaries keeps it O(n log n); ranges are given oldest first.
 */
export function segmentHighlights(length: number, ranges: HighlightRange[]): TextSegment[] {
  type Event = { at: number; index: number; open: boolean };
  const events: Event[] = [];
  ranges.forEach((range, index) => {
    const start = Math.max(0, Math.min(range.start, length));
    const end = Math.max(0, Math.min(range.end, length));
    if (end <= start) return;
    events.push({ at: start, index, open: true }, { at: end, index, open: false });
  });
  events.sort((a, b) => a.at - b.at);
  const active = new Set<number>();
  const segments: TextSegment[] = [];
  let cursor = 0;
  let e = 0;
  while (cursor < length) {
    while (e < events.length && events[e]!.at <= cursor) {
      const event = events[e++]!;
      if (event.open) active.add(event.index);
      else active.delete(event.index);
    }
    const next = e < events.length ? Math.min(events[e]!.at, length) : length;
    const count = active.size;
    const band = densityBand(count);
    const only = count === 1 ? ranges[active.values().next().value!]! : null;
    const segment: TextSegment = { start: cursor, end: next, count, band, topNoteId: only?.noteId ?? null, tag: only?.tag ?? null };
    const previous = segments[segments.length - 1];
    if (previous && previous.band === band && previous.topNoteId === segment.topNoteId && previous.tag === segment.tag) {
      previous.end = next;
      previous.count = Math.max(previous.count, count);
    } else {
      segments.push(segment);
    }
    cursor = next;
  }
  return segments;
}
