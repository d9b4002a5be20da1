import { describe, expect, it } from "vitest";
import { resolveTextMode, slugSchema } from "./schema";

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
