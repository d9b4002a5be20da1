// The server's Prometheus metrics (prom-client), in one place. Plain JavaScript because both
// sides of the process use it: the HTTP server and the cache handler (scripts/lib/next-server.mjs,
// lib/http/page-cache-handler.mjs, loaded by Node as they are) and the bundled app code (route
// handlers, the live listener). prom-client is a server external package (next.config.js), so
// every copy of this module registers into the same registry; `metric()` reuses what another
// copy already registered instead of throwing on the duplicate name.
import client from "prom-client";

const { register } = client;

function metric(name, create) {
  return register.getSingleMetric(name) ?? create();
}

/** Seconds buckets for request and query latency: 1 ms to 10 s. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const httpRequests = () =>
  metric("taiyaku_http_requests_total", () => new client.Counter({ name: "taiyaku_http_requests_total", help: "HTTP requests answered, by route pattern, method and status class.", labelNames: ["route", "method", "status"] }));

export const httpDuration = () =>
  metric("taiyaku_http_request_duration_seconds", () => new client.Histogram({ name: "taiyaku_http_request_duration_seconds", help: "Time to answer an HTTP request (to the last byte), by route pattern and method.", labelNames: ["route", "method"], buckets: LATENCY_BUCKETS }));

export const dbQueryDuration = () =>
  metric("taiyaku_db_query_duration_seconds", () => new client.Histogram({ name: "taiyaku_db_query_duration_seconds", help: "Time of each database query sent by the app's pool.", buckets: LATENCY_BUCKETS }));

/** Set by the pool's owner from a collect() callback: total, idle and waiting clients. */
export const dbPoolConnections = () =>
  metric("taiyaku_db_pool_connections", () => new client.Gauge({ name: "taiyaku_db_pool_connections", help: "Database pool clients by state (total, idle, waiting).", labelNames: ["state"] }));

export const sseStreamsOpen = () =>
  metric("taiyaku_sse_streams_open", () => new client.Gauge({ name: "taiyaku_sse_streams_open", help: "Live (server-sent events) streams open on this instance." }));

/** listener: "live" (note and membership events) or "cache" (shared cache tags). */
export const listenerReconnects = () =>
  metric("taiyaku_listener_reconnects_total", () => new client.Counter({ name: "taiyaku_listener_reconnects_total", help: "LISTEN connections re-established after a loss.", labelNames: ["listener"] }));

export const listenerLag = () =>
  metric("taiyaku_listener_lag_seconds", () => new client.Histogram({ name: "taiyaku_listener_lag_seconds", help: "From NOTIFY (sender's commit) to delivery on this instance.", labelNames: ["listener"], buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 5] }));

/** kind: Next's cache entry kind (APP_PAGE, FETCH, …); result: hit, miss. */
export const cacheLookups = () =>
  metric("taiyaku_cache_lookups_total", () => new client.Counter({ name: "taiyaku_cache_lookups_total", help: "Page and data cache lookups on this instance.", labelNames: ["kind", "result"] }));

/** origin: local (this instance's write) or remote (learned from the shared tag store). */
export const cacheTagInvalidations = () =>
  metric("taiyaku_cache_tag_invalidations_total", () => new client.Counter({ name: "taiyaku_cache_tag_invalidations_total", help: "Cache tags marked stale or expired.", labelNames: ["origin"] }));

/** limit: the rate limit's name (e.g. note-write, sign-up). */
export const rateLimitRefusals = () =>
  metric("taiyaku_rate_limit_refusals_total", () => new client.Counter({ name: "taiyaku_rate_limit_refusals_total", help: "Requests refused by a rate limit.", labelNames: ["limit"] }));

export { register };
