import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/lib/testing/test-database";
import { deployMigrations } from "@/lib/db/migration-engine";
import { dbPoolConnections, dbQueryDuration, rateLimitRefusals } from "@/lib/metrics/metrics.mjs";

// Readiness (lib/db/readiness.ts) against a real database, and the figures the app's own modules
// feed into /metrics: pool use, query latency, rate-limit refusals (ADR 0024).

process.env.LOG_LEVEL = "silent";
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let readiness: typeof import("@/lib/db/readiness");

beforeAll(async () => {
  db = await createTestDatabase("ready");
  await deployMigrations(db.url);
  process.env.DATABASE_URL = db.url;
  readiness = await import("@/lib/db/readiness");
});

afterAll(async () => {
  const { getLiveListener } = await import("@/lib/live/listener");
  await getLiveListener().stop();
  const { getPrisma } = await import("@/lib/db/prisma");
  await getPrisma().$disconnect();
  await db?.drop();
});

/** Forget the remembered "migrations are current" answer, as a new deploy would. */
const forgetMigrationState = () => ((globalThis as { taiyakuReadiness?: unknown }).taiyakuReadiness = undefined);

async function sampleValue(metric: { get(): Promise<{ values: { value: number; labels: Record<string, unknown>; metricName?: string }[] }> }, match: (v: { labels: Record<string, unknown>; metricName?: string }) => boolean) {
  return (await metric.get()).values.find(match)?.value ?? 0;
}

describe("readiness", () => {
  it("is ready with the database up, every migration applied and the live LISTEN connection open", async () => {
    const result = await readiness.checkReadiness();
    expect(result).toEqual({ ready: true, checks: { database: true, migrations: true, liveListener: true, cacheTags: null }, failed: [] });
  });

  it("is not ready while a migration of this build is missing from the database", async () => {
    const { getPrisma } = await import("@/lib/db/prisma");
    const [last] = await getPrisma().$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name DESC LIMIT 1`;
    await getPrisma().$executeRaw`UPDATE "_prisma_migrations" SET finished_at = NULL WHERE migration_name = ${last!.migration_name}`;
    try {
      forgetMigrationState();
      const result = await readiness.checkReadiness();
      expect(result.ready).toBe(false);
      expect(result.failed).toEqual(["migrations"]);
    } finally {
      await getPrisma().$executeRaw`UPDATE "_prisma_migrations" SET finished_at = now() WHERE migration_name = ${last!.migration_name}`;
    }
    expect((await readiness.checkReadiness()).ready).toBe(true);
  });

  it("checks the shared cache-tag listener when this process runs one", async () => {
    const key = Symbol.for("taiyaku.cacheTags");
    const state = { connected: false, lastSyncAt: 0 };
    (globalThis as Record<symbol, unknown>)[key] = state;
    try {
      expect(await readiness.checkReadiness()).toMatchObject({ ready: false, failed: ["cacheTags"] });
      state.connected = true;
      expect(await readiness.checkReadiness()).toMatchObject({ ready: true, checks: { cacheTags: true } });
    } finally {
      delete (globalThis as Record<symbol, unknown>)[key];
    }
  });
});

describe("metrics fed by the app's modules", () => {
  it("measures the pool and its queries", async () => {
    const before = await sampleValue(dbQueryDuration(), (v) => v.metricName === "taiyaku_db_query_duration_seconds_count");
    const { getPrisma } = await import("@/lib/db/prisma");
    await getPrisma().$queryRaw`SELECT 1`;
    await getPrisma().$transaction([getPrisma().$queryRaw`SELECT 2`, getPrisma().$queryRaw`SELECT 3`]);
    const after = await sampleValue(dbQueryDuration(), (v) => v.metricName === "taiyaku_db_query_duration_seconds_count");
    // SELECT 1, then BEGIN, SELECT 2, SELECT 3, COMMIT on one client.
    expect(after - before).toBeGreaterThanOrEqual(5);
    expect(await sampleValue(dbPoolConnections(), (v) => v.labels.state === "total")).toBeGreaterThanOrEqual(1);
    expect(await sampleValue(dbPoolConnections(), (v) => v.labels.state === "waiting")).toBe(0);
  });

  it("counts rate-limit refusals by the limit's name, not its key", async () => {
    const { takeToken, peekToken } = await import("@/lib/db/rate-limit");
    const bucket = { capacity: 1, refillPerSecond: 0.001 };
    const refusals = () => sampleValue(rateLimitRefusals(), (v) => v.labels.limit === "metrics-test");
    expect(await refusals()).toBe(0);
    expect((await takeToken("metrics-test:user:abc", bucket)).allowed).toBe(true);
    expect((await takeToken("metrics-test:user:abc", bucket)).allowed).toBe(false);
    expect(await refusals()).toBe(1);
    expect((await peekToken("metrics-test:user:abc", bucket)).allowed).toBe(false);
    expect(await refusals()).toBe(2);
    const labels = (await rateLimitRefusals().get()).values.map((v) => String(v.labels.limit));
    expect(labels.some((label) => label.includes("abc"))).toBe(false);
  });
});
