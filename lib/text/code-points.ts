// W3C TextPositionSelector offsets are stored in Unicode code points, while JavaScript strings
// and DOM ranges count UTF-16 units; these convert between the two. (An emoji or a rare kanji
// outside the BMP is one code point but two UTF-16 units.)

export function codePointLength(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/** UTF-16 index → code point index (an index inside a surrogate pair rounds down). */
export function utf16ToCodePoint(text: string, index: number): number {
  return codePointLength(text.slice(0, Math.max(0, Math.min(index, text.length))));
}

/** Code point index → UTF-16 index (clamped to the text). */
export function codePointToUtf16(text: string, index: number): number {
  let cp = 0;
  let i = 0;
  while (i < text.length && cp < index) {
    const c = text.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
    cp++;
  }
  return i;
}

/** Substring by code point offsets. */
export function sliceCodePoints(text: string, start: number, end?: number): string {
  const from = codePointToUtf16(text, start);
  const to = end === undefined ? text.length : codePointToUtf16(text, end);
  return text.slice(from, to);
}
