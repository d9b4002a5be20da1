// Hints for the alignment editor: which rows look misaligned. A Japanese paragraph runs to about
// a fixed number of characters per English word for a given article (the ratio depends on the
// writer and the translator, so we compare each row with the article's own median, not with a
// constant). A row far from it usually means a paragraph was split or merged in one language
// only. These are hints, never a refusal: the one publishing rule is alignmentProblems.

import type { ContentLocale } from "./article-document";

/** Rows outside [median × LOW, median × HIGH] are marked. */
export const RATIO_LOW = 0.5;
export const RATIO_HIGH = 2;
/** Shorter rows are not judged: one or two words say nothing about a ratio (headings, datelines). */
export const MIN_WORDS = 4;

export type HintRow = { text: Partial<Record<ContentLocale, string>> };

export type AlignmentHints = {
  /** Non-empty cells per language (what a reader would count as paragraphs). */
  counts: Record<ContentLocale, number>;
  /** Both languages have text, but not the same number of paragraphs. */
  countsDiffer: boolean;
  /** The article's median ratio (Japanese characters per English word), null when no row has both. */
  median: number | null;
  /** Indexes of rows whose ratio is far from the median. */
  outliers: number[];
  /** Per row, the languages whose cell is empty while another language has text. */
  emptyCells: Record<number, ContentLocale[]>;
};

/** English words: runs of letters or digits (an apostrophe or hyphen inside a word keeps it one word). */
export function englishWords(text: string): number {
  return text.match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu)?.length ?? 0;
}

/** Japanese characters: every code point that is not white space or punctuation. */
export function japaneseCharacters(text: string): number {
  return [...text.replace(/[\s\p{P}\p{S}]/gu, "")].length;
}

/** Japanese characters per English word, or null when the row cannot be judged. */
export function rowRatio(en: string | undefined, ja: string | undefined): number | null {
  const words = englishWords(en ?? "");
  const chars = japaneseCharacters(ja ?? "");
  if (words < MIN_WORDS || chars === 0) return null;
  return chars / words;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The hints for rows of an article whose languages are `locales` (both, or one). */
export function alignmentHints(rows: readonly HintRow[], locales: readonly ContentLocale[] = ["en", "ja"]): AlignmentHints {
  const counts: Record<ContentLocale, number> = { en: 0, ja: 0 };
  const emptyCells: Record<number, ContentLocale[]> = {};
  rows.forEach((row, index) => {
    const filled = locales.filter((locale) => (row.text[locale] ?? "").trim() !== "");
    for (const locale of filled) counts[locale] += 1;
    // A row empty in every language is just an empty row (it is dropped on publish), not a gap.
    if (filled.length > 0 && filled.length < locales.length) emptyCells[index] = locales.filter((locale) => !filled.includes(locale));
  });
  const bilingual = locales.includes("en") && locales.includes("ja");
  const ratios = bilingual ? rows.map((row) => rowRatio(row.text.en, row.text.ja)) : [];
  const typical = median(ratios.filter((ratio): ratio is number => ratio !== null));
  // With fewer than three judged rows the median is one of the rows itself: nothing to compare.
  const judged = ratios.filter((ratio) => ratio !== null).length;
  const outliers =
    typical === null || judged < 3
      ? []
      : ratios.flatMap((ratio, index) => (ratio !== null && (ratio < typical * RATIO_LOW || ratio > typical * RATIO_HIGH) ? [index] : []));
  return {
    counts,
    countsDiffer: bilingual && counts.en > 0 && counts.ja > 0 && counts.en !== counts.ja,
    median: typical,
    outliers,
    emptyCells,
  };
}
