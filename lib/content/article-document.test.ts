import { describe, expect, it } from "vitest";
import { alignmentProblems, type ArticleDocument } from "./article-document";

const meta = (translations: ArticleDocument["meta"]["translations"]): ArticleDocument["meta"] => ({
  slug: "a",
  originalLocale: "en",
  source: "S",
  publishedAt: "2026-11-01",
  tags: [],
  translations,
});
const both = meta({ en: { title: "Title", summary: "" }, ja: { title: "題", summary: "" } });

describe("alignmentProblems (the one alignment rule for publishing and the import)", () => {
  it("accepts aligned rows", () => {
    expect(alignmentProblems({ meta: both, rows: [{ heading: true, text: { en: "A", ja: "あ" } }, { heading: false, text: { en: "B", ja: "い" } }] })).toEqual([]);
  });

  it("accepts one language alone, ignoring text in a language the article does not have", () => {
    const ja = meta({ ja: { title: "題", summary: "" } });
    expect(alignmentProblems({ meta: ja, rows: [{ heading: false, text: { ja: "あ", en: "" } }] })).toEqual([]);
  });

  it("names each empty cell and the differing counts", () => {
    const problems = alignmentProblems({
      meta: both,
      rows: [
        { heading: false, text: { en: "A", ja: "あ" } },
        { heading: false, text: { en: "B", ja: "  " } },
        { heading: false, text: { en: "C" } },
      ],
    });
    expect(problems).toEqual([
      { kind: "emptyCell", row: 1, locale: "ja" },
      { kind: "emptyCell", row: 2, locale: "ja" },
      { kind: "counts", counts: { en: 3, ja: 1 } },
    ]);
  });

  it("reports equal counts that are still misaligned as empty cells only", () => {
    const problems = alignmentProblems({ meta: both, rows: [{ heading: false, text: { en: "A", ja: "" } }, { heading: false, text: { en: "", ja: "い" } }] });
    expect(problems.map((p) => p.kind)).toEqual(["emptyCell", "emptyCell"]);
  });

  it("refuses no language, no rows and a missing title", () => {
    expect(alignmentProblems({ meta: meta({}), rows: [] }).map((p) => p.kind)).toEqual(["noLanguages", "noRows"]);
    expect(alignmentProblems({ meta: meta({ en: { title: " ", summary: "" } }), rows: [{ heading: false, text: { en: "A" } }] })).toEqual([
      { kind: "missingTitle", locale: "en" },
    ]);
  });
});
