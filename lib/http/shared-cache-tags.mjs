// The cache tags every app instance agrees on (ADR 0022). Next keeps tag invalidations in a
// process-global map (tags-manifest.external.js) that its page and data caches consult on every
// lookup; on its own that map only knows this process's revalidateTag calls. This module makes
// it a mirror of a shared store in PostgreSQL:
//  - a local revalidateTag also upserts the tags into `cache_tag` and sends pg_notify on the
//    `cache_tags` channel in the same statement (one commit: no notification without its row);
//  - one LISTEN connection per process applies other instances' invalidations to the map as
//    they arrive, stamped with the local receipt time;
//  - after every (re)connect it re-reads the rows changed since the last one it saw, so a
//    notification missed while disconnected is never lost;
//  - while the LISTEN connection is down it polls the table instead (see `poll`).
// Plain JavaScript: it is loaded with the cache handler by Node as it is, outside the bundles.
import { randomUUID } from "node:crypto";
import pg from "pg";
import tagsManifestModule from "next/dist/server/lib/incremental-cache/tags-manifest.external.js";
import { cacheTagInvalidations, listenerLag, listenerReconnects } from "../metrics/metrics.mjs";

export const CHANNEL = "cache_tags";
/** NOTIFY refuses payloads of 8000 bytes or more; the rest is room for the JSON around the tags. */
export const MAX_PAYLOAD_BYTES = 7_000;
/** The `cache_tag.tag` column (and Next's own limit for tags). */
export const MAX_TAG_LENGTH = 256;
/**
 * Rows are re-read from this far before the newest `updated_at` seen: `updated_at` is the
 * writer's transaction time, and a transaction that started earlier may commit after a later
 * one was already read. Rows already applied are skipped by their `updated_at`.
 */
const RESYNC_OVERLAP_MS = 10_000;
/** At most one publication per this interval (see publish): what it adds to the 1 s budget. */
const PUBLISH_INTERVAL_MS = 20;

const STATE_KEY = Symbol.for("taiyaku.cacheTags");
const STORE_KEY = Symbol.for("taiyaku.cacheTags.store");

/** Next's map; the same module instance Next's own caches read (it is never bundled). */
export const nextTagsManifest = (tagsManifestModule.default ?? tagsManifestModule).tagsManifest;

/**
 * Applies one invalidation to a tags manifest at time `now` (ms), as Next's FileSystemCache does
 * for a local revalidateTag: with durations the tag turns stale now and expires after
 * `durations.expire` seconds; without, it expires now. One difference: an expiry that already
 * took effect is not pushed into the future by a later stale-while-revalidate invalidation —
 * the map keeps one time per tag, and replacing a past expiry with a future one would let
 * entries that were expired be served (stale) again.
 */
export function applyInvalidation(manifest, tags, durations, now) {
  for (const tag of tags) {
    const entry = { ...manifest.get(tag) };
    if (durations) {
      entry.stale = now;
      if (durations.expire !== undefined && durations.expire !== null) {
        const expired = now + durations.expire * 1000;
        const alreadyExpired = typeof entry.expired === "number" && entry.expired <= now;
        if (!(alreadyExpired && expired > now)) entry.expired = expired;
      }
    } else {
      entry.expired = now;
    }
    manifest.set(tag, entry);
  }
}

/** Splits tags so each notification's payload stays under NOTIFY's limit. */
export function chunkTags(tags, maxBytes = MAX_PAYLOAD_BYTES) {
  const chunks = [];
  let current = [];
  let size = 0;
  for (const tag of tags) {
    const bytes = Buffer.byteLength(JSON.stringify(tag)) + 1;
    if (current.length > 0 && size + bytes > maxBytes) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(tag);
    size += bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * A notification: t = tags, d = whether durations were given (false: expire now),
 * e = durations.expire in seconds (or null), s = sender instance, st = sender's clock (ms),
 * at = the rows' updated_at (ms, the database's clock).
 */
export function parsePayload(text) {
  try {
    const value = JSON.parse(text ?? "");
    if (!value || !Array.isArray(value.t) || !value.t.every((tag) => typeof tag === "string")) return null;
    return {
      tags: value.t,
      durations: value.d ? { expire: typeof value.e === "number" ? value.e : undefined } : undefined,
      sender: typeof value.s === "string" ? value.s : "",
      sentAt: typeof value.st === "number" ? value.st : null,
      at: typeof value.at === "number" ? value.at : null,
    };
  } catch {
    return null;
  }
}

// One statement per chunk: the upsert and the notification commit together. An expiry already
// in the past is kept rather than replaced by a future one (as applyInvalidation does).
const PUBLISH_SQL = `
WITH clock AS (SELECT now()::timestamptz(3) AS at),
upsert AS (
  INSERT INTO cache_tag AS c (tag, stale_at, expired_at, updated_at)
  SELECT tag,
         CASE WHEN $2::boolean THEN clock.at END,
         CASE WHEN NOT $2::boolean THEN clock.at
              WHEN $3::float8 IS NOT NULL THEN clock.at + make_interval(secs => $3::float8) END,
         clock.at
  FROM unnest($1::text[]) AS tag, clock
  ON CONFLICT (tag) DO UPDATE SET
    stale_at = COALESCE(EXCLUDED.stale_at, c.stale_at),
    expired_at = CASE
      WHEN c.expired_at IS NOT NULL AND c.expired_at <= EXCLUDED.updated_at AND EXCLUDED.expired_at > EXCLUDED.updated_at THEN c.expired_at
      ELSE COALESCE(EXCLUDED.expired_at, c.expired_at) END,
    updated_at = EXCLUDED.updated_at
  RETURNING 1
)
SELECT pg_notify('${CHANNEL}', json_build_object(
         't', $1::text[], 'd', $2::boolean, 'e', $3::float8, 's', $4::text, 'st', $5::float8,
         'at', round(extract(epoch FROM clock.at) * 1000)
       )::text),
       (SELECT count(*) FROM upsert)::int AS n
FROM clock`;

const RESYNC_SQL = `
SELECT tag, stale_at, expired_at, updated_at FROM cache_tag
WHERE updated_at > $1::timestamptz ORDER BY updated_at`;

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref?.());

export class SharedCacheTags {
  /**
   * @param {object} options
   * @param {string} options.databaseUrl  queries and notifications (a pooler is fine)
   * @param {string} [options.listenUrl]  the LISTEN connection (must be direct; default databaseUrl)
   * @param {Map<string, {stale?: number, expired?: number}>} [options.manifest]
   */
  constructor({
    databaseUrl,
    listenUrl = databaseUrl,
    manifest = nextTagsManifest,
    instanceId = randomUUID(),
    pollIntervalMs = 250,
    baseDelayMs = 250,
    maxDelayMs = 5_000,
    pingIntervalMs = 2_000,
    state = { connected: false, lastSyncAt: 0 },
    log = (message) => console.warn(`[cache-tags] ${message}`),
  }) {
    this.databaseUrl = databaseUrl;
    this.listenUrl = listenUrl;
    this.manifest = manifest;
    this.instanceId = instanceId;
    this.opts = { pollIntervalMs, baseDelayMs, maxDelayMs, pingIntervalMs };
    this.log = log;
    /** Read by /api/ready (ADR 0024): `connected` and the last successful sync (ms). */
    this.state = state;
    this.state.connected = false;
    this.state.lastSyncAt = 0;
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 2, connectionTimeoutMillis: 2_000, idleTimeoutMillis: 10_000 });
    // An idle client's socket error must not crash the process (the database restarting).
    this.pool.on("error", () => undefined);
    this.client = null;
    /** Invalidations waiting for the next publication, by durations (see publish). */
    this.pending = new Map();
    this.flushTimer = null;
    this.flushing = false;
    this.lastFlushAt = 0;
    this.stopped = false;
    this.started = false;
    this.attempt = 0;
    this.everConnected = false;
    this.retryTimer = null;
    this.pingTimer = null;
    this.pollTimer = null;
    this.polling = false;
    /** Newest `updated_at` read from the table (ms); resyncs start RESYNC_OVERLAP_MS before it. */
    this.lastSeen = 0;
    /** tag → `updated_at` (ms) of the invalidation already applied here: resyncs skip those. */
    this.applied = new Map();
    this.syncedOnce = new Promise((resolve) => (this.resolveSynced = resolve));
  }

  start() {
    if (this.started || this.stopped) return;
    this.started = true;
    this.startPolling();
    void this.connect();
  }

  /**
   * Resolves once the local map reflects the shared table (the first sync), or after timeoutMs.
   * Lookups wait for it once after start: build-time pages on disk may carry tags that were
   * invalidated since the build.
   */
  whenSynced(timeoutMs) {
    if (this.state.lastSyncAt > 0) return Promise.resolve(true);
    // One deadline for every caller: with the database down at start, lookups wait once, not each.
    this.initialWait ??= Promise.race([this.syncedOnce.then(() => true), delay(timeoutMs).then(() => false)]);
    return this.initialWait;
  }

  /**
   * Shares a local invalidation (already applied to this process's map by Next): upserts the
   * rows and notifies every instance. Resolves once it is stored (rejects if it could not be).
   *
   * Batched: one publication is in flight at a time, at most one per PUBLISH_INTERVAL_MS, and
   * whatever arrives meanwhile goes out together. An idle instance publishes at once; under
   * many writers (hundreds of notes a second on one article, each expiring the same tag) this
   * is a few statements a second instead of one per write — one per write made the pool's two
   * connections a queue that timed out under load, and the invalidations with it.
   */
  publish(tags, durations) {
    const list = [...new Set(typeof tags === "string" ? [tags] : tags)].filter((tag) => {
      if (tag.length <= MAX_TAG_LENGTH) return true;
      this.log(`tag longer than ${MAX_TAG_LENGTH} characters not shared: ${tag.slice(0, 80)}…`);
      return false;
    });
    if (list.length === 0) return Promise.resolve();
    const key = durations ? `expire:${durations.expire ?? ""}` : "now";
    let batch = this.pending.get(key);
    if (!batch) {
      batch = { tags: new Set(), durations, waiters: [] };
      this.pending.set(key, batch);
    }
    for (const tag of list) batch.tags.add(tag);
    const stored = new Promise((resolve, reject) => batch.waiters.push({ resolve, reject }));
    this.scheduleFlush();
    return stored;
  }

  scheduleFlush() {
    if (this.flushTimer || this.flushing || this.pending.size === 0) return;
    const wait = Math.max(0, this.lastFlushAt + PUBLISH_INTERVAL_MS - Date.now());
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      void this.flush();
    }, wait);
  }

  async flush() {
    this.flushing = true;
    this.lastFlushAt = Date.now();
    const batches = [...this.pending.values()];
    this.pending.clear();
    for (const batch of batches) {
      try {
        await this.publishNow([...batch.tags], batch.durations);
        for (const waiter of batch.waiters) waiter.resolve();
      } catch (error) {
        for (const waiter of batch.waiters) waiter.reject(error);
      }
    }
    this.flushing = false;
    this.scheduleFlush();
  }

  /** One publication: one statement per chunk (one transaction), retried briefly on failure. */
  async publishNow(list, durations) {
    const hasDurations = Boolean(durations);
    const expire = hasDurations && typeof durations.expire === "number" ? durations.expire : null;
    const chunks = chunkTags(list);
    for (let attempt = 0; ; attempt++) {
      try {
        const client = await this.pool.connect();
        try {
          if (chunks.length > 1) await client.query("BEGIN");
          // Our own notification comes back to our listener, which only records it as applied.
          for (const chunk of chunks) await client.query(PUBLISH_SQL, [chunk, hasDurations, expire, this.instanceId, Date.now()]);
          if (chunks.length > 1) await client.query("COMMIT");
          client.release();
        } catch (error) {
          if (chunks.length > 1) await client.query("ROLLBACK").catch(() => undefined);
          client.release(true);
          throw error;
        }
        return;
      } catch (error) {
        if (attempt >= 2 || this.stopped) {
          this.log(`could not share the invalidation of ${list.length} tag(s): ${error instanceof Error ? error.message : String(error)}`);
          throw error;
        }
        await delay(100 * 3 ** attempt);
      }
    }
  }

  /**
   * Stops listening and polling. With `keepPublishing` (a graceful shutdown) the publishing
   * pool stays open: requests still finishing during the drain publish their invalidations,
   * and the pool goes with the process. Otherwise what is pending is published, then the pool
   * closes.
   */
  async stop({ keepPublishing = false } = {}) {
    if (!keepPublishing) {
      // What this instance invalidated last still reaches the others before the pool closes.
      if (this.flushTimer) clearTimeout(this.flushTimer);
      this.flushTimer = null;
      while (this.flushing) await delay(5);
      if (this.pending.size) await this.flush();
    }
    this.stopped = true;
    for (const timer of [this.retryTimer, this.pingTimer]) if (timer) clearTimeout(timer);
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.retryTimer = this.pingTimer = this.pollTimer = null;
    const client = this.client;
    this.client = null;
    this.state.connected = false;
    await client?.end().catch(() => undefined);
    if (!keepPublishing) await this.pool.end().catch(() => undefined);
  }

  /** Applies a notification from another instance at the local receipt time. */
  handleNotification(payload) {
    const message = parsePayload(payload);
    if (!message) return;
    const now = Date.now();
    if (message.sender !== this.instanceId) {
      applyInvalidation(this.manifest, message.tags, message.durations, now);
      cacheTagInvalidations().inc({ origin: "remote" }, message.tags.length);
      if (message.sentAt !== null) listenerLag().observe({ listener: "cache" }, Math.max(0, now - message.sentAt) / 1000);
    }
    if (message.at !== null) {
      for (const tag of message.tags) if ((this.applied.get(tag) ?? 0) < message.at) this.applied.set(tag, message.at);
    }
  }

  /**
   * Re-reads the rows changed since the last sync and applies those not applied yet, at the
   * local receipt time (a row says "invalidated after you last looked": anything this process
   * built before now may predate it). Runs after each (re)connect and on each poll.
   */
  async resync(queryable) {
    const since = new Date(Math.max(0, this.lastSeen - RESYNC_OVERLAP_MS));
    const { rows } = await queryable.query(RESYNC_SQL, [since]);
    const now = Date.now();
    let remote = 0;
    for (const row of rows) {
      const at = row.updated_at.getTime();
      if (at > this.lastSeen) this.lastSeen = at;
      if ((this.applied.get(row.tag) ?? 0) >= at) continue;
      this.applied.set(row.tag, at);
      const entry = { ...this.manifest.get(row.tag) };
      if (row.stale_at) entry.stale = now;
      if (row.expired_at) {
        // The expiry as a delay after the write, re-based on the receipt time: an expiry at or
        // before the write means "expired now".
        const offset = Math.max(0, row.expired_at.getTime() - at);
        const expired = now + offset;
        const alreadyExpired = typeof entry.expired === "number" && entry.expired <= now;
        if (!(alreadyExpired && expired > now)) entry.expired = expired;
      }
      this.manifest.set(row.tag, entry);
      remote += 1;
    }
    if (remote > 0) cacheTagInvalidations().inc({ origin: "remote" }, remote);
    this.state.lastSyncAt = Date.now();
    this.resolveSynced();
  }

  // While the LISTEN connection is down the local map cannot be trusted to hear about writes,
  // so the table is read every pollIntervalMs instead: another instance's write still shows
  // here within about that long. If the poll fails too, the database is unreachable from here
  // and the cached entries are served as they are: this instance could not render anything
  // fresher, and a write that this instance cannot see is one it could not read either.
  // (The alternative, treating every tagged entry as a miss, would turn a listener hiccup into
  // a full re-render of every page under load.)
  startPolling() {
    if (this.pollTimer || this.stopped) return;
    this.pollTimer = setInterval(() => void this.poll(), this.opts.pollIntervalMs);
    this.pollTimer.unref?.();
  }

  stopPolling() {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
  }

  async poll() {
    if (this.polling || this.client || this.stopped) return;
    this.polling = true;
    try {
      await this.resync(this.pool);
    } catch {
      // Unreachable: the next poll or the reconnect tries again.
    } finally {
      this.polling = false;
    }
  }

  async connect() {
    if (this.stopped) return;
    // Named, so an operator sees it in pg_stat_activity (one per instance).
    const client = new pg.Client({
      connectionString: this.listenUrl,
      application_name: "taiyaku-cache-tags",
      connectionTimeoutMillis: 5_000,
      keepAlive: true,
      query_timeout: 5_000,
    });
    let failed = false;
    const onFailure = (error) => {
      if (failed) return;
      failed = true;
      if (this.client === client) this.client = null;
      this.state.connected = false;
      if (this.pingTimer) clearInterval(this.pingTimer);
      this.pingTimer = null;
      client.removeAllListeners("notification");
      void client.end().catch(() => undefined);
      if (!this.stopped) {
        this.log(`LISTEN connection lost (${error instanceof Error ? error.message : String(error)}); polling and reconnecting`);
        this.startPolling();
        this.scheduleReconnect();
      }
    };
    client.on("error", onFailure);
    client.on("end", () => onFailure(new Error("connection ended")));
    client.on("notification", (message) => {
      if (message.channel === CHANNEL) this.handleNotification(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      // LISTEN first, then read: whatever commits after this read arrives as a notification.
      await this.resync(client);
    } catch (error) {
      onFailure(error);
      return;
    }
    if (this.stopped || failed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.attempt = 0;
    this.stopPolling();
    this.state.connected = true;
    if (this.everConnected) listenerReconnects().inc({ listener: "cache" });
    this.everConnected = true;
    // A silently dead socket delivers nothing and reports nothing: a query on it every few
    // seconds (with query_timeout) notices, and polling takes over.
    this.pingTimer = setInterval(() => {
      client.query("SELECT 1").catch(onFailure);
    }, this.opts.pingIntervalMs);
    this.pingTimer.unref?.();
  }

  scheduleReconnect() {
    if (this.retryTimer || this.stopped) return;
    const ceiling = Math.min(this.opts.maxDelayMs, this.opts.baseDelayMs * 2 ** this.attempt);
    this.attempt += 1;
    const wait = Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, wait);
    this.retryTimer.unref?.();
  }
}

/** What /api/ready reads (ADR 0024); present from the first import, filled in by the store. */
export const cacheTagsState = (globalThis[STATE_KEY] ??= { connected: false, lastSyncAt: 0 });

/**
 * This process's store, started on first use; null where there is no database (next build,
 * tools). One per process: Next may load the cache handler more than once.
 */
export function getSharedCacheTags(env = process.env) {
  if (globalThis[STORE_KEY] !== undefined) return globalThis[STORE_KEY];
  const databaseUrl = env.DATABASE_URL;
  if (!databaseUrl || env.NEXT_PHASE === "phase-production-build") {
    globalThis[STORE_KEY] = null;
    return null;
  }
  const store = new SharedCacheTags({ databaseUrl, listenUrl: env.DIRECT_DATABASE_URL || databaseUrl, state: cacheTagsState });
  globalThis[STORE_KEY] = store;
  // Graceful shutdown (scripts/lib/next-server.mjs, ADR 0023) closes the LISTEN connection.
  // Requests still in flight keep publishing what they invalidate until the process exits.
  process.once("taiyaku:shutdown", () => void store.stop({ keepPublishing: true }));
  store.start();
  return store;
}
