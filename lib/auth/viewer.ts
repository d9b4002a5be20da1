import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { Prisma } from "@/lib/generated/prisma/client";
import { authSecret } from "@/lib/auth-secret";
import { getPrisma } from "@/lib/db/prisma";
import type { Bucket } from "@/lib/db/rate-limit";
import { readCookie } from "@/lib/http/request-context";
import { SESSION_COOKIE } from "@/lib/session-cookie";
import { asSiteRole, type SiteRole } from "@/lib/permissions/core";

export type Role = SiteRole;
export type Suspension = { reason: string; endsAt: string | null };
export type Viewer = { id: string; name: string; email: string; role: Role; preferredLocale: string | null };
export type ViewerLookup = { viewer: Viewer; suspension: Suspension | null; spent: boolean | null } | null;

// Same lifetimes as better-auth's configuration (lib/auth/better-auth.ts): a session lives 30
// days and is pushed forward at most once a day while it is used.
const SESSION_DAYS = 30;
const SESSION_UPDATE_AGE_HOURS = 24;

/**
 * The session token in a better-auth cookie (`<token>.<base64 HMAC-SHA256>`), or null when the
 * cookie is missing, malformed or not signed with our secret. Checked here, before any SQL, so a
 * forged cookie costs no database round trip.
 */
export function sessionTokenFrom(request: Pick<Request, "headers">): string | null {
  const value = readCookie(request, SESSION_COOKIE);
  if (!value) return null;
  const dot = value.lastIndexOf(".");
  if (dot < 1) return null;
  const token = value.slice(0, dot);
  const signature = Buffer.from(value.slice(dot + 1), "base64");
  const expected = createHmac("sha256", authSecret()).update(token).digest();
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) return null;
  return token;
}

/** A viewer row as the lookup statements select it (also lib/auth/api-token.ts). */
export type ViewerRow = {
  id: string;
  name: string;
  email: string;
  role: string;
  preferred_locale: string | null;
  suspension: { reason: string; endsAt: string | null } | null;
  spent: boolean | null;
};

/**
 * The signed-in user behind a request, their suspension and (for writers) one token from their
 * rate-limit bucket, in ONE statement: a write used to spend four round trips (better-auth's
 * session and user reads, the suspension, the bucket) before doing any work. A suspended user
 * spends no token. `spend.key` is the bucket key prefix; the user id is appended.
 *
 * Database errors propagate: the caller must answer 503, never "signed out" (a signed-in reader
 * told they are signed out during an outage would be a lie, and clients would drop their state).
 */
export async function lookupViewer(request: Pick<Request, "headers">, spend?: { key: string; bucket: Bucket }): Promise<ViewerLookup> {
  const token = sessionTokenFrom(request);
  if (!token) return null;
  const take = spend ? spendCte(spend, Prisma.empty) : Prisma.empty;
  const spent = spend ? Prisma.sql`EXISTS (SELECT 1 FROM take)` : Prisma.sql`NULL::boolean`;
  const rows = await getPrisma().$queryRaw<ViewerRow[]>`
    WITH v AS (
      SELECT u.id, u.name, u.email, u.role::text AS role, u.preferred_locale, s.id AS session_id, s.updated_at AS session_updated_at,
             ${ACTIVE_SUSPENSION} AS suspension
        FROM session s JOIN "user" u ON u.id = s.user_id
       WHERE s.token = ${token} AND s.expires_at > now()
    ),
    touch AS (
      UPDATE session SET expires_at = now() + make_interval(days => ${SESSION_DAYS}), updated_at = now()
       WHERE id = (SELECT session_id FROM v WHERE session_updated_at < now() - make_interval(hours => ${SESSION_UPDATE_AGE_HOURS}))
    )${take}
    SELECT id, name, email, role, preferred_locale, suspension, ${spent} AS spent FROM v`;
  const row = rows[0];
  if (!row) return null;
  const role = asSiteRole(row.role);
  return { viewer: { id: row.id, name: row.name, email: row.email, role, preferredLocale: row.preferred_locale }, suspension: toSuspension(row.suspension), spent: row.spent };
}

// Shared with lib/auth/api-token.ts, whose lookup resolves a token's user the same way.

/** The user `u`'s active suspension as JSON ({reason, endsAt}), or NULL. */
export const ACTIVE_SUSPENSION = Prisma.sql`(SELECT json_build_object('reason', x.reason, 'endsAt', x.ends_at)
                FROM user_suspension x
               WHERE x.user_id = u.id AND x.lifted_at IS NULL AND (x.ends_at IS NULL OR x.ends_at > now())
               ORDER BY x.created_at DESC LIMIT 1)`;

export function toSuspension(value: { reason: string; endsAt: string | null } | null): Suspension | null {
  return value ? { reason: value.reason, endsAt: value.endsAt ? new Date(value.endsAt).toISOString() : null } : null;
}

/**
 * The `take` CTE: one token from the bucket `spend.key || v.id` of the viewer row `v`, only for
 * an unsuspended viewer and when `also` (an extra `AND …` condition, or empty) holds.
 */
export function spendCte(spend: { key: string; bucket: Bucket }, also: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`,
      take AS (
        INSERT INTO rate_limit_bucket (key, tokens, updated_at)
        SELECT ${spend.key} || v.id, ${spend.bucket.capacity - 1}::float8, clock_timestamp() FROM v WHERE v.suspension IS NULL ${also}
        ON CONFLICT (key) DO UPDATE
          SET tokens = LEAST(${spend.bucket.capacity}::float8,
                             rate_limit_bucket.tokens
                               + EXTRACT(EPOCH FROM clock_timestamp() - rate_limit_bucket.updated_at) * ${spend.bucket.refillPerSecond}::float8) - 1,
              updated_at = clock_timestamp()
          WHERE LEAST(${spend.bucket.capacity}::float8,
                      rate_limit_bucket.tokens
                        + EXTRACT(EPOCH FROM clock_timestamp() - rate_limit_bucket.updated_at) * ${spend.bucket.refillPerSecond}::float8) >= 1
        RETURNING 1
      )`;
}
