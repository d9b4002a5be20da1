// Next's own page cache (memory, plus disk for build-time pages) with one addition: every
// cached HTML page carries a Content-Security-Policy that allows exactly its inline scripts,
// by hash. A nonce cannot work for a page shared by every reader (ADR 0015); the hashes are
// computed once per render, stored with the page and served with each HIT, STALE and MISS
// (Next sends a cache entry's `headers` with the page).
import fileSystemCache from "next/dist/server/lib/incremental-cache/file-system-cache.js";
import { cachedPageContentSecurityPolicy } from "./security-policy.mjs";

const FileSystemCache = fileSystemCache.default ?? fileSystemCache;
const CSP = "content-security-policy";

/** Adds the hash policy to an APP_PAGE entry value that has HTML and no policy yet. */
export function withContentSecurityPolicy(value) {
  if (!value || value.kind !== "APP_PAGE" || typeof value.html !== "string" || !value.html) return value;
  if (value.headers && value.headers[CSP]) return value;
  // Mutated in place on purpose: on a MISS the object being stored is also the one Next is
  // about to send, so the first reader gets the policy too.
  value.headers = { ...value.headers, [CSP]: cachedPageContentSecurityPolicy(value.html) };
  return value;
}

export default class PageCacheHandler extends FileSystemCache {
  async get(...args) {
    const entry = await super.get(...args);
    if (entry?.value) withContentSecurityPolicy(entry.value);
    return entry;
  }

  async set(key, data, ctx) {
    withContentSecurityPolicy(data);
    return super.set(key, data, ctx);
  }
}
