import { createHash } from "node:crypto";

/**
 * The sign-in limiter's per-account bucket key. It holds a hash of the address, not the address:
 * the bucket outlives the account (a failed attempt after a deletion creates it again), and no
 * table may keep a deleted person's address in clear (ADR 0036). Addresses are compared
 * case-insensitively, like the accounts themselves.
 */
export function signInAccountKey(email: string): string {
  return `sign-in:account:${createHash("sha256").update(email.trim().toLowerCase()).digest("hex")}`;
}
