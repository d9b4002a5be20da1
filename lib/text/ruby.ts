// Furigana as data: a paragraph's text cut into segments, each either plain text or a base with its
// reading in hiragana. The segments always concatenate back to the exact text, so anything that
// counts positions (selectors, highlights, copy) sees the same characters with furigana on or off:
// the readings live only in <rt>, which the reader excludes from selection and copying.

/** `[text]` plain, or `[base, reading]` for a run of kanji. */
export type RubySegment = readonly [string] | readonly [string, string];
export type RubySegments = RubySegment[];

export type ReadingToken = { surface: string; reading: string | null };

const KANJI = /[\p{Script=Han}々〆ヶ]/u;

export function hasKanji(text: string): boolean {
  return KANJI.test(text);
}

/** Katakana → hiragana (the long-vowel mark and anything else unchanged). */
export function toHiragana(text: string): string {
  let out = "";
  for (const char of text) {
    const code = char.codePointAt(0)!;
    out += code >= 0x30a1 && code <= 0x30f6 ? String.fromCodePoint(code - 0x60) : char;
  }
  return out;
}

/**
 * A token's surface with its reading → segments, putting the reading over the kanji only:
 * 食べ物 (たべもの) → 食(た) べ 物(もの). The kana of the surface are matched against the reading;
 * when they do not line up (irregular readings such as 今日), the whole token gets the reading.
 */
export function tokenSegments(surface: string, reading: string | null): RubySegments {
  if (!hasKanji(surface) || !reading) return [[surface]];
  const hiragana = toHiragana(reading);
  if (!/^[\p{Script=Hiragana}ー]+$/u.test(hiragana)) return [[surface]];
  const parts = surface.split(/([\p{Script=Han}々〆ヶ]+)/u).filter((part) => part !== "");
  const pattern = parts.map((part) => (KANJI.test(part) ? "(.+?)" : escapeRegExp(toHiragana(part)))).join("");
  const match = new RegExp(`^${pattern}$`, "u").exec(hiragana);
  if (!match) return [[surface, hiragana]];
  const segments: RubySegments = [];
  let group = 1;
  for (const part of parts) {
    if (KANJI.test(part)) segments.push([part, match[group++]!]);
    else segments.push([part]);
  }
  return segments;
}

/**
 * The analyser's tokens → segments over the whole text. Tokens are located in the text as they
 * come (an analyser may drop or normalise characters): anything between them stays plain, and
 * adjacent plain segments are merged.
 */
export function rubySegments(text: string, tokens: ReadingToken[]): RubySegments {
  const out: RubySegments = [];
  const pushPlain = (value: string) => {
    if (!value) return;
    const last = out[out.length - 1];
    if (last && last.length === 1) out[out.length - 1] = [last[0] + value];
    else out.push([value]);
  };
  let index = 0;
  for (const token of tokens) {
    if (!token.surface) continue;
    const at = text.indexOf(token.surface, index);
    if (at < 0) continue;
    pushPlain(text.slice(index, at));
    for (const segment of tokenSegments(token.surface, token.reading)) {
      if (segment.length === 1) pushPlain(segment[0]);
      else out.push(segment);
    }
    index = at + token.surface.length;
  }
  pushPlain(text.slice(index));
  return out;
}

/** The plain text of segments (equal to the analysed text by construction). */
export function segmentsText(segments: RubySegments): string {
  return segments.map((segment) => segment[0]).join("");
}

/** Validates stored segments read back from the database (a JSON column). */
export function isRubySegments(value: unknown): value is RubySegments {
  return (
    Array.isArray(value) &&
    value.every(
      (segment) =>
        Array.isArray(segment) &&
        (segment.length === 1 || segment.length === 2) &&
        segment.every((part: unknown) => typeof part === "string"),
    )
  );
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The reading of the text between two code-point offsets: kana as written, kanji runs by their
 * reading (a run cut by the range still gives its whole reading: readings do not split by
 * character). Null when the range holds no kanji (the text is its own reading).
 */
export function readingOf(segments: RubySegments, start: number, end: number): string | null {
  let offset = 0;
  let reading = "";
  let sawKanji = false;
  for (const segment of segments) {
    const length = [...segment[0]].length;
    const from = Math.max(start, offset);
    const to = Math.min(end, offset + length);
    if (from < to) {
      if (segment.length === 2) {
        reading += segment[1];
        sawKanji = true;
      } else {
        reading += toHiragana([...segment[0]].slice(from - offset, to - offset).join(""));
      }
    }
    offset += length;
    if (offset >= end) break;
  }
  return sawKanji ? reading : null;
}
