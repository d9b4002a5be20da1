import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compareMessageCatalogs, icuArguments } from "./compare-messages";

describe("icuArguments", () => {
  it("finds simple and plural arguments but not nested ones", () => {
    expect(icuArguments("{count, plural, one {# of {total}} other {#}} by {name}")).toEqual(["count", "name"]);
    expect(icuArguments("no args")).toEqual([]);
  });
});

describe("compareMessageCatalogs", () => {
  it("reports missing keys and differing placeholders", () => {
    const problems = compareMessageCatalogs({
      en: { A: { x: "Hi {name}", y: "Only here" } },
      ja: { A: { x: "こんにちは" } },
    });
    expect(problems).toEqual(["A.x: placeholders differ (en: {name} vs ja: {})", "A.y: missing in ja"]);
  });

  it("finds nothing wrong with the shipped catalogs", () => {
    const load = (l: string) => JSON.parse(readFileSync(path.join(import.meta.dirname, `../../messages/${l}.json`), "utf8"));
    expect(compareMessageCatalogs({ en: load("en"), ja: load("ja") })).toEqual([]);
  });
});
