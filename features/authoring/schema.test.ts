import { describe, expect, it } from "vitest";
import { SLUG_PATTERN } from "@/lib/content/slug";
import { draftDocumentSchema, generateSlug, isValidDay, isWebUrl, slugFromTitle, uploadKind } from "./schema";

describe("slugs", () => {
  it("makes a slug of a title's ASCII words", () => {
    expect(slugFromTitle("Japan's Patriot Missile Export")).toBe("japans-patriot-missile-export");
    expect(slugFromTitle("Crème brûlée — über alles!")).toBe("creme-brulee-uber-alles");
    expect(slugFromTitle("日本語だけ")).toBe("");
    expect(slugFromTitle("word ".repeat(40)).length).toBeLessThanOrEqual(80);
    expect(slugFromTitle("x".repeat(200))).toBe("x".repeat(80));
  });

  it("generates a valid slug for a title only in Japanese, from the date", () => {
    const slug = generateSlug({ translations: { ja: { title: "日本語だけ", summary: "" } }, publishedAt: "2026-05-06" });
    expect(slug).toMatch(/^2026-05-06-[a-z2-7]{6}$/);
    expect(SLUG_PATTERN.test(slug)).toBe(true);
    expect(generateSlug({ translations: {}, publishedAt: "" }, new Date("2026-01-02T10:00:00Z"))).toMatch(/^2026-01-02-[a-z2-7]{6}$/);
    expect(generateSlug({ translations: { en: { title: "Hello world", summary: "" } }, publishedAt: "" })).toBe("hello-world");
  });
});

describe("bounds", () => {
  it("accepts real days and http(s) links only", () => {
    expect(isValidDay("2024-02-29")).toBe(true);
    expect(isValidDay("2026-02-29")).toBe(false);
    expect(isValidDay("2026-1-01")).toBe(false);
    expect(isWebUrl("https://example.com/a?b")).toBe(true);
    for (const bad of ["javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "ftp://x", "not a url"]) expect(isWebUrl(bad)).toBe(false);
  });

  it("decides an upload's kind by its extension and declared type together", () => {
    expect(uploadKind("a.md", "")).toBe("md");
    expect(uploadKind("A.MARKDOWN", "text/markdown; charset=utf-8")).toBe("md");
    expect(uploadKind("a.txt", "text/plain")).toBe("txt");
    expect(uploadKind("a.htm", "text/html")).toBe("html");
    expect(uploadKind("a.html", "image/png")).toBeNull();
    expect(uploadKind("a.txt", "text/html")).toBeNull();
    expect(uploadKind("a.pdf", "application/pdf")).toBeNull();
    expect(uploadKind("md", "")).toBeNull();
  });

  it("lets a draft be half-written but not malformed", () => {
    const half = { meta: { slug: "", originalLocale: "ja", source: "", publishedAt: "", tags: [], translations: { ja: { title: "", summary: "" } } }, rows: [{ heading: false, text: { ja: "" } }] };
    expect(draftDocumentSchema.safeParse(half).success).toBe(true);
    expect(draftDocumentSchema.safeParse({ ...half, rows: [{ heading: false, text: { ja: "a\nb" } }] }).success).toBe(false);
    expect(draftDocumentSchema.safeParse({ ...half, meta: { ...half.meta, tags: ["a", "a"] } }).success).toBe(false);
    expect(draftDocumentSchema.safeParse({ ...half, meta: { ...half.meta, translations: { fr: { title: "", summary: "" } } } }).success).toBe(false);
  });
});
