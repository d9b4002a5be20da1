import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { Prisma } from "@/lib/generated/prisma/client";
import { getPrisma } from "@/lib/db/prisma";
import type { Bucket } from "@/lib/db/rate-limit";
import { asSiteRole } from "@/lib/permissions/core";
import { ACTIVE_SUSPENSION, spendCte, toSuspension, type Suspension, type Viewer, type ViewerRow } from "./viewer";

// Personal API tokens (ADR 0027). Lives in lib/ because the one pipeline (lib/http/endpoint.ts)
// resolves the viewer of a Bearer request; features/tokens only creates, lists and revokes them.

export const API_TOKEN_SCOPES = ["read", "write"] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];

/** A recognizable prefix: secret scanners and people can tell a leaked Taiyaku token at a glance. */
export const API_TOKEN_PREFIX = "tyk_";
/** `tyk_` + 32 random bytes (256 bits) in base64url (43 characters, no padding). */
const TOKEN_PATTERN = /^tyk_[A-Za-z0-9_-]{43}$/;

/** Last use is written at most this often per token, so a busy script does not turn reads into writes. */
export const LAST_USE_RESOLUTION_SECONDS = 60;

export function newApiToken(): string {
  return API_TOKEN_PREFIX + randomBytes(32).toString("base64url");
}

/** Only this is stored (like invite links): a leaked database dump holds no usable token. */
export function hashApiToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * The token of an `Authorization: Bearer …` header: a string when the scheme is Bearer (possibly
 * malformed, which the lookup then refuses), null without such a header.
 */
export function bearerTokenFrom(request: Pick<Request, "headers">): string | null {
  const header = request.headers.get("authorization");
  if (header === null) return null;
  const match = /^\s*Bearer(?:\s+(.*))?$/i.exec(header);
  return match ? (match[1] ?? "").trim() : null;
}

export type TokenViewerLookup = {
  viewer: Viewer;
  suspension: Suspension | null;
  scopes: ApiTokenScope[];
  spent: boolean | null;
} | null;

type Row = ViewerRow & { scopes: string[] };

/**
 * The user behind a live token (not revoked, not expired), their suspension, the token's scopes
 * and — for writers holding the scope — one token from their rate-limit bucket, in ONE
 * statement like lib/auth/viewer.ts lookupViewer. A token without the needed scope or of a
 * suspended user spends nothing. Last use is recorded in the same statement, at most once a
 * minute. Malformed tokens cost no round trip. Database errors propagate (503, never 401).
 */
export async function lookupTokenViewer(
  token: string,
  spend?: { key: string; bucket: Bucket; scope: ApiTokenScope },
): Promise<TokenViewerLookup> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const hash = hashApiToken(token);
  const take = spend ? spendCte(spend, Prisma.sql`AND ${spend.scope} = ANY(v.scopes)`) : Prisma.empty;
  const spent = spend ? Prisma.sql`EXISTS (SELECT 1 FROM take)` : Prisma.sql`NULL::boolean`;
  const rows = await getPrisma().$queryRaw<Row[]>`
    WITH v AS (
      SELECT u.id, u.name, u.email, u.role::text AS role, u.preferred_locale, t.id AS token_id, t.last_used_at,
             t.scopes::text[] AS scopes,
             ${ACTIVE_SUSPENSION} AS suspension
        FROM api_token t JOIN "user" u ON u.id = t.user_id
       WHERE t.token_hash = ${hash} AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())
    ),
    touch AS (
      UPDATE api_token SET last_used_at = now()
       WHERE id = (SELECT token_id FROM v WHERE last_used_at IS NULL OR last_used_at < now() - make_interval(secs => ${LAST_USE_RESOLUTION_SECONDS}))
    )${take}
    SELECT id, name, email, role, preferred_locale, suspension, scopes, ${spent} AS spent FROM v`;
  const row = rows[0];
  if (!row) return null;
  const scopes = row.scopes.filter((scope): scope is ApiTokenScope => (API_TOKEN_SCOPES as readonly string[]).includes(scope));
  return {
    viewer: { id: row.id, name: row.name, email: row.email, role: asSiteRole(row.role), preferredLocale: row.preferred_locale },
    suspension: toSuspension(row.suspension),
    scopes,
    spent: row.spent,
  };
}
