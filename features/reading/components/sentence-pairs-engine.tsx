"use client";

import { useEffect, useRef, useState } from "react";
import { baseText, codePointOffsetOf, rangeOfCodePoints } from "@/components/text-offsets";
import { isSentenceKey, type ParagraphSentences, type PartnerText, type SentencePairsStart } from "./sentence-pairs";

type Cursor = { key: string; lang: "en" | "ja"; sentence: number };

const CURRENT = "sentence-current";
const PARTNER = "sentence-partner";

/**
 * Sentence pairs' engine (issue 15), loaded by ./sentence-pairs.tsx at the first pointing at a
 * sentence or the first Alt+↓ / Alt+↑, which it replays (`start`). Pointing at a sentence — or
 * moving to it by keyboard — highlights it and its translation in the other language. The
 * highlights are CSS Custom Highlights over ranges of the existing text: no element is added to
 * the paragraphs, so marks, ruby and selection offsets are untouched. Moving by keyboard in a
 * single-language text, where the partner is not on screen, hands the partner's text to the
 * caption bar (`onPartner`).
 */
export function SentencePairsEngine({
  sentences,
  primary,
  start,
  onPartner,
}: {
  sentences: Record<string, ParagraphSentences>;
  primary: "en" | "ja" | "both";
  start: SentencePairsStart;
  onPartner: (partner: PartnerText | null) => void;
}) {
  const [cursor, setCursor] = useState<Cursor | null>(null);
  const keyboard = useRef(false);
  const cursorRef = useRef<Cursor | null>(null);

  useEffect(() => {
    let frame = 0;
    const point = (x: number, y: number) => {
      const found = sentenceAtPoint(x, y, sentences);
      if (sameCursor(cursorRef.current, found)) return;
      keyboard.current = false;
      cursorRef.current = found;
      setCursor(found);
      onPartner(null);
    };
    const move = (direction: 1 | -1) => {
      keyboard.current = true;
      const next = step(cursorRef.current, direction, sentences, primary);
      cursorRef.current = next;
      setCursor(next);
      onPartner(next ? offScreenPartner(next, sentences) : null);
    };
    const onMove = (event: PointerEvent) => {
      if (event.pointerType !== "mouse" || frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        point(event.clientX, event.clientY);
      });
    };
    const onKey = (event: KeyboardEvent) => {
      if (!isSentenceKey(event)) return;
      event.preventDefault();
      move(event.key === "ArrowDown" ? 1 : -1);
    };
    // The event that loaded this module happened before it existed: act on it now.
    if (!cursorRef.current) {
      if (start.kind === "pointer") point(start.x, start.y);
      else move(start.direction);
    }
    document.addEventListener("pointermove", onMove, { passive: true });
    document.addEventListener("keydown", onKey);
    return () => {
      cancelAnimationFrame(frame);
      document.removeEventListener("pointermove", onMove);
      document.removeEventListener("keydown", onKey);
    };
  }, [sentences, primary, start, onPartner]);

  useEffect(() => {
    CSS.highlights.delete(CURRENT);
    CSS.highlights.delete(PARTNER);
    if (!cursor) return;
    const paragraph = sentences[cursor.key];
    if (!paragraph) return;
    const other = cursor.lang === "en" ? "ja" : "en";
    const current = rangeFor(cursor.key, cursor.lang, [paragraph[cursor.lang][cursor.sentence]!]);
    if (current) CSS.highlights.set(CURRENT, new Highlight(current));
    const spans = partnerSpans(paragraph, cursor.lang, cursor.sentence);
    const partner = rangeFor(cursor.key, other, spans);
    if (partner) CSS.highlights.set(PARTNER, new Highlight(partner));
    if (keyboard.current) current?.startContainer.parentElement?.scrollIntoView({ block: "nearest" });
  }, [cursor, sentences]);

  useEffect(
    () => () => {
      CSS.highlights.delete(CURRENT);
      CSS.highlights.delete(PARTNER);
    },
    [],
  );

  return null;
}

/** The partner's text when the other language is not on screen (single-language text, reveal closed). */
function offScreenPartner(cursor: Cursor, sentences: Record<string, ParagraphSentences>): PartnerText | null {
  const paragraph = sentences[cursor.key];
  if (!paragraph) return null;
  const other = cursor.lang === "en" ? "ja" : "en";
  if (hostOf(cursor.key, other)) return null;
  const text = partnerSpans(paragraph, cursor.lang, cursor.sentence)
    .map(([start, end]) => sliceOf(cursor.key, other, start, end))
    .filter(Boolean)
    .join(" ");
  return text ? { key: cursor.key, lang: other, text } : null;
}

function sameCursor(a: Cursor | null, b: Cursor | null): boolean {
  return a === b || (a !== null && b !== null && a.key === b.key && a.lang === b.lang && a.sentence === b.sentence);
}

/** The partner sentences' spans of sentence `index` in `lang`. */
function partnerSpans(paragraph: ParagraphSentences, lang: "en" | "ja", index: number): [number, number][] {
  const other = lang === "en" ? "ja" : "en";
  for (const [fromEn, toEn, fromJa, toJa] of paragraph.pairs) {
    const [from, to, otherFrom, otherTo] = lang === "en" ? [fromEn, toEn, fromJa, toJa] : [fromJa, toJa, fromEn, toEn];
    if (index >= from && index < to) return paragraph[other].slice(otherFrom, otherTo);
  }
  return [];
}

/** Next/previous sentence in reading order, in the text on screen (the primary language). */
function step(cursor: Cursor | null, direction: 1 | -1, sentences: Record<string, ParagraphSentences>, primary: "en" | "ja" | "both"): Cursor | null {
  const keys = [...document.querySelectorAll<HTMLElement>(".paragraphs > [data-paragraph-key]")].map((item) => item.dataset.paragraphKey!).filter((key) => sentences[key]);
  if (!keys.length) return null;
  const lang = cursor?.lang ?? (primary === "ja" ? "ja" : "en");
  if (!cursor) {
    const key = direction === 1 ? keys[0]! : keys[keys.length - 1]!;
    const count = sentences[key]![lang].length;
    return count ? { key, lang, sentence: direction === 1 ? 0 : count - 1 } : null;
  }
  let at = keys.indexOf(cursor.key);
  let sentence = cursor.sentence + direction;
  while (at >= 0 && at < keys.length) {
    const count = sentences[keys[at]!]![lang].length;
    if (sentence >= 0 && sentence < count) return { key: keys[at]!, lang, sentence };
    at += direction;
    if (at < 0 || at >= keys.length) break;
    sentence = direction === 1 ? 0 : sentences[keys[at]!]![lang].length - 1;
  }
  return cursor;
}

/** The paragraph text element of a language (side by side, or inside the open reveal). */
function hostOf(key: string, lang: string): HTMLElement | null {
  const item = document.getElementById(key);
  if (!item) return null;
  const direct = item.querySelector<HTMLElement>(`.para-body > [data-text-locale="${lang}"]`);
  if (direct) return direct;
  const revealed = item.querySelector<HTMLElement>(`.para-reveal[open] [data-text-locale="${lang}"]`);
  return revealed;
}

/** One range from the first span's start to the last span's end (code points), or null. */
function rangeFor(key: string, lang: string, spans: [number, number][]): Range | null {
  const host = hostOf(key, lang);
  return host && spans.length ? rangeOfCodePoints(host, spans[0]![0], spans[spans.length - 1]![1]) : null;
}

function sliceOf(key: string, lang: string, start: number, end: number): string {
  const item = document.getElementById(key);
  const host = item?.querySelector<HTMLElement>(`[data-text-locale="${lang}"]`);
  if (!host) return "";
  return Array.from(baseText(host)).slice(start, end).join("");
}

/** The sentence under the pointer, if it is over a paragraph's text. */
function sentenceAtPoint(x: number, y: number, sentences: Record<string, ParagraphSentences>): Cursor | null {
  const position = document.caretPositionFromPoint?.(x, y);
  const node = position?.offsetNode;
  if (!node || node.nodeType !== Node.TEXT_NODE) return null;
  const element = node.parentElement;
  if (!element || element.closest("rt, rp")) return null;
  const host = element.closest<HTMLElement>("[data-text-locale]");
  const key = host?.closest<HTMLElement>("[data-paragraph-key]")?.dataset.paragraphKey;
  const lang = host?.dataset.textLocale;
  if (!host || !key || (lang !== "en" && lang !== "ja") || !sentences[key]) return null;
  // The pointer must be over the text itself, not beside it at the end of a line.
  const rects = element.getClientRects();
  if (![...rects].some((rect) => x >= rect.left && x <= rect.right && y >= rect.top && y <= rect.bottom)) return null;
  const offset = codePointOffsetOf(host, node, position.offset);
  if (offset === null) return null;
  const index = sentences[key][lang].findIndex(([start, end]) => offset >= start && offset < end);
  return index >= 0 ? { key, lang, sentence: index } : null;
}
