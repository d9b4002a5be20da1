import { describe, expect, it } from "vitest";
import { furiganaChoice, readerRewritePath } from "./reader-rewrite";

describe("readerRewritePath", () => {
  it("defaults the text to the page locale", () => {
    expect(readerRewritePath("/ja/articles/a-b", null)).toBe("/ja/articles/a-b/ja");
    expect(readerRewritePath("/en/articles/a-b/", null)).toBe("/en/articles/a-b/en");
  });
  it("keeps a valid ?text mode", () => {
    expect(readerRewritePath("/ja/articles/a-b", "en")).toBe("/ja/articles/a-b/en");
    expect(readerRewritePath("/en/articles/a-b", "both")).toBe("/en/articles/a-b/both");
  });
  it("ignores garbage modes", () => {
    expect(readerRewritePath("/en/articles/a-b", "garbage")).toBe("/en/articles/a-b/en");
    expect(readerRewritePath("/en/articles/a-b", "")).toBe("/en/articles/a-b/en");
  });
  it("routes the furigana variant to its own cached page", () => {
    expect(readerRewritePath("/ja/articles/a-b", null, true)).toBe("/ja/articles/a-b/ja-furigana");
    expect(readerRewritePath("/en/articles/a-b", "both", true)).toBe("/en/articles/a-b/both-furigana");
  });
  it("reads ?furigana= first, then the remembered choice (which adds itself to the address)", () => {
    expect(furiganaChoice("1", undefined)).toEqual({ on: true, addToUrl: false });
    expect(furiganaChoice("0", "1")).toEqual({ on: false, addToUrl: false });
    expect(furiganaChoice("yes", "1")).toEqual({ on: false, addToUrl: false });
    expect(furiganaChoice(null, "1")).toEqual({ on: true, addToUrl: true });
    expect(furiganaChoice(null, "0")).toEqual({ on: false, addToUrl: false });
    expect(furiganaChoice(null, undefined)).toEqual({ on: false, addToUrl: false });
  });
  it("leaves other paths alone", () => {
    expect(readerRewritePath("/en", null)).toBeNull();
    expect(readerRewritePath("/en/articles", null)).toBeNull();
    expect(readerRewritePath("/en/articles/a/b/c", null)).toBeNull();
    expect(readerRewritePath("/fr/articles/a", null)).toBeNull();
  });
  it("does not route impossible slugs to the cached reader", () => {
    expect(readerRewritePath(`/en/articles/${"a".repeat(121)}`, null)).toBeNull();
    expect(readerRewritePath("/en/articles/..%2Fx", null)).toBeNull();
    expect(readerRewritePath("/en/articles/%E6%97%A5", null)).toBeNull();
  });
});
