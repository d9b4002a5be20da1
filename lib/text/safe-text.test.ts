import { describe, expect, it } from "vitest";
import { findUnstorableText, isStorableText } from "./safe-text";

describe("text PostgreSQL can store", () => {
  it("refuses NUL and lone surrogates, accepts everything else", () => {
    expect(isStorableText("日本語 and emoji 🇯🇵")).toBe(true);
    expect(isStorableText("a\u0000b")).toBe(false);
    expect(isStorableText("\ud800")).toBe(false);
    expect(isStorableText("x\udc00")).toBe(false);
  });

  it("finds the first unstorable string in a JSON value, keys included", () => {
    expect(findUnstorableText({ body: "fine", tags: ["ok"] })).toBeNull();
    expect(findUnstorableText({ body: "fine", mentions: ["a", "b\u0000"] })).toEqual(["mentions", 1]);
    expect(findUnstorableText({ range: { exact: "\ud83d" } })).toEqual(["range", "exact"]);
    expect(findUnstorableText({ "k\u0000": 1 })).toEqual(["k\u0000"]);
    expect(findUnstorableText("\u0000")).toEqual([]);
  });
});
