import { describe, expect, it } from "vitest";
import { fromWebAnnotation } from "@/lib/annotations/web-annotation";
import { fromHypothesis, importQuerySchema, MAX_IMPORT_ANNOTATIONS, readAnnotationDocument } from "./schema";

const anno = (n: number) => ({ type: "Annotation", id: `https://x.example/a/${n}`, target: "https://x.example/en/articles/a" });
const page = (items: unknown[], extra: Record<string, unknown> = {}) => ({ type: "AnnotationPage", items, ...extra });

describe("readAnnotationDocument", () => {
  it("reads one annotation, an array, a page and {items}", () => {
    expect(readAnnotationDocument(anno(1))).toEqual({ ok: true, items: [anno(1)] });
    expect(readAnnotationDocument([anno(1), anno(2)])).toEqual({ ok: true, items: [anno(1), anno(2)] });
    expect(readAnnotationDocument(page([anno(1)]))).toEqual({ ok: true, items: [anno(1)] });
    expect(readAnnotationDocument({ items: [anno(3)] })).toEqual({ ok: true, items: [anno(3)] });
  });

  it("follows a collection's embedded pages in order, nested or linked by id", () => {
    const nested = { type: "AnnotationCollection", total: 3, first: page([anno(1)], { next: page([anno(2), anno(3)]) }) };
    expect(readAnnotationDocument(nested)).toEqual({ ok: true, items: [anno(1), anno(2), anno(3)] });
    const linked = {
      type: ["AnnotationCollection"],
      total: 3,
      first: "https://x.example/c?page=0",
      pages: [page([anno(2), anno(3)], { id: "https://x.example/c?page=1" }), page([anno(1)], { id: "https://x.example/c?page=0", next: "https://x.example/c?page=1" })],
    };
    expect(readAnnotationDocument(linked)).toEqual({ ok: true, items: [anno(1), anno(2), anno(3)] });
  });

  it("refuses what it cannot read, saying why", () => {
    const cases: [unknown, RegExp][] = [
      ["text", /JSON object or array/],
      [{ hello: "world" }, /expected "Annotation"/],
      [[], /no annotations/],
      [{ type: "AnnotationCollection", total: 2, first: "https://x.example/c?page=0" }, /must be embedded/],
      [{ type: "AnnotationCollection", total: 3, first: page([anno(1)]) }, /says 3 annotations but embeds 1/],
      [{ type: "AnnotationCollection", first: page([anno(1)], { next: "https://elsewhere.example/p2" }) }, /not embedded/],
      [page([anno(1)], { next: { type: "Annotation" } }), /must be an AnnotationPage/],
      [{ type: "AnnotationPage" }, /needs an items array/],
    ];
    for (const [json, message] of cases) {
      const result = readAnnotationDocument(json);
      expect(result.ok, JSON.stringify(json)).toBe(false);
      if (!result.ok) expect(result.errors.join(" ")).toMatch(message);
    }
  });

  it("refuses a loop of pages and more than the limit", () => {
    const a: Record<string, unknown> = page([anno(1)]);
    a.next = a;
    expect(readAnnotationDocument(a)).toEqual({ ok: false, errors: ["next: the pages form a loop"] });
    const many = Array.from({ length: MAX_IMPORT_ANNOTATIONS + 1 }, () => 0);
    expect(readAnnotationDocument(many)).toEqual({ ok: false, errors: [`more than ${MAX_IMPORT_ANNOTATIONS} annotations`] });
    expect(readAnnotationDocument(many.slice(1)).ok).toBe(true);
  });
});

describe("fromHypothesis", () => {
  it("turns Hypothesis' API format into a W3C annotation that fromWebAnnotation reads", () => {
    const converted = fromHypothesis({
      id: "Zx9aBc",
      created: "2024-03-01T10:00:00.000000+00:00",
      uri: "https://news.example/story",
      text: "Worth *remembering*.",
      tags: ["vocabulary", "kanji study"],
      target: [{ selector: [{ type: "TextQuoteSelector", exact: "Patriot", prefix: "export ", suffix: " missiles" }] }],
    });
    const parsed = fromWebAnnotation(converted);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.annotation).toMatchObject({
      id: "https://hypothes.is/a/Zx9aBc",
      source: "https://news.example/story",
      quote: { exact: "Patriot", prefix: "export ", suffix: " missiles" },
      bodyMarkdown: "Worth *remembering*.",
      tags: ["vocabulary", "kanji study"],
    });
  });

  it("makes a reply target its parent, and leaves W3C annotations alone", () => {
    expect(fromHypothesis({ id: "r1", uri: "https://news.example/story", text: "Yes", references: ["p0", "p1"] })).toMatchObject({
      motivation: "replying",
      target: "https://hypothes.is/a/p1",
    });
    const own = anno(5);
    expect(fromHypothesis(own)).toBe(own);
  });
});

describe("importQuerySchema", () => {
  it("accepts a group uuid or nothing, and nothing else", () => {
    expect(importQuerySchema.safeParse({}).success).toBe(true);
    expect(importQuerySchema.safeParse({ group: "0b8a2f4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b" }).success).toBe(true);
    expect(importQuerySchema.safeParse({ group: "mine" }).success).toBe(false);
    expect(importQuerySchema.safeParse({ visibility: "public" }).success).toBe(false);
  });
});
