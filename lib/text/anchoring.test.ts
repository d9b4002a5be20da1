import { describe, expect, it } from "vitest";
import { anchorSelector, describeRange, segmentHighlights } from "./anchoring";
import { codePointLength, codePointToUtf16, sliceCodePoints, utf16ToCodePoint } from "./code-points";

const en = "Japan is set to export Patriot missiles to the United States, the first such transfer.";
const ja = "日本は地対空ミサイル「パトリオット」を米国に輸出する。𠮷野家で会議が開かれた。";

describe("code points", () => {
  it("counts a surrogate pair as one code point", () => {
    expect("𠮷".length).toBe(2);
    expect(codePointLength("𠮷野家")).toBe(3);
    expect(utf16ToCodePoint("𠮷野家", 2)).toBe(1);
    expect(codePointToUtf16("𠮷野家", 1)).toBe(2);
    expect(sliceCodePoints("a𠮷b", 1, 2)).toBe("𠮷");
  });
});

describe("describeRange", () => {
  it("stores code point offsets and up to 32 code points of context", () => {
    const start = codePointLength("日本は地対空ミサイル「パトリオット」を米国に輸出する。");
    const selector = describeRange(ja, start, start + 3);
    expect(selector.exact).toBe("𠮷野家");
    expect(selector.start).toBe(start);
    expect(selector.end).toBe(start + 3);
    expect(codePointLength(selector.prefix)).toBe(Math.min(32, start));
    expect(selector.suffix.startsWith("で会議")).toBe(true);
  });
});

describe("anchorSelector", () => {
  const selector = describeRange(en, 23, 39); // "Patriot missiles"

  it("keeps the stored position when the quote is still there", () => {
    expect(selector.exact).toBe("Patriot missiles");
    expect(anchorSelector(en, selector)).toEqual({ start: 23, end: 39, method: "position" });
  });

  it("finds the exact quote after text was inserted before it", () => {
    const edited = `Officials said on Tuesday that ${en}`;
    const anchor = anchorSelector(edited, selector);
    expect(anchor?.method).toBe("quote");
    expect(sliceCodePoints(edited, anchor!.start, anchor!.end)).toBe("Patriot missiles");
  });

  it("prefers the occurrence whose context matches", () => {
    const text = "Patriot missiles are old. Japan is set to export Patriot missiles to the United States.";
    const anchor = anchorSelector(text, { ...selector, start: 0, end: 1 });
    expect(anchor?.method).toBe("quote");
    expect(anchor!.start).toBe(text.lastIndexOf("Patriot missiles"));
  });

  it("falls back to an approximate match after a small edit", () => {
    const edited = en.replace("Patriot missiles", "Patriot missile");
    const anchor = anchorSelector(edited, selector);
    expect(anchor?.method).toBe("fuzzy");
    expect(sliceCodePoints(edited, anchor!.start, anchor!.end)).toContain("Patriot missile");
  });

  it("anchors Japanese text with characters outside the BMP by code points", () => {
    const start = codePointLength("日本は地対空ミサイル「パトリオット」を米国に輸出する。");
    const jaSelector = describeRange(ja, start, start + 5);
    expect(anchorSelector(ja, jaSelector)?.method).toBe("position");
    const edited = `速報：${ja}`;
    const anchor = anchorSelector(edited, jaSelector);
    expect(sliceCodePoints(edited, anchor!.start, anchor!.end)).toBe("𠮷野家で会");
  });

  it("orphans a quote whose text is gone", () => {
    expect(anchorSelector("An entirely different paragraph about trade policy.", selector)).toBeNull();
  });
});

describe("segmentHighlights", () => {
  it("flattens overlapping highlights into runs; a single highlight keeps its note and tag", () => {
    const segments = segmentHighlights(10, [
      { start: 1, end: 5, noteId: "a", tag: "question" },
      { start: 3, end: 8, noteId: "b", tag: "insight" },
    ]);
    expect(segments).toEqual([
      { start: 0, end: 1, count: 0, band: 0, topNoteId: null, tag: null },
      { start: 1, end: 3, count: 1, band: 1, topNoteId: "a", tag: "question" },
      { start: 3, end: 5, count: 2, band: 2, topNoteId: null, tag: null },
      { start: 5, end: 8, count: 1, band: 1, topNoteId: "b", tag: "insight" },
      { start: 8, end: 10, count: 0, band: 0, topNoteId: null, tag: null },
    ]);
  });

  it("merges neighbouring runs of the same density band", () => {
    const segments = segmentHighlights(10, [
      { start: 0, end: 10, noteId: "a", tag: null },
      { start: 0, end: 10, noteId: "b", tag: null },
      { start: 2, end: 10, noteId: "c", tag: null },
      { start: 4, end: 10, noteId: "d", tag: null },
    ]);
    expect(segments).toEqual([
      { start: 0, end: 4, count: 3, band: 2, topNoteId: null, tag: null },
      { start: 4, end: 10, count: 4, band: 4, topNoteId: null, tag: null },
    ]);
  });

  it("grows with the text, not with the number of notes", () => {
    const ranges = Array.from({ length: 5_000 }, (_, i) => ({ start: i % 400, end: (i % 400) + 30, noteId: `n${i}`, tag: null }));
    const segments = segmentHighlights(500, ranges);
    expect(segments.length).toBeLessThan(10);
    expect(segments.every((s) => s.end > s.start)).toBe(true);
    expect(segments.map((s) => s.start)).toEqual([...segments.map((s) => s.start)].sort((a, b) => a - b));
  });
});
