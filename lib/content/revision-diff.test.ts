import { describe, expect, it } from "vitest";
import { buildRevisionDiff, inlineDiff } from "./revision-diff";

const p = (key: string, en: string, ja?: string, heading = false) => ({ key, heading, text: { en, ...(ja === undefined ? {} : { ja }) } });

describe("inlineDiff", () => {
  it("diffs English by words, keeping the whitespace", () => {
    const parts = inlineDiff("en", "The quick brown fox", "The quick red fox");
    expect(parts).toEqual([
      { type: "same", text: "The quick " },
      { type: "del", text: "brown" },
      { type: "ins", text: "red" },
      { type: "same", text: " fox" },
    ]);
    // Both sides read back exactly.
    expect(parts.filter((x) => x.type !== "ins").map((x) => x.text).join("")).toBe("The quick brown fox");
    expect(parts.filter((x) => x.type !== "del").map((x) => x.text).join("")).toBe("The quick red fox");
  });

  it("diffs Japanese by characters", () => {
    expect(inlineDiff("ja", "日本の首相", "日本の外相")).toEqual([
      { type: "same", text: "日本の" },
      { type: "del", text: "首" },
      { type: "ins", text: "外" },
      { type: "same", text: "相" },
    ]);
  });

  it("shows a text that appeared or disappeared whole", () => {
    expect(inlineDiff("en", "", "New text")).toEqual([{ type: "ins", text: "New text" }]);
    expect(inlineDiff("ja", "古い", "")).toEqual([{ type: "del", text: "古い" }]);
    expect(inlineDiff("en", "", "")).toEqual([]);
  });

  it("falls back to remove-all/insert-all for texts too different to diff cheaply", () => {
    const before = Array.from({ length: 3000 }, (_, i) => String.fromCodePoint(0x3042 + (i % 80))).join("");
    const after = Array.from({ length: 3000 }, (_, i) => String.fromCodePoint(0x4e00 + (i % 90))).join("");
    expect(inlineDiff("ja", before, after)).toEqual([
      { type: "del", text: before },
      { type: "ins", text: after },
    ]);
  });
});

describe("buildRevisionDiff", () => {
  it("matches by key: an insert at the top changes nothing else", () => {
    const before = { paragraphs: [p("p-1", "One", "一"), p("p-2", "Two", "二")] };
    const after = { paragraphs: [p("p-3", "Zero", "零"), p("p-1", "One", "一"), p("p-2", "Two", "二")] };
    const diff = buildRevisionDiff(before, after);
    expect(diff.paragraphs.map((x) => [x.key, x.kind, x.beforePosition, x.afterPosition])).toEqual([
      ["p-3", "added", null, 1],
      ["p-1", "unchanged", 1, 2],
      ["p-2", "unchanged", 2, 3],
    ]);
    expect(diff.counts).toEqual({ added: 1, removed: 0, changed: 0, moved: 0, unchanged: 2 });
    expect(diff.paragraphs[0]!.locales.map((l) => [l.locale, l.parts])).toEqual([
      ["en", [{ type: "ins", text: "Zero" }]],
      ["ja", [{ type: "ins", text: "零" }]],
    ]);
  });

  it("keeps a removed paragraph where it stood", () => {
    const before = { paragraphs: [p("p-1", "One"), p("p-2", "Two"), p("p-3", "Three")] };
    const after = { paragraphs: [p("p-1", "One"), p("p-3", "Three")] };
    const diff = buildRevisionDiff(before, after);
    expect(diff.paragraphs.map((x) => [x.key, x.kind])).toEqual([
      ["p-1", "unchanged"],
      ["p-2", "removed"],
      ["p-3", "unchanged"],
    ]);
    expect(diff.paragraphs[1]!.locales[0]).toMatchObject({ before: "Two", after: null, parts: [{ type: "del", text: "Two" }] });
  });

  it("puts paragraphs removed from the top first", () => {
    const diff = buildRevisionDiff({ paragraphs: [p("p-1", "One"), p("p-2", "Two")] }, { paragraphs: [p("p-2", "Two")] });
    expect(diff.paragraphs.map((x) => [x.key, x.kind])).toEqual([
      ["p-1", "removed"],
      ["p-2", "unchanged"],
    ]);
  });

  it("classifies a text change in either language as changed, with an inline diff per language", () => {
    const before = { paragraphs: [p("p-1", "A typo hre.", "同じ"), p("p-2", "Same", "前")] };
    const after = { paragraphs: [p("p-1", "A typo here.", "同じ"), p("p-2", "Same", "後")] };
    const diff = buildRevisionDiff(before, after);
    expect(diff.paragraphs.map((x) => x.kind)).toEqual(["changed", "changed"]);
    const [en, ja] = diff.paragraphs[0]!.locales;
    expect(en!.parts).toEqual([
      { type: "same", text: "A typo " },
      { type: "del", text: "hre" },
      { type: "ins", text: "here" },
      { type: "same", text: "." },
    ]);
    expect(ja!.parts).toEqual([{ type: "same", text: "同じ" }]);
    expect(diff.paragraphs[1]!.locales[1]!.parts).toEqual([
      { type: "del", text: "前" },
      { type: "ins", text: "後" },
    ]);
  });

  it("counts a heading flag change and a newly added translation as changes", () => {
    const before = { paragraphs: [p("p-1", "Title", undefined, false), p("p-2", "Body")] };
    const after = { paragraphs: [p("p-1", "Title", undefined, true), p("p-2", "Body", "本文")] };
    const diff = buildRevisionDiff(before, after);
    expect(diff.paragraphs.map((x) => x.kind)).toEqual(["changed", "changed"]);
    expect(diff.paragraphs[0]!.heading).toEqual({ before: false, after: true });
    expect(diff.paragraphs[1]!.locales.find((l) => l.locale === "ja")).toMatchObject({ before: null, after: "本文" });
  });

  it("marks a paragraph whose order changed as moved, and only that one", () => {
    const before = { paragraphs: [p("p-1", "One"), p("p-2", "Two"), p("p-3", "Three"), p("p-4", "Four")] };
    const after = { paragraphs: [p("p-1", "One"), p("p-3", "Three"), p("p-4", "Four!"), p("p-2", "Two")] };
    const diff = buildRevisionDiff(before, after);
    expect(diff.paragraphs.map((x) => [x.key, x.kind, x.moved])).toEqual([
      ["p-1", "unchanged", false],
      ["p-3", "unchanged", false],
      ["p-4", "changed", false],
      ["p-2", "moved", true],
    ]);
    expect(diff.counts.moved).toBe(1);
  });

  it("flags a paragraph that moved and changed as changed + moved", () => {
    const before = { paragraphs: [p("p-1", "One"), p("p-2", "Two"), p("p-3", "Three")] };
    const after = { paragraphs: [p("p-2", "Two"), p("p-3", "Three"), p("p-1", "One!")] };
    const diff = buildRevisionDiff(before, after);
    expect(diff.paragraphs.map((x) => [x.key, x.kind, x.moved])).toEqual([
      ["p-2", "unchanged", false],
      ["p-3", "unchanged", false],
      ["p-1", "changed", true],
    ]);
  });

  it("compares identical snapshots as all unchanged", () => {
    const snapshot = { paragraphs: [p("p-1", "One", "一")] };
    expect(buildRevisionDiff(snapshot, snapshot).counts).toEqual({ added: 0, removed: 0, changed: 0, moved: 0, unchanged: 1 });
  });
});
