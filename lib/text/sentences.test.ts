import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseArticleText } from "@/lib/content/parse-article";
import { sliceCodePoints } from "@/lib/text/code-points";
import { alignSentences } from "@/lib/text/sentence-alignment";
import { splitSentences, splitSentenceTexts } from "@/lib/text/sentences";

const texts = (text: string, locale: string) => splitSentences(text, locale).map((span) => sliceCodePoints(text, span.start, span.end));

describe("splitSentences", () => {
  it("splits English sentences and keeps abbreviations before capitals inside the sentence", () => {
    expect(texts("The U.S. Army agreed. Mr. Abe did not. Talks continue.", "en")).toEqual(["The U.S. Army agreed.", "Mr. Abe did not.", "Talks continue."]);
  });

  it("does not end a Japanese sentence inside quotes or brackets", () => {
    expect(texts("首相は「輸出する。第三国には渡さない。」と述べた。防衛省も確認した。", "ja")).toEqual([
      "首相は「輸出する。第三国には渡さない。」と述べた。",
      "防衛省も確認した。",
    ]);
    expect(texts("彼は言った（詳細は後述。）。次の文！", "ja")).toEqual(["彼は言った（詳細は後述。）。", "次の文！"]);
  });

  it("keeps a closing bracket after 。 with its sentence", () => {
    expect(texts("「行く。」次に進む。", "ja")).toEqual(["「行く。」", "次に進む。"]);
  });

  it("counts in code points and the pieces concatenate back to the text", () => {
    const text = "𠮷野家で食べた。おいしかった。";
    expect(splitSentenceTexts(text, "ja").join("")).toBe(text);
    expect(splitSentences(text, "ja")).toEqual([
      { start: 0, end: 8 },
      { start: 8, end: 15 },
    ]);
  });
});

describe("alignSentences (Gale–Church)", () => {
  const lengths = (text: string, locale: string) => splitSentences(text, locale).map((span) => span.end - span.start);

  it("pairs 1–1 when the counts match", () => {
    const en = "Japan will export missiles to the United States. The ministry confirmed it on Friday.";
    const ja = "日本は米国にミサイルを輸出する。防衛省が金曜日に確認した。";
    expect(alignSentences(lengths(en, "en"), lengths(ja, "ja"))).toEqual([
      [0, 1, 0, 1],
      [1, 2, 1, 2],
    ]);
  });

  it("finds a 2–1 bead where two short English sentences are one Japanese sentence", () => {
    const en =
      "The decision was announced on Friday. It surprised analysts. Officials said the missiles will not be transferred to third countries under any circumstances.";
    const ja = "決定は金曜日に発表され、専門家を驚かせた。当局者は、ミサイルはいかなる状況でも第三国に移転されないと述べた。";
    expect(alignSentences(lengths(en, "en"), lengths(ja, "ja"))).toEqual([
      [0, 2, 0, 1],
      [2, 3, 1, 2],
    ]);
  });

  it("finds a 1–2 bead where one English sentence became two Japanese ones", () => {
    const en =
      "The Japanese Ministry of Defense confirmed that the missiles, produced under an American license and already in service with the Self-Defense Forces, will be used by U.S. units. Critics disagree.";
    const ja = "防衛省は同ミサイルが米国のライセンス生産品であると説明した。既に自衛隊が運用しており、米軍部隊が使用すると確認した。批判派は反対している。";
    expect(alignSentences(lengths(en, "en"), lengths(ja, "ja"))).toEqual([
      [0, 1, 0, 2],
      [1, 2, 2, 3],
    ]);
  });

  it("pairs everything with nothing when one side is empty, and nothing when both are", () => {
    expect(alignSentences([10, 20], [])).toEqual([[0, 2, 0, 0]]);
    expect(alignSentences([], [])).toEqual([]);
  });
});

describe("the seed article's sentence pairs (checked by hand, frozen)", () => {
  it("matches the fixture paragraph by paragraph", () => {
    const dir = path.join(import.meta.dirname, "../../content/articles/japan-patriot-missile-export");
    const en = parseArticleText(readFileSync(path.join(dir, "en.md"), "utf8")).paragraphs;
    const ja = parseArticleText(readFileSync(path.join(dir, "ja.md"), "utf8")).paragraphs;
    const fixture = JSON.parse(readFileSync(path.join(import.meta.dirname, "fixtures/seed-sentence-pairs.json"), "utf8")) as {
      paragraph: string;
      pairs: { en: string[]; ja: string[] }[];
    }[];
    expect(fixture).toHaveLength(en.length);
    for (const [index, expected] of fixture.entries()) {
      const enText = en[index]!;
      const jaText = ja[index]!;
      const enSpans = splitSentences(enText, "en");
      const jaSpans = splitSentences(jaText, "ja");
      const pairs = alignSentences(
        enSpans.map((span) => span.end - span.start),
        jaSpans.map((span) => span.end - span.start),
      ).map(([fromA, toA, fromB, toB]) => ({
        en: enSpans.slice(fromA, toA).map((span) => sliceCodePoints(enText, span.start, span.end)),
        ja: jaSpans.slice(fromB, toB).map((span) => sliceCodePoints(jaText, span.start, span.end)),
      }));
      expect({ paragraph: `p-${index + 1}`, pairs }).toEqual(expected);
    }
  });
});
