import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { alignParagraphs, ContentFormatError, parseArticleText } from "./parse-article";

describe("parseArticleText", () => {
  it("reads the title and blank-line separated paragraphs", () => {
    const parsed = parseArticleText("# Title\n\nOne.\n\n\nTwo\ncontinued.\n");
    expect(parsed).toEqual({ title: "Title", paragraphs: ["One.", "Two continued."] });
  });

  it("accepts CRLF line endings and a BOM", () => {
    expect(parseArticleText("\uFEFF# T\r\n\r\nA\r\n\r\nB\r\n").paragraphs).toEqual(["A", "B"]);
  });

  it("refuses a file without a title line", () => {
    expect(() => parseArticleText("No title\n\nA")).toThrow(ContentFormatError);
  });

  it("refuses a title without paragraphs", () => {
    expect(() => parseArticleText("# Only a title\n")).toThrow(/no paragraphs/);
  });

  it("keeps typographic apostrophes untouched", () => {
    expect(parseArticleText("# Japan’s\n\nU.S.’s").paragraphs[0]).toBe("U.S.’s");
  });
});

describe("alignParagraphs", () => {
  it("pairs paragraphs by position into document rows", () => {
    const rows = alignParagraphs({
      en: { title: "T", paragraphs: ["a", "b"] },
      ja: { title: "題", paragraphs: ["あ", "い"] },
    });
    expect(rows).toEqual([
      { heading: false, text: { en: "a", ja: "あ" } },
      { heading: false, text: { en: "b", ja: "い" } },
    ]);
  });

  it("refuses languages with different paragraph counts", () => {
    expect(() =>
      alignParagraphs({ en: { title: "T", paragraphs: ["a", "b"] }, ja: { title: "題", paragraphs: ["あ"] } }),
    ).toThrow("Paragraph counts differ between languages (en: 2, ja: 1).");
  });

  it("makes a row a heading when a language file writes it as \"## \"", () => {
    const rows = alignParagraphs({
      en: { title: "T", paragraphs: ["Section", "b"], headings: [true, false] },
      ja: { title: "題", paragraphs: ["節", "い"] },
    });
    expect(rows.map((row) => row.heading)).toEqual([true, false]);
  });

  it("accepts one language alone", () => {
    expect(alignParagraphs({ ja: { title: "題", paragraphs: ["あ"] } })).toEqual([{ heading: false, text: { ja: "あ" } }]);
  });
});

describe("the seed article", () => {
  const dir = path.join(import.meta.dirname, "../../content/articles/japan-patriot-missile-export");
  const en = parseArticleText(readFileSync(path.join(dir, "en.md"), "utf8"), "en.md");
  const ja = parseArticleText(readFileSync(path.join(dir, "ja.md"), "utf8"), "ja.md");

  it("has 21 paragraphs in both languages", () => {
    expect(en.paragraphs).toHaveLength(21);
    expect(ja.paragraphs).toHaveLength(21);
  });

  it("stores the English text exactly as given in the seed", () => {
    const seed = readFileSync(path.join(import.meta.dirname, "../../../shared/seeds/000_8a162867d81b4a00.txt"), "utf8");
    const blocks = seed.trim().split(/\n\s*\n/).map((b) => b.trim());
    expect([en.title, ...en.paragraphs]).toEqual(blocks);
  });

  it("writes the Japanese edition in Japanese with the established terms", () => {
    const all = ja.paragraphs.join("");
    for (const term of ["共同通信", "防衛省", "自衛隊", "武器輸出三原則", "ライセンス生産", "地対空ミサイル「パトリオット」"]) {
      expect(all).toContain(term);
    }
    for (const paragraph of ja.paragraphs) expect(paragraph).toMatch(/[。]$/);
  });
});
