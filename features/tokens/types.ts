import type { ApiTokenScope } from "@/lib/auth/api-token";

// Zod-free limits: the token form imports them (check:features keeps zod off the client).
export const MAX_TOKEN_NAME = 100;
/** Live (not revoked, not expired) tokens a user may hold at once. */
export const MAX_LIVE_TOKENS = 50;
export const TOKEN_EXPIRIES = [30, 90, 365] as const;
export type TokenExpiry = (typeof TOKEN_EXPIRIES)[number];

/** A token as its owner sees it in the list: never the hash, never the token. */
export type TokenDto = {
  id: string;
  name: string;
  scopes: ApiTokenScope[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
};
