import { describe, expect, it } from "vitest";
import { articleSearchSchema, resolveTextMode, searchHref, slugSchema } from "./schema";
import { articleHref } from "./types";

describe("resolveTextMode", () => {
  it("keeps a valid mode", () => {
    expect(resolveTextMode("both", "en")).toBe("both");
    expect(resolveTextMode("ja", "en")).toBe("ja");
  });
  it("falls back to the page locale for missing or unknown values", () => {
    expect(resolveTextMode(null, "ja")).toBe("ja");
    expect(resolveTextMode("garbage", "en")).toBe("en");
    expect(resolveTextMode("BOTH", "ja")).toBe("ja");
  });
});

describe("slugSchema", () => {
  it.each(["japan-patriot-missile-export", "a", "a1-b2"])("accepts %s", (slug) => {
    expect(slugSchema.safeParse(slug).success).toBe(true);
  });
  it.each(["..%2F", "../etc", "日本", "A-B", "a--b", "-a", "a".repeat(121), ""])("refuses %s", (slug) => {
    expect(slugSchema.safeParse(slug).success).toBe(false);
  });
});

describe("articleSearchSchema", () => {
  it("reads a GET form's empty fields as no filter", () => {
    expect(articleSearchSchema.parse({ q: "  防衛 ", tag: "", lang: "", sort: "", page: "" })).toEqual({ q: "防衛", page: 1 });
  });
  it("bounds every field", () => {
    expect(articleSearchSchema.safeParse({ q: "a".repeat(201) }).success).toBe(false);
    expect(articleSearchSchema.safeParse({ page: "1001" }).success).toBe(false);
    expect(articleSearchSchema.safeParse({ page: "1.5" }).success).toBe(false);
    expect(articleSearchSchema.safeParse({ sort: "popular" }).success).toBe(false);
    expect(articleSearchSchema.safeParse({ tag: "Not A Tag" }).success).toBe(false);
    expect(articleSearchSchema.parse({ page: "1000", sort: "discussed", lang: "both", tag: "defence" })).toMatchObject({ page: 1000 });
  });
  it("gives one search one URL", () => {
    expect(searchHref("ja", { q: "防衛 政策", page: 1 })).toBe("/ja/search?q=%E9%98%B2%E8%A1%9B+%E6%94%BF%E7%AD%96");
    expect(searchHref("en", { tag: "defence", sort: "discussed", page: 2 })).toBe("/en/search?tag=defence&sort=discussed&page=2");
  });
});

describe("articleHref", () => {
  const groupId = "0b6c1a43-5d0e-4d7c-9a52-0c8f3f2b7a10";
  it("links public articles to the cached reader and group readings to their members-only address", () => {
    expect(articleHref("en", { slug: "a-story", groupId: null })).toBe("/en/articles/a-story");
    expect(articleHref("ja", { slug: "a-story", groupId: null }, "both")).toBe("/ja/articles/a-story?text=both");
    expect(articleHref("en", { slug: "a-story", groupId })).toBe("/en/readings/a-story");
    expect(articleHref("en", { slug: "a-story", groupId }, "en")).toBe("/en/readings/a-story");
    expect(articleHref("ja", { slug: "a-story", groupId }, "en")).toBe("/ja/readings/a-story?text=en");
  });
  it("takes a group filter only as a uuid, and keeps it in the search URL", () => {
    expect(articleSearchSchema.safeParse({ group: "not-a-uuid" }).success).toBe(false);
    expect(articleSearchSchema.parse({ group: "" })).toEqual({ q: "", page: 1 });
    expect(searchHref("en", { group: groupId })).toBe(`/en/search?group=${groupId}`);
  });
});
