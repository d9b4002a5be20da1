import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createUnsubscribeToken, verifyUnsubscribeToken } from "./unsubscribe-token";

const SECRET = "unit-test-secret-for-unsubscribe-tokens-0123456789";

describe("unsubscribe tokens", () => {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.BETTER_AUTH_SECRET;
    process.env.BETTER_AUTH_SECRET = SECRET;
  });
  afterEach(() => {
    process.env.BETTER_AUTH_SECRET = saved;
  });

  it("verifies its own tokens and gives back the user and scope", () => {
    const token = createUnsubscribeToken("userA123", "reply");
    expect(verifyUnsubscribeToken(token)).toEqual({ userId: "userA123", scope: "reply" });
    expect(createUnsubscribeToken("userA123", "reply")).toBe(token);
  });

  it("refuses a token moved to another user or another scope", () => {
    const token = createUnsubscribeToken("userA123", "reply");
    const mac = token.split(".")[3];
    expect(verifyUnsubscribeToken(`u1.userB456.reply.${mac}`)).toBeNull();
    expect(verifyUnsubscribeToken(`u1.userA123.all.${mac}`)).toBeNull();
  });

  it("refuses forged, truncated and malformed tokens", () => {
    const token = createUnsubscribeToken("userA123", "mention");
    expect(verifyUnsubscribeToken(token.slice(0, -1))).toBeNull();
    expect(verifyUnsubscribeToken(`${token}x`)).toBeNull();
    expect(verifyUnsubscribeToken("u1.userA123.mention.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).toBeNull();
    expect(verifyUnsubscribeToken("u1.userA123.everything." + token.split(".")[3])).toBeNull();
    expect(verifyUnsubscribeToken("")).toBeNull();
    expect(verifyUnsubscribeToken("u2." + token.slice(3))).toBeNull();
  });

  it("is void once the secret changes", () => {
    const token = createUnsubscribeToken("userA123", "all");
    process.env.BETTER_AUTH_SECRET = `${SECRET}-rotated`;
    expect(verifyUnsubscribeToken(token)).toBeNull();
  });
});
