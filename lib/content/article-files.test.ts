import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { articleFolderFiles, formatArticleMeta, formatArticleText } from "./article-files";
import { parseArticleText } from "./parse-article";
import { unzipTextFiles, zipTextFiles, ZipFormatError } from "./zip";

const SEED_DIR = path.resolve(import.meta.dirname, "../../content/articles/japan-patriot-missile-export");
const seed = (name: string) => readFileSync(path.join(SEED_DIR, name), "utf8");

describe("article folder files", () => {
  it("writes the seed's meta.json back byte for byte", () => {
    expect(formatArticleMeta(JSON.parse(seed("meta.json")))).toBe(seed("meta.json"));
  });

  it("writes keys in the documented order whatever order they came in, leaving unset ones out", () => {
    const text = formatArticleMeta({
      translations: { ja: { summary: "要約" }, en: { translator: "T", summary: "S" } },
      publishedAt: "2026-01-02",
      tags: [],
      source: "Src",
      originalLocale: "ja",
      slug: "a-b",
    });
    expect(text).toBe(
      '{\n  "slug": "a-b",\n  "originalLocale": "ja",\n  "source": "Src",\n  "publishedAt": "2026-01-02",\n' +
        '  "translations": {\n    "en": {\n      "summary": "S",\n      "translator": "T"\n    },\n    "ja": {\n      "summary": "要約"\n    }\n  }\n}\n',
    );
  });

  it("writes the byline and rights note when set, in their documented places", () => {
    const text = formatArticleMeta({
      slug: "a", originalLocale: "en", source: "S", author: "Jane Doe", publishedAt: "2026-01-02", rightsNote: "© S, quoted for study",
      translations: { en: { summary: "S" } },
    });
    expect(Object.keys(JSON.parse(text))).toEqual(["slug", "originalLocale", "source", "author", "publishedAt", "rightsNote", "translations"]);
  });

  it("writes heading rows as \"## \" paragraphs, which read back as headings", () => {
    const files = articleFolderFiles({
      meta: { slug: "a", originalLocale: "en", source: "S", publishedAt: "2026-01-02", translations: { en: { summary: "S" } } },
      titles: { en: "Title" },
      paragraphs: [
        { key: "p-2", position: 2, text: { en: "Body." } },
        { key: "p-1", position: 1, heading: true, text: { en: "Section" } },
      ],
    });
    expect(files["en.md"]).toBe("# Title\n\n## Section\n\nBody.\n");
    expect(parseArticleText(files["en.md"]!)).toEqual({ title: "Title", paragraphs: ["Section", "Body."], headings: [true, false] });
  });

  it("writes the seed's language files back byte for byte", () => {
    for (const name of ["en.md", "ja.md"]) {
      const parsed = parseArticleText(seed(name));
      expect(formatArticleText(parsed.title, parsed.paragraphs)).toBe(seed(name));
    }
  });
});

describe("zip", () => {
  it("round-trips UTF-8 text and is deterministic", () => {
    const files = { "a/meta.json": "{}\n", "a/ja.md": "# 題\n\n本文。\n" };
    const zip = zipTextFiles(files);
    expect(unzipTextFiles(zip)).toEqual(files);
    expect(Buffer.from(zipTextFiles(files)).equals(Buffer.from(zip))).toBe(true);
  });

  it("refuses something that is not a zip with a one-sentence error", () => {
    expect(() => unzipTextFiles(new TextEncoder().encode("not a zip"), "x.zip")).toThrow(ZipFormatError);
    expect(() => unzipTextFiles(new TextEncoder().encode("not a zip"), "x.zip")).toThrow(/^x\.zip: not a readable zip file/);
  });

  it("refuses archives that would unpack to more than the limit, before inflating them", () => {
    const big = zipTextFiles({ "a.md": "x".repeat(21 * 1024 * 1024) });
    expect(() => unzipTextFiles(big, "big.zip")).toThrow(/big\.zip: larger than/);
  });
});
