import "server-only";
import { getPrisma } from "@/lib/db/prisma";
import { rateLimitRefusals } from "@/lib/metrics/metrics.mjs";

export type Bucket = { capacity: number; refillPerSecond: number };
export type TakeResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Token bucket in Postgres, so every app instance shares the limit. One statement both refills
 * and spends: the UPDATE only happens when a token is available, which makes concurrent
 * requests race safely on the row lock instead of over-spending.
 */
export async function takeToken(key: string, bucket: Bucket, cost = 1): Promise<TakeResult> {
  const prisma = getPrisma();
  const spent = await prisma.$queryRaw<{ tokens: number }[]>`
    INSERT INTO rate_limit_bucket (key, tokens, updated_at)
    VALUES (${key}, ${bucket.capacity - cost}, clock_timestamp())
    ON CONFLICT (key) DO UPDATE
      SET tokens = LEAST(${bucket.capacity}::float8,
                         rate_limit_bucket.tokens
                           + EXTRACT(EPOCH FROM clock_timestamp() - rate_limit_bucket.updated_at) * ${bucket.refillPerSecond}::float8)
                   - ${cost}::float8,
          updated_at = clock_timestamp()
      WHERE LEAST(${bucket.capacity}::float8,
                  rate_limit_bucket.tokens
                    + EXTRACT(EPOCH FROM clock_timestamp() - rate_limit_bucket.updated_at) * ${bucket.refillPerSecond}::float8)
            >= ${cost}::float8
    RETURNING tokens`;
  if (spent.length) return { allowed: true };
  countRefusal(key);
  return { allowed: false, retryAfterSeconds: await secondsUntil(key, bucket, cost) };
}

/** Whether a bucket has a token left, without spending it (sign-in checks before it tries). */
export async function peekToken(key: string, bucket: Bucket, cost = 1): Promise<TakeResult> {
  const result = await peek(key, bucket, cost);
  // A refusal a caller acts on (sign-in locked, a writer out of tokens): counted once here.
  if (!result.allowed) countRefusal(key);
  return result;
}

async function peek(key: string, bucket: Bucket, cost: number): Promise<TakeResult> {
  const rows = await getPrisma().$queryRaw<{ tokens: number }[]>`
    SELECT LEAST(${bucket.capacity}::float8,
                 tokens + EXTRACT(EPOCH FROM clock_timestamp() - updated_at) * ${bucket.refillPerSecond}::float8) AS tokens
    FROM rate_limit_bucket WHERE key = ${key}`;
  const tokens = rows[0]?.tokens ?? bucket.capacity;
  if (tokens >= cost) return { allowed: true };
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((cost - tokens) / bucket.refillPerSecond)) };
}

async function secondsUntil(key: string, bucket: Bucket, cost: number): Promise<number> {
  const peeked = await peek(key, bucket, cost);
  return peeked.allowed ? 1 : peeked.retryAfterSeconds;
}

/**
 * taiyaku_rate_limit_refusals_total{limit}: the limit is the key's first part ("notes",
 * "sign-in", "sign-up"), never the user or address after it, so the label set stays small.
 */
function countRefusal(key: string) {
  rateLimitRefusals().inc({ limit: key.slice(0, Math.max(0, key.indexOf(":"))) || "other" });
}
