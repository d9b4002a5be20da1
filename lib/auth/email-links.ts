import { createHash, randomBytes } from "node:crypto";

// The single-use links mailed for a password reset and an email verification (ADR 0033): 256
// random bits in base64url, of which only the sha256 is stored (better-auth's `verification`
// table, identifier "<purpose>:<hash>"), so a copy of the database opens no account. A link is
// used up by deleting its row in the same transaction as what it does.

export type EmailLinkPurpose = "reset-password" | "verify-email";

export const RESET_LINK_MINUTES = 30;
export const VERIFY_LINK_HOURS = 48;

/** What a link's token looks like: anything else is refused before any lookup. */
export const LINK_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newLinkToken(): string {
  return randomBytes(32).toString("base64url");
}

/** The `verification.identifier` a token is stored under. */
export function linkIdentifier(purpose: EmailLinkPurpose, token: string): string {
  return `${purpose}:${createHash("sha256").update(token).digest("hex")}`;
}

/**
 * REQUIRE_VERIFIED_EMAIL: may an unverified account publish public and group notes? An explicit
 * value wins (1/true/on, 0/false/off); unset, it is on exactly when mail can reach people
 * (SMTP_URL set) — without SMTP a new user could never get the link, except from an admin.
 */
export function requireVerifiedEmail(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  const raw = env.REQUIRE_VERIFIED_EMAIL?.trim().toLowerCase();
  if (raw && ["1", "true", "on", "yes"].includes(raw)) return true;
  if (raw && ["0", "false", "off", "no"].includes(raw)) return false;
  return Boolean(env.SMTP_URL?.trim());
}
