import { describe, expect, it } from "vitest";
import { alignmentHints, englishWords, japaneseCharacters, median, rowRatio } from "./alignment-hints";

const en = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(" ");
const ja = (n: number) => "語".repeat(n);

describe("counting", () => {
  it("counts English words, keeping contractions and hyphenated words whole", () => {
    expect(englishWords("It's a well-known fact, isn't it?")).toBe(6);
    expect(englishWords("  ")).toBe(0);
  });

  it("counts Japanese characters without spaces or punctuation", () => {
    expect(japaneseCharacters("東京は、晴れ。")).toBe(5);
    expect(japaneseCharacters("「」。 ")).toBe(0);
    // Code points, not UTF-16 units.
    expect(japaneseCharacters("𠮷野家")).toBe(3);
  });

  it("judges only rows with enough words and some Japanese", () => {
    expect(rowRatio(en(10), ja(20))).toBe(2);
    expect(rowRatio("Short one", ja(20))).toBeNull();
    expect(rowRatio(en(10), "")).toBeNull();
    expect(rowRatio(undefined, ja(5))).toBeNull();
  });

  it("takes the median of odd and even lists", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});

describe("alignmentHints", () => {
  it("finds nothing in a well aligned article", () => {
    const rows = [10, 12, 8, 20].map((n) => ({ text: { en: en(n), ja: ja(n * 2) } }));
    const hints = alignmentHints(rows);
    expect(hints).toMatchObject({ counts: { en: 4, ja: 4 }, countsDiffer: false, median: 2, outliers: [], emptyCells: {} });
  });

  it("marks the rows a split Japanese paragraph shifted, and the differing counts", () => {
    // Japanese paragraph 2 was split in two: every row after it is off by one.
    const rows = [
      { text: { en: en(10), ja: ja(20) } },
      { text: { en: en(20), ja: ja(10) } },
      { text: { en: en(10), ja: ja(30) } },
      { text: { en: en(10), ja: ja(20) } },
      { text: { en: en(10), ja: ja(20) } },
      { text: { en: "", ja: ja(20) } },
    ];
    const hints = alignmentHints(rows);
    expect(hints.counts).toEqual({ en: 5, ja: 6 });
    expect(hints.countsDiffer).toBe(true);
    expect(hints.median).toBe(2);
    expect(hints.outliers).toEqual([1]);
    expect(hints.emptyCells).toEqual({ 5: ["en"] });
  });

  it("flags ratios outside ×0.5–×2 of the median, boundaries included as fine", () => {
    const rows = [2, 2, 2, 1, 4, 0.9, 4.2].map((ratio) => ({ text: { en: en(10), ja: ja(Math.round(ratio * 10)) } }));
    expect(alignmentHints(rows).outliers).toEqual([5, 6]);
  });

  it("does not judge with fewer than three comparable rows", () => {
    const rows = [{ text: { en: en(10), ja: ja(20) } }, { text: { en: en(10), ja: ja(90) } }];
    expect(alignmentHints(rows).outliers).toEqual([]);
  });

  it("has no ratio or count warning for a one-language article, and ignores fully empty rows", () => {
    const rows = [{ text: { ja: ja(20) } }, { text: { ja: "" } }, { text: { ja: ja(5) } }];
    const hints = alignmentHints(rows, ["ja"]);
    expect(hints).toMatchObject({ counts: { en: 0, ja: 2 }, countsDiffer: false, median: null, outliers: [], emptyCells: {} });
  });

  it("does not call counts different while one language is still entirely missing", () => {
    const rows = [{ text: { en: en(10), ja: "" } }, { text: { en: en(10), ja: "" } }];
    const hints = alignmentHints(rows);
    expect(hints.countsDiffer).toBe(false);
    expect(hints.emptyCells).toEqual({ 0: ["ja"], 1: ["ja"] });
  });
});
