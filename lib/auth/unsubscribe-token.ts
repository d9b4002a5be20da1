import { createHmac, timingSafeEqual } from "node:crypto";
import { authSecret } from "@/lib/auth-secret";

// Unsubscribe links work without signing in (ADR 0035): the link itself is the credential. A
// token names a user and what to stop ("reply", …, or "all") and carries an HMAC-SHA256 over
// both, keyed by a key derived from the auth secret (its own purpose string, so a MAC made here
// is never valid anywhere else). Nothing is stored: the same user and scope always give the
// same token, so an old mail's link keeps working; changing BETTER_AUTH_SECRET voids them all.

export const UNSUBSCRIBE_SCOPES = ["reply", "mention", "answer", "moderation", "all"] as const;
export type UnsubscribeScope = (typeof UNSUBSCRIBE_SCOPES)[number];

const VERSION = "u1";

function key(): Buffer {
  return createHmac("sha256", authSecret()).update("taiyaku:unsubscribe-token:v1").digest();
}

function mac(userId: string, scope: UnsubscribeScope): string {
  return createHmac("sha256", key()).update(`${VERSION}.${userId}.${scope}`).digest("base64url");
}

/** `u1.<userId>.<scope>.<mac>`: URL-safe as it is (better-auth ids are [A-Za-z0-9_-]). */
export function createUnsubscribeToken(userId: string, scope: UnsubscribeScope): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(userId)) throw new Error("unsubscribe token: unexpected user id");
  return `${VERSION}.${userId}.${scope}.${mac(userId, scope)}`;
}

/** The user and scope of a genuine token; null for anything forged, altered or malformed. */
export function verifyUnsubscribeToken(token: string): { userId: string; scope: UnsubscribeScope } | null {
  if (token.length > 200) return null;
  const parts = token.split(".");
  if (parts.length !== 4) return null;
  const [version, userId, scope, given] = parts as [string, string, string, string];
  if (version !== VERSION || !/^[A-Za-z0-9_-]{1,64}$/.test(userId)) return null;
  if (!(UNSUBSCRIBE_SCOPES as readonly string[]).includes(scope)) return null;
  const expected = Buffer.from(mac(userId, scope as UnsubscribeScope));
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return null;
  return { userId, scope: scope as UnsubscribeScope };
}
