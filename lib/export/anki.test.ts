import { describe, expect, it } from "vitest";
import { ankiHeader, ankiLine } from "@/lib/export/anki";
import { readingOf } from "@/lib/text/ruby";

describe("Anki text file", () => {
  it("starts with the header lines Anki reads: tab separator, plain text, column names", () => {
    expect(ankiHeader()).toBe("#separator:tab\n#html:false\n#columns:Front\tBack\tReading\tSentence\tSource\n");
  });

  it("writes one line per card with exactly five tab-separated fields, tabs and line breaks flattened", () => {
    const line = ankiLine({ front: "武器輸出", back: "arms export\n(noun)\tcommon", reading: "ぶきゆしゅつ", sentence: "武器輸出に慎重な姿勢", source: "https://x.example/ja/articles/a#p-8" });
    expect(line.endsWith("\n")).toBe(true);
    const fields = line.slice(0, -1).split("\t");
    expect(fields).toEqual(["武器輸出", "arms export (noun) common", "ぶきゆしゅつ", "武器輸出に慎重な姿勢", "https://x.example/ja/articles/a#p-8"]);
  });
});

describe("readingOf", () => {
  const segments = [["日本", "にほん"], ["は"], ["武器", "ぶき"], ["輸出", "ゆしゅつ"], ["に"], ["慎重", "しんちょう"], ["な"]] as [string, string?][];
  const ruby = segments.map((s) => (s[1] ? [s[0], s[1]] : [s[0]])) as ([string] | [string, string])[];

  it("reads a range of kanji runs and kana", () => {
    expect(readingOf(ruby, 3, 7)).toBe("ぶきゆしゅつ");
    expect(readingOf(ruby, 0, 3)).toBe("にほんは");
    expect(readingOf(ruby, 7, 10)).toBe("にしんちょう");
  });

  it("is null for a range without kanji", () => {
    expect(readingOf(ruby, 2, 3)).toBeNull();
  });
});
