import type { ApiTokenScope } from "@/lib/auth/api-token";

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
