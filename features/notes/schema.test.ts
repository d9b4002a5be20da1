import { describe, expect, it } from "vitest";
import { answerSchema, createNoteSchema, parseLayers, serializeLayers } from "./schema";

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

describe("discussion schemas", () => {
  it("mentions are a short list of ids; unknown fields are refused", () => {
    const base = {
      paragraphId: groupA,
      locale: "en",
      kind: "comment",
      visibility: "group",
      groupId: groupB,
      body: "Hi @Bob",
      idempotencyKey: "abcdefgh12",
    };
    expect(createNoteSchema.safeParse({ ...base, mentions: ["u1"] }).success).toBe(true);
    expect(createNoteSchema.safeParse({ ...base, mentions: Array.from({ length: 21 }, (_, i) => `u${i}`) }).success).toBe(false);
    expect(answerSchema.safeParse({ replyId: groupA, version: 1 }).success).toBe(true);
    expect(answerSchema.safeParse({ replyId: groupA, version: 1, authorId: "x" }).success).toBe(false);
    expect(answerSchema.safeParse({ replyId: "nope", version: 1 }).success).toBe(false);
  });
});
