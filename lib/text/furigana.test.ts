import { describe, expect, it } from "vitest";
import { furiganaFor } from "@/lib/text/furigana";
import { segmentsText, tokenSegments, toHiragana } from "@/lib/text/ruby";

/** The readings over each kanji run, as "base(reading)" joined by spaces. */
function readings(segments: Awaited<ReturnType<typeof furiganaFor>>): string {
  return segments
    .filter((segment) => segment.length === 2)
    .map(([base, reading]) => `${base}(${reading})`)
    .join(" ");
}

describe("tokenSegments", () => {
  it("puts the reading over the kanji only, leaving okurigana plain", () => {
    expect(tokenSegments("食べ物", "タベモノ")).toEqual([["食", "た"], ["べ"], ["物", "もの"]]);
    expect(tokenSegments("見直し", "ミナオシ")).toEqual([["見直", "みなお"], ["し"]]);
  });

  it("gives an irregular reading to the whole word", () => {
    expect(tokenSegments("今日", "キョウ")).toEqual([["今日", "きょう"]]);
  });

  it("leaves words without kanji and words without a reading untouched", () => {
    expect(tokenSegments("ミサイル", "ミサイル")).toEqual([["ミサイル"]]);
    expect(tokenSegments("2026", null)).toEqual([["2026"]]);
    expect(tokenSegments("輸出", null)).toEqual([["輸出"]]);
  });

  it("converts katakana readings to hiragana", () => {
    expect(toHiragana("ボウエイショウ")).toBe("ぼうえいしょう");
    expect(toHiragana("パトリオット・ミサイル")).toBe("ぱとりおっと・みさいる");
  });
});

describe("furiganaFor (kuromoji + IPADIC)", () => {
  it("reads the issue's words", async () => {
    expect(readings(await furiganaFor("防衛省"))).toBe("防衛(ぼうえい) 省(しょう)");
    expect(readings(await furiganaFor("自衛隊"))).toBe("自衛隊(じえいたい)");
    expect(readings(await furiganaFor("共同通信"))).toBe("共同通信(きょうどうつうしん)");
    expect(readings(await furiganaFor("武器輸出三原則"))).toBe("武器(ぶき) 輸出(ゆしゅつ) 三(さん) 原則(げんそく)");
  }, 30_000);

  it("keeps the exact text, spaces, digits, latin and astral characters included", async () => {
    const text = "2026年、防衛省は「パトリオット」を輸出 (PAC-3)。𠮷野家で食べた。";
    const segments = await furiganaFor(text);
    expect(segmentsText(segments)).toBe(text);
    expect(readings(segments)).toContain("輸出(ゆしゅつ)");
    expect(readings(segments)).toContain("食(た)");
    expect(segments.some(([base]) => base === "パトリオット" || base.includes("パトリオット"))).toBe(true);
  }, 30_000);
});
