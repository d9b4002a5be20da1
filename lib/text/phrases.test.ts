import { describe, expect, it } from "vitest";
import { splitPhrases } from "./phrases";

describe("splitPhrases", () => {
  it("splits Japanese into phrases that join back to the original text", () => {
    const text = "日本が地対空ミサイル「パトリオット」を米国に輸出すると決定した。";
    const phrases = splitPhrases(text, "ja");
    expect(phrases.length).toBeGreaterThan(3);
    expect(phrases.join("")).toBe(text);
    expect(phrases).toContain("「パトリオット」を");
  });

  it("leaves other languages whole", () => {
    expect(splitPhrases("Japan’s decision", "en")).toEqual(["Japan’s decision"]);
  });
});
