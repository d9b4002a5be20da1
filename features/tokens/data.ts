import "server-only";
import { getPrisma } from "@/lib/db/prisma";
import type { TokenDto } from "./types";

const tokenSelect = { id: true, name: true, scopes: true, createdAt: true, expiresAt: true, lastUsedAt: true, revokedAt: true } as const;

type TokenRow = { id: string; name: string; scopes: ("read" | "write")[]; createdAt: Date; expiresAt: Date | null; lastUsedAt: Date | null; revokedAt: Date | null };

export function toTokenDto(row: TokenRow): TokenDto {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/** The owner's tokens, newest first, revoked ones included (revoking keeps the row). */
export async function listTokens(userId: string): Promise<TokenDto[]> {
  const rows = await getPrisma().apiToken.findMany({ where: { userId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: tokenSelect });
  return rows.map(toTokenDto);
}

export { tokenSelect };
