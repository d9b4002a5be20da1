import { describe, expect, it } from "vitest";
import { parseLayers, serializeLayers } from "./layers";

const groupA = "11111111-1111-4111-8111-111111111111";
const groupB = "22222222-2222-4222-8222-222222222222";

describe("parseLayers", () => {
  it("absent or empty means every layer", () => {
    expect(parseLayers(undefined, [groupA])).toBeNull();
    expect(parseLayers("", [groupA])).toBeNull();
  });

  it("keeps only my groups, ignores unknown tokens, dedupes", () => {
    expect(parseLayers(`public,g:${groupA},g:${groupB},g:${groupA},admin,g:nope`, [groupA])).toEqual({
      public: true,
      mine: false,
      groupIds: [groupA],
    });
    expect(parseLayers(`g:${groupA.toUpperCase()}`, [groupA])?.groupIds).toEqual([groupA]);
  });

  it("'none' is an explicit empty choice and round-trips", () => {
    expect(parseLayers("none", [])).toEqual({ public: false, mine: false, groupIds: [] });
    expect(serializeLayers({ public: false, mine: false, groupIds: [] })).toBe("none");
    const layers = { public: true, mine: true, groupIds: [groupA] };
    expect(parseLayers(serializeLayers(layers), [groupA])).toEqual(layers);
    expect(serializeLayers(null)).toBe("");
  });
});
