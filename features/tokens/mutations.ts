import "server-only";
import { hashApiToken, newApiToken } from "@/lib/auth/api-token";
import { getPrisma } from "@/lib/db/prisma";
import { isUuid } from "@/lib/ids";
import { tokenSelect, toTokenDto } from "./data";
import type { CreateTokenInput } from "./schema";
import { MAX_LIVE_TOKENS, type TokenDto } from "./types";

const DAY_MS = 86_400_000;

export type CreateTokenResult = { ok: true; token: string; dto: TokenDto } | { ok: false; code: "too_many" };

/**
 * A new token: 256 random bits, returned once; only its sha256 is stored. The live-token count
 * and the insert run under a per-user advisory lock, so two parallel requests cannot both take
 * the last place.
 */
export async function createToken(userId: string, input: CreateTokenInput): Promise<CreateTokenResult> {
  const token = newApiToken();
  return getPrisma().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended('api_token:' || ${userId}, 0))`;
    const now = new Date();
    const live = await tx.apiToken.count({ where: { userId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } });
    if (live >= MAX_LIVE_TOKENS) return { ok: false, code: "too_many" } as const;
    const row = await tx.apiToken.create({
      data: {
        userId,
        // The same clock as expiresAt: "30 days" is exactly 30 days in the list.
        createdAt: now,
        name: input.name,
        scopes: input.scopes,
        tokenHash: hashApiToken(token),
        expiresAt: input.expiresInDays === null ? null : new Date(now.getTime() + input.expiresInDays * DAY_MS),
      },
      select: tokenSelect,
    });
    return { ok: true, token, dto: toTokenDto(row) } as const;
  });
}

/**
 * Revokes one of the owner's tokens (someone else's id is simply not found). Revoking twice
 * keeps the first time. The row stays: the list shows when it was revoked.
 */
export async function revokeToken(userId: string, tokenId: string): Promise<TokenDto | null> {
  if (!isUuid(tokenId)) return null;
  const prisma = getPrisma();
  await prisma.apiToken.updateMany({ where: { id: tokenId, userId, revokedAt: null }, data: { revokedAt: new Date() } });
  const row = await prisma.apiToken.findFirst({ where: { id: tokenId, userId }, select: tokenSelect });
  return row ? toTokenDto(row) : null;
}
