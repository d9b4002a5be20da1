import { describe, expect, it } from "vitest";
import { matchParagraphs, splitNeighbours, textSimilarity, type MatchParagraph } from "./paragraph-matching";

const en = (...texts: string[]): MatchParagraph[] => texts.map((text) => ({ text: { en: text } }));
const both = (...pairs: [string, string][]): MatchParagraph[] => pairs.map(([e, j]) => ({ text: { en: e, ja: j } }));

const A = "The government approved the export of Patriot missiles to the United States on Friday.";
const B = "Critics said the decision hollowed out the three principles on arms exports.";
const C = "The ministry said the missiles would replenish American stocks sent to Ukraine.";
const D = "Opposition parties demanded a debate in the Diet before any further transfers.";
const E = "Analysts expect more licensed production deals to follow in the coming years.";

describe("matchParagraphs", () => {
  it("keeps every paragraph when a paragraph is inserted at the top", () => {
    const m = matchParagraphs(en(A, B, C), en("A brand new opening paragraph.", A, B, C));
    expect(m.oldForNew).toEqual([null, 0, 1, 2]);
    expect(m.newForOld).toEqual([1, 2, 3]);
  });

  it("drops only the deleted paragraph", () => {
    const m = matchParagraphs(en(A, B, C, D), en(A, C, D));
    expect(m.newForOld).toEqual([0, null, 1, 2]);
    expect(m.absorbedInto[1]).toBeNull();
  });

  it("matches a typo fix in one language exactly (the other language is unchanged)", () => {
    const m = matchParagraphs(both([A, "政府は金曜日、パトリオットの輸出を承認した。"], [B, "批判もある。"]), both([A, "政府は金曜日、パトリオットの輸出を承認しました。"], [B, "批判もある。"]));
    expect(m.oldForNew).toEqual([0, 1]);
    expect(m.method).toEqual(["exact", "exact"]);
  });

  it("matches a typo fix in every language by similarity", () => {
    const m = matchParagraphs(en(A, B, C), en(A, B.replace("hollowed", "hollowd"), C));
    expect(m.oldForNew).toEqual([0, 1, 2]);
    expect(m.method[1]).toBe("similar");
  });

  it("tells a rewritten paragraph from an edited one", () => {
    const m = matchParagraphs(en(A, B, C), en(A, "Something else entirely, about weather in Hokkaido.", C));
    expect(m.oldForNew).toEqual([0, null, 2]);
    expect(m.newForOld[1]).toBeNull();
  });

  it("follows a moved paragraph", () => {
    const m = matchParagraphs(en(A, B, C, D, E), en(A, C, D, E, B));
    expect(m.oldForNew).toEqual([0, 2, 3, 4, 1]);
    expect(m.method[4]).toBe("moved");
  });

  it("follows a moved and slightly edited paragraph", () => {
    const m = matchParagraphs(en(A, B, C, D, E), en(B, C, D, E, A.replace("Friday", "Friday morning")));
    expect(m.oldForNew).toEqual([1, 2, 3, 4, 0]);
  });

  it("merge: the merged row keeps the first paragraph's id, the second is absorbed into it", () => {
    const m = matchParagraphs(en(A, B, C, D), en(A, `${B} ${C}`, D));
    expect(m.oldForNew).toEqual([0, 1, 3]);
    expect(m.newForOld[2]).toBeNull();
    expect(m.absorbedInto[2]).toBe(1);
  });

  it("merge: the first paragraph keeps its id even when the second is the longer one", () => {
    const short = "Short note.";
    const m = matchParagraphs(en(A, short, C, D), en(A, `${short} ${C}`, D));
    expect(m.oldForNew).toEqual([0, 1, 3]);
    expect(m.absorbedInto[2]).toBe(1);
  });

  it("merge of three paragraphs into one", () => {
    const m = matchParagraphs(en(A, B, C, D, E), en(A, `${B} ${C} ${D}`, E));
    expect(m.oldForNew).toEqual([0, 1, 4]);
    expect([m.absorbedInto[2], m.absorbedInto[3]]).toEqual([1, 1]);
  });

  it("split: the first part keeps the id, the rest is new", () => {
    const m = matchParagraphs(en(A, `${B} ${C}`, D), en(A, B, C, D));
    expect(m.oldForNew).toEqual([0, 1, null, 2]);
    expect(splitNeighbours(m, 1)).toEqual([2]);
  });

  it("matches identical duplicate paragraphs in order", () => {
    const m = matchParagraphs(en("* * *", A, "* * *", B), en("New.", "* * *", A, "* * *", B));
    expect(m.oldForNew).toEqual([null, 0, 1, 2, 3]);
  });

  it("handles empty sides", () => {
    expect(matchParagraphs([], en(A)).oldForNew).toEqual([null]);
    expect(matchParagraphs(en(A), []).newForOld).toEqual([null]);
  });

  it("compares Japanese by characters (no word spaces needed)", () => {
    expect(textSimilarity({ text: { ja: "政府は金曜日、パトリオットの輸出を承認した。" } }, { text: { ja: "政府は金曜、パトリオットの輸出を承認した。" } })).toBeGreaterThan(0.8);
    expect(textSimilarity({ text: { ja: "政府は金曜日に承認した。" } }, { text: { ja: "野党は国会での審議を求めた。" } })).toBeLessThan(0.3);
  });

  it("keeps 2,000 paragraphs where every one was edited (one long gap) correct", () => {
    const old = Array.from({ length: 2000 }, (_, n) => ({ text: { en: `Paragraph ${n} says ${(n * 7919) % 1000} things about topic ${n % 37}.` } }));
    const next = [{ text: { en: "A new first paragraph." } }, ...old.map((p) => ({ text: { en: `${p.text.en} (edited)` } }))];
    const m = matchParagraphs(old, next);
    expect(m.oldForNew.slice(1)).toEqual(old.map((_, n) => n));
  });

  it("aligns 2,000 heavily edited paragraphs (similar, not nearly equal) with inserts and deletes in between", () => {
    const old = Array.from({ length: 2000 }, (_, n) => ({ text: { en: `Paragraph ${n} is about topic ${n % 37} and says ${(n * 7919) % 1000} things.` } }));
    const edited = old.map((p) => ({ text: { en: `${p.text.en} Reporters added, after a long pause, more words.` } }));
    // Row 500 deleted, a new row inserted before old row 1500.
    const next = [...edited.slice(0, 500), ...edited.slice(501, 1500), { text: { en: "Something inserted, unrelated to the rest." } }, ...edited.slice(1500)];
    const m = matchParagraphs(old, next);
    const expected = [...old.keys()].filter((n) => n !== 500);
    expect(m.oldForNew.filter((i) => i !== null)).toEqual(expected);
    expect(m.newForOld[500]).toBeNull();
    expect(m.oldForNew[1499]).toBeNull();
  });
});
