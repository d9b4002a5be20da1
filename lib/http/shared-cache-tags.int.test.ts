import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/lib/testing/test-database";
import { cacheTagInvalidations, listenerLag, listenerReconnects } from "@/lib/metrics/metrics.mjs";
import { SharedCacheTags, type TagManifest } from "./shared-cache-tags.mjs";

// Two stores on one real PostgreSQL stand in for two app instances (each with its own copy of
// Next's tag map): what one invalidates, the other learns by NOTIFY, by its resync after a lost
// connection, or by reading the table when it starts.

let db: Awaited<ReturnType<typeof createTestDatabase>>;
const stores: SharedCacheTags[] = [];

function instance(manifest: TagManifest = new Map(), options: { pollIntervalMs?: number } = {}) {
  const store = new SharedCacheTags({ databaseUrl: db.url, manifest, log: () => undefined, baseDelayMs: 50, maxDelayMs: 200, ...options });
  stores.push(store);
  store.start();
  return { store, manifest };
}

async function until<T>(read: () => T | undefined, timeoutMs: number): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  for (;;) {
    const value = read();
    if (value !== undefined) return { value, ms: performance.now() - started };
    if (performance.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

async function metricValue(metric: { get(): Promise<{ values: { value: number; labels: Record<string, unknown>; metricName?: string }[] }> }, labels: Record<string, string>, name?: string) {
  const { values } = await metric.get();
  const match = values.find((v) => (!name || v.metricName === name) && Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return match?.value ?? 0;
}

async function query(sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  db = await createTestDatabase("cachetags");
  const { deployMigrations } = await import("@/lib/db/migration-engine");
  await deployMigrations(db.url);
});

afterAll(async () => {
  await Promise.all(stores.map((s) => s.stop()));
  await db?.drop();
});

describe("shared cache tags", () => {
  it("after a graceful shutdown stops its listener, an instance still publishes what requests finishing meanwhile invalidate", async () => {
    const a = instance();
    const b = instance();
    expect(await a.store.whenSynced(5_000)).toBe(true);
    expect(await b.store.whenSynced(5_000)).toBe(true);
    await a.store.stop({ keepPublishing: true });
    expect(a.store.state.connected).toBe(false);
    await a.store.publish(["notes:during-drain"], { expire: 0 });
    await until(() => b.manifest.get("notes:during-drain"), 1_000);
    stores.splice(stores.indexOf(b.store), 1);
    await b.store.stop();
  });

  it("batches a burst of invalidations into a few statements, and every caller learns it was stored", async () => {
    const a = instance();
    const b = instance();
    expect(await a.store.whenSynced(5_000)).toBe(true);
    expect(await b.store.whenSynced(5_000)).toBe(true);
    const received: string[] = [];
    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    listener.on("notification", (n) => received.push(n.payload ?? ""));
    await listener.query("LISTEN cache_tags");
    try {
      // 300 writes at once on one article (each expiring its tag) and one on another.
      const writes = Array.from({ length: 300 }, () => a.store.publish(["notes:burst"], { expire: 0 }));
      writes.push(a.store.publish(["notes:burst-other"], { expire: 0 }));
      await Promise.all(writes);
      await until(() => b.manifest.get("notes:burst-other"), 1_000);
      expect(b.manifest.get("notes:burst")?.expired).toBeTypeOf("number");
      await until(() => (received.length >= 1 ? true : undefined), 1_000);
      // One publication in flight at a time: the first goes alone, the rest together.
      expect(received.length).toBeGreaterThanOrEqual(1);
      expect(received.length).toBeLessThanOrEqual(3);
      expect((await query("SELECT tag FROM cache_tag WHERE tag LIKE 'notes:burst%' ORDER BY tag")).map((r) => r.tag)).toEqual(["notes:burst", "notes:burst-other"]);
    } finally {
      await listener.end();
      // Later tests count what their own stores receive.
      for (const store of [a.store, b.store]) stores.splice(stores.indexOf(store), 1);
      await Promise.all([a.store.stop(), b.store.stop()]);
    }
  });

  it("applies another instance's invalidation at the receipt time, and stores the row", async () => {
    const a = instance();
    const b = instance();
    expect(await a.store.whenSynced(5_000)).toBe(true);
    expect(await b.store.whenSynced(5_000)).toBe(true);
    expect(b.store.state.connected).toBe(true);

    const remoteBefore = await metricValue(cacheTagInvalidations(), { origin: "remote" });
    const lagBefore = await metricValue(listenerLag(), { listener: "cache" }, "taiyaku_listener_lag_seconds_count");
    const latencies: number[] = [];
    for (let i = 0; i < 20; i++) {
      const tag = `notes:latency-${i}`;
      const before = Date.now();
      const published = a.store.publish([tag], { expire: 0 });
      const { value, ms } = await until(() => b.manifest.get(tag), 1_000);
      await published;
      latencies.push(ms);
      // Receipt time on B's own clock, never the sender's or the database's.
      expect(value.expired).toBeGreaterThanOrEqual(before);
      expect(value.stale).toBe(value.expired);
      // A's own notification is not applied again (Next already did, locally).
      expect(a.manifest.has(tag)).toBe(false);
    }
    latencies.sort((x, y) => x - y);
    console.log(`NOTIFY→apply over 20 invalidations: median ${latencies[10]!.toFixed(1)} ms, max ${latencies[19]!.toFixed(1)} ms`);
    expect(latencies[19]).toBeLessThan(1_000);
    expect(await metricValue(cacheTagInvalidations(), { origin: "remote" })).toBe(remoteBefore + 20);
    expect(await metricValue(listenerLag(), { listener: "cache" }, "taiyaku_listener_lag_seconds_count")).toBe(lagBefore + 20);

    const [row] = await query(`SELECT stale_at, expired_at, updated_at FROM cache_tag WHERE tag = 'notes:latency-0'`);
    expect(row.expired_at.getTime()).toBe(row.updated_at.getTime());
    expect(row.stale_at.getTime()).toBe(row.updated_at.getTime());
  });

  it("stores an expiry in the future for a stale-while-revalidate invalidation, without durations an immediate one", async () => {
    const a = instance();
    const b = instance();
    await Promise.all([a.store.whenSynced(5_000), b.store.whenSynced(5_000)]);
    await a.store.publish(["swr"], { expire: 60 });
    const { value } = await until(() => b.manifest.get("swr"), 1_000);
    expect(value.expired! - value.stale!).toBe(60_000);
    await a.store.publish("legacy", undefined);
    const legacy = await until(() => b.manifest.get("legacy"), 1_000);
    expect(legacy.value.stale).toBeUndefined();
    expect(typeof legacy.value.expired).toBe("number");
    const rows = await query(`SELECT tag, stale_at, expired_at, updated_at FROM cache_tag WHERE tag IN ('swr', 'legacy') ORDER BY tag`);
    expect(rows[0].stale_at).toBeNull();
    expect(rows[1].expired_at.getTime() - rows[1].updated_at.getTime()).toBe(60_000);
  });

  it("splits a long list over several notifications and loses no tag", async () => {
    const a = instance();
    const b = instance();
    await Promise.all([a.store.whenSynced(5_000), b.store.whenSynced(5_000)]);
    const tags = Array.from({ length: 120 }, (_, i) => `article:${String(i).padStart(3, "0")}-${"x".repeat(200)}`);
    await a.store.publish(tags, { expire: 0 });
    await until(() => (tags.every((tag) => b.manifest.has(tag)) ? true : undefined), 2_000);
    const [{ n }] = await query(`SELECT count(*)::int AS n FROM cache_tag WHERE tag LIKE 'article:%'`);
    expect(n).toBe(120);
  });

  it("learns what was written while its LISTEN connection was down, and reconnects", async () => {
    const a = instance();
    const b = instance(new Map(), { pollIntervalMs: 60_000 }); // no polling: the resync must do it
    await Promise.all([a.store.whenSynced(5_000), b.store.whenSynced(5_000)]);
    // Drop every LISTEN connection, then write before they are back.
    await query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'taiyaku-cache-tags' AND datname = current_database()`);
    await until(() => (b.store.state.connected ? undefined : true), 2_000);
    await a.store.publish(["missed"], { expire: 0 });
    const { ms } = await until(() => b.manifest.get("missed"), 3_000);
    console.log(`invalidation written while B's LISTEN was down: applied after ${ms.toFixed(0)} ms (reconnect + resync)`);
    await until(() => (b.store.state.connected ? true : undefined), 3_000);
    expect(await metricValue(listenerReconnects(), { listener: "cache" })).toBeGreaterThanOrEqual(1);
  });

  it("polls the table while the LISTEN connection is down", async () => {
    const manifest: TagManifest = new Map();
    // The listener points at a database that does not exist: it never connects, polling carries it.
    const listenUrl = new URL(db.url);
    listenUrl.pathname = "/no_such_database";
    const b = new SharedCacheTags({ databaseUrl: db.url, listenUrl: listenUrl.toString(), manifest, log: () => undefined, pollIntervalMs: 100, baseDelayMs: 5_000, maxDelayMs: 5_000 });
    stores.push(b);
    b.start();
    const a = instance();
    await a.store.whenSynced(5_000);
    await until(() => (b.state.lastSyncAt > 0 ? true : undefined), 2_000);
    expect(b.state.connected).toBe(false);
    await a.store.publish(["polled"], { expire: 0 });
    const { ms } = await until(() => manifest.get("polled"), 1_000);
    console.log(`invalidation learnt by polling (100 ms interval): ${ms.toFixed(0)} ms`);
  });

  it("applies the table's rows when it starts (entries built before the start count as older)", async () => {
    const a = instance();
    await a.store.whenSynced(5_000);
    await a.store.publish(["before-start"], { expire: 0 });
    const started = Date.now();
    const c = instance();
    expect(await c.store.whenSynced(5_000)).toBe(true);
    expect(c.manifest.get("before-start")?.expired).toBeGreaterThanOrEqual(started);
  });

  it("keeps an earlier immediate expiry when a stale-while-revalidate one follows", async () => {
    const a = instance();
    await a.store.whenSynced(5_000);
    await a.store.publish(["both"], { expire: 0 });
    await a.store.publish(["both"], { expire: 31_536_000 });
    const [row] = await query(`SELECT expired_at, updated_at FROM cache_tag WHERE tag = 'both'`);
    expect(row.expired_at.getTime()).toBeLessThan(row.updated_at.getTime() + 1);
  });
});
