import { codePointLength } from "@/lib/text/code-points";

// Sentences of a paragraph, for sentence pairs and read-aloud. Intl.Segmenter (ICU) does the
// splitting; two rule sets correct it where readers would disagree:
// - Japanese: a sentence does not end inside quotes or brackets, a closing bracket right after 。
//   stays with the sentence it closes, and a particle after a closing quote continues the
//   sentence (「…。」と述べた is one sentence).
// - English: ICU breaks after an abbreviation followed by a capital ("the U.S. Army", "Mr. Abe").

/** A sentence as code-point offsets into the paragraph text (the unit of W3C selectors here). */
export type SentenceSpan = { start: number; end: number };

const OPENING = "「『（(［[【〈《〔｛{“‘";
const CLOSING = "」』）)］]】〉》〕｝}”’";

/** Lower-cased words that end with a period but do not end a sentence before a capital. */
const ENGLISH_ABBREVIATIONS = new Set([
  "mr.", "mrs.", "ms.", "dr.", "prof.", "sen.", "rep.", "gov.", "gen.", "col.", "lt.", "sgt.", "st.", "jr.", "sr.",
  "u.s.", "u.k.", "u.n.", "e.u.", "no.", "vs.", "etc.", "e.g.", "i.e.", "inc.", "corp.", "co.", "ltd.",
  "jan.", "feb.", "mar.", "apr.", "jun.", "jul.", "aug.", "sep.", "sept.", "oct.", "nov.", "dec.",
]);

const segmenters = new Map<string, Intl.Segmenter>();

function segmenterFor(locale: string): Intl.Segmenter {
  let segmenter = segmenters.get(locale);
  if (!segmenter) {
    segmenter = new Intl.Segmenter(locale, { granularity: "sentence" });
    segmenters.set(locale, segmenter);
  }
  return segmenter;
}

/** The sentences of a text, in UTF-16 pieces that concatenate back to the text. */
export function splitSentenceTexts(text: string, locale: string): string[] {
  const raw = [...segmenterFor(locale).segment(text)].map((segment) => segment.segment);
  const merged: string[] = [];
  for (const piece of raw) {
    const previous = merged[merged.length - 1];
    if (previous !== undefined && shouldJoin(previous, piece, locale)) merged[merged.length - 1] = previous + piece;
    else merged.push(piece);
  }
  return merged.filter((piece) => piece.length > 0);
}

/** The sentences as code-point spans, trailing spaces excluded (they belong to no sentence). */
export function splitSentences(text: string, locale: string): SentenceSpan[] {
  const spans: SentenceSpan[] = [];
  let offset = 0;
  for (const piece of splitSentenceTexts(text, locale)) {
    const length = codePointLength(piece);
    const trimmed = codePointLength(piece.trimEnd());
    const leading = codePointLength(piece) - codePointLength(piece.trimStart());
    if (trimmed > leading) spans.push({ start: offset + leading, end: offset + trimmed });
    offset += length;
  }
  return spans;
}

function shouldJoin(previous: string, next: string, locale: string): boolean {
  if (locale === "ja") {
    // Unbalanced brackets: the sentence is still inside a quotation.
    if (bracketDepth(previous) > 0) return true;
    // A segment that is only closing brackets (and spaces) belongs to the sentence it closes.
    if (/^[\s」』）)］\]】〉》〕｝}”’]+$/u.test(next)) return true;
    // 「…。」と述べた: after a closing quote, a particle (hiragana) continues the same sentence.
    if (/[」』）)］\]】〉》〕｝}”’]\s*$/u.test(previous) && /^\p{Script=Hiragana}/u.test(next)) return true;
    return false;
  }
  const lastWord = previous.trimEnd().split(/\s+/).pop()?.toLowerCase() ?? "";
  return ENGLISH_ABBREVIATIONS.has(lastWord) && /^\s*[A-Z0-9]/.test(next);
}

function bracketDepth(text: string): number {
  let depth = 0;
  for (const char of text) {
    if (OPENING.includes(char)) depth++;
    else if (CLOSING.includes(char) && depth > 0) depth--;
  }
  return depth;
}
