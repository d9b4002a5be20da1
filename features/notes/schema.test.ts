import { describe, expect, it } from "vitest";
import { answerSchema, createNoteSchema } from "./schema";

const groupA = "11111111-1111-4111-8111-111111111111";
const groupB = "22222222-2222-4222-8222-222222222222";

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
