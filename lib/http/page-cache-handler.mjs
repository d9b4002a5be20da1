// Next's own page cache (memory, plus disk for build-time pages) with one addition: every
// cached HTML page carries a Content-Security-Policy that allows exactly its inline scripts,
// by hash. A nonce cannot work for a page shared by every reader (ADR 0015); the hashes are
// computed once per render, stored with the page and served with each HIT, STALE and MISS
// (Next sends a cache entry's `headers` with the page).
import fileSystemCache from "next/dist/server/lib/incremental-cache/file-system-cache.js";
import { cachedPageContentSecurityPolicy } from "./security-policy.mjs";
import { cacheLookups, cacheTagInvalidations } from "../metrics/metrics.mjs";
import { getSharedCacheTags, nextTagsManifest } from "./shared-cache-tags.mjs";

const FileSystemCache = fileSystemCache.default ?? fileSystemCache;
const CSP = "content-security-policy";
const TAGS_HEADER = "x-next-cache-tags";

/**
 * When each key's last miss was looked up (ms): a render or data fetch follows a miss and is
 * stored by set(). An invalidation that arrives between the two (a write elsewhere committed
 * while this instance was rendering from older data) would otherwise be older than the entry
 * and never apply to it. Bounded: cleared when it grows past MAX_TRACKED_RENDERS.
 */
const renderStarts = new Map();
const MAX_TRACKED_RENDERS = 10_000;

function tagsOf(data, ctx) {
  if (Array.isArray(ctx?.tags)) return ctx.tags;
  const header = data?.headers?.[TAGS_HEADER];
  return typeof header === "string" ? header.split(",") : [];
}

/** Whether any of the tags turned stale, or expired, at or after `since` (ms). */
export function invalidatedSince(tags, since, manifest = nextTagsManifest, now = Date.now()) {
  return tags.some((tag) => {
    const entry = manifest.get(tag);
    if (!entry) return false;
    if (typeof entry.stale === "number" && entry.stale >= since) return true;
    return typeof entry.expired === "number" && entry.expired >= since && entry.expired <= now;
  });
}

/** Adds the hash policy to an APP_PAGE entry value that has HTML and no policy yet. */
export function withContentSecurityPolicy(value) {
  if (!value || value.kind !== "APP_PAGE" || typeof value.html !== "string" || !value.html) return value;
  if (value.headers && value.headers[CSP]) return value;
  // Mutated in place on purpose: on a MISS the object being stored is also the one Next is
  // about to send, so the first reader gets the policy too.
  value.headers = { ...value.headers, [CSP]: cachedPageContentSecurityPolicy(value.html) };
  return value;
}

// Entries stay in this process's memory; their tags are checked against the tag store shared by
// every instance (lib/http/shared-cache-tags.mjs, ADR 0022), so a write on any instance is seen
// by the next lookup here.
export default class PageCacheHandler extends FileSystemCache {
  constructor(ctx) {
    super(ctx);
    this.sharedTags = getSharedCacheTags();
  }

  async get(...args) {
    // Once after start: build-time pages may carry tags invalidated since the build.
    await this.sharedTags?.whenSynced(1_000);
    const lookedUpAt = Date.now();
    const entry = await super.get(...args);
    if (entry?.value) withContentSecurityPolicy(entry.value);
    cacheLookups().inc({ kind: String(args[1]?.kind ?? "unknown"), result: entry ? "hit" : "miss" });
    if (!entry && !renderStarts.has(args[0])) {
      if (renderStarts.size >= MAX_TRACKED_RENDERS) renderStarts.clear();
      renderStarts.set(args[0], lookedUpAt);
    }
    return entry;
  }

  async revalidateTag(tags, durations) {
    const list = typeof tags === "string" ? [tags] : tags;
    const before = new Map(list.map((tag) => [tag, nextTagsManifest.get(tag)?.expired]));
    await super.revalidateTag(list, durations);
    // Next would replace an expiry already in effect by a later one in the future (a "max"
    // after an `expire: 0`), serving expired entries again; keep the earlier one.
    const now = Date.now();
    for (const [tag, expired] of before) {
      const entry = nextTagsManifest.get(tag);
      if (entry && typeof expired === "number" && expired <= now && entry.expired > now) nextTagsManifest.set(tag, { ...entry, expired });
    }
    cacheTagInvalidations().inc({ origin: "local" }, list.length);
    // Every other instance learns it from the shared store. A failure is logged by the store
    // and not thrown: the write itself has already been acknowledged.
    await this.sharedTags?.publish(list, durations).catch(() => undefined);
  }

  async set(key, data, ctx) {
    withContentSecurityPolicy(data);
    await super.set(key, data, ctx);
    const startedAt = renderStarts.get(key);
    renderStarts.delete(key);
    // Rendered from data read before an invalidation that arrived meanwhile: date the entry
    // back to the render's start, so the invalidation applies to it (ADR 0022).
    if (startedAt !== undefined && invalidatedSince(tagsOf(data, ctx), startedAt)) {
      const stored = FileSystemCache.memoryCache?.get(key);
      if (stored) stored.lastModified = startedAt - 1;
    }
  }
}
