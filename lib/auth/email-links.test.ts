import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { LINK_TOKEN_PATTERN, linkIdentifier, newLinkToken, requireVerifiedEmail } from "./email-links";

describe("mailed link tokens", () => {
  it("are 256 random bits in base64url, stored only as their sha256", () => {
    const a = newLinkToken();
    const b = newLinkToken();
    expect(a).toMatch(LINK_TOKEN_PATTERN);
    expect(a).not.toBe(b);
    expect(Buffer.from(a, "base64url")).toHaveLength(32);
    const id = linkIdentifier("reset-password", a);
    expect(id).toBe(`reset-password:${createHash("sha256").update(a).digest("hex")}`);
    expect(id).not.toContain(a);
    // The purpose is part of the key: a reset token is no verification token.
    expect(linkIdentifier("verify-email", a)).not.toBe(id);
  });
});

describe("REQUIRE_VERIFIED_EMAIL", () => {
  it("defaults to on exactly when SMTP is configured; an explicit value wins", () => {
    expect(requireVerifiedEmail({})).toBe(false);
    expect(requireVerifiedEmail({ SMTP_URL: "smtp://mail.example:587" })).toBe(true);
    expect(requireVerifiedEmail({ SMTP_URL: "  " })).toBe(false);
    expect(requireVerifiedEmail({ SMTP_URL: "smtp://mail.example", REQUIRE_VERIFIED_EMAIL: "0" })).toBe(false);
    expect(requireVerifiedEmail({ SMTP_URL: "smtp://mail.example", REQUIRE_VERIFIED_EMAIL: "off" })).toBe(false);
    expect(requireVerifiedEmail({ REQUIRE_VERIFIED_EMAIL: "1" })).toBe(true);
    expect(requireVerifiedEmail({ REQUIRE_VERIFIED_EMAIL: "TRUE" })).toBe(true);
    // Nonsense is no explicit choice: the default applies.
    expect(requireVerifiedEmail({ REQUIRE_VERIFIED_EMAIL: "maybe" })).toBe(false);
  });
});
