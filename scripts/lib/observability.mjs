// What the production server records about each request before and after Next handles it
// (request-listener.mjs): a request id, one access-log line, the request counter and latency
// histogram by route pattern, and the Prometheus endpoint itself (ADR 0024). Plain JavaScript:
// next-server.mjs runs it without a TypeScript loader.
import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import { httpDuration, httpRequests, register } from "../../lib/metrics/metrics.mjs";

export const REQUEST_ID_HEADER = "x-request-id";
export const METRICS_PATH = "/metrics";

// The same charset and length the API pipeline accepts (lib/http/endpoint.ts): anything else is
// replaced, never echoed into a log or a response header.
const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const STATUS_CLASSES = ["1xx", "2xx", "3xx", "4xx", "5xx"];

/**
 * The request's id: the one our reverse proxy passed (when one is trusted) if it looks like an
 * id, else a new UUID. A client talking to us directly cannot choose the id its lines are
 * logged under.
 * @param {string | string[] | undefined} incoming
 * @param {boolean} trusted
 */
export function requestIdFor(incoming, trusted) {
  return trusted && typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * Whether an Authorization header carries the metrics token. Compared as digests in constant
 * time, so neither the token's length nor a prefix leaks through timing.
 * @param {string | undefined} header
 * @param {string | null | undefined} token
 */
export function metricsTokenMatches(header, token) {
  if (!token || typeof header !== "string") return false;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) return false;
  const digest = (value) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(match[1]), digest(token));
}

/** Writes the registry in Prometheus' text format. */
export async function writeMetrics(res, head = false) {
  let body;
  try {
    body = await register.metrics();
  } catch (error) {
    res.writeHead(500, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
    res.end(`metrics failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return;
  }
  res.writeHead(200, { "content-type": register.contentType, "cache-control": "no-store" });
  res.end(head ? undefined : body);
}

/** A plain 404 that says nothing about whether /metrics exists here. */
function notFound(res) {
  res.writeHead(404, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
  res.end("Not Found");
}

/**
 * @param {{
 *   labelRoute: (pathname: string) => string,
 *   log?: { info: (fields: object, message: string) => void } | null,
 *   trustRequestId: boolean,
 *   metricsToken?: string | null,
 * }} options `log` null turns the access log off; `metricsToken` null keeps /metrics off this port.
 * @returns {(req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => boolean}
 *   true when the request was answered here (/metrics)
 */
export function createRequestObserver({ labelRoute, log, trustRequestId, metricsToken }) {
  const requests = httpRequests();
  const duration = httpDuration();
  return (req, res) => {
    const started = process.hrtime.bigint();
    const id = requestIdFor(req.headers[REQUEST_ID_HEADER], trustRequestId);
    // The API pipeline reads the same header, so its log lines carry this id too.
    req.headers[REQUEST_ID_HEADER] = id;
    res.setHeader(REQUEST_ID_HEADER, id);
    const url = req.url ?? "/";
    const query = url.indexOf("?");
    const pathname = query === -1 ? url : url.slice(0, query);
    const method = METHODS.has(req.method ?? "") ? req.method : "OTHER";

    // "close" comes after "finish", and alone when the client went away first (an SSE stream).
    res.once("close", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = pathname === METRICS_PATH ? METRICS_PATH : labelRoute(pathname);
      const status = STATUS_CLASSES[Math.floor(res.statusCode / 100) - 1] ?? "5xx";
      requests.inc({ route, method, status });
      duration.observe({ route, method }, seconds);
      log?.info({ requestId: id, method, route, status: res.statusCode, ms: Math.round(seconds * 10_000) / 10 }, "request");
    });

    if (pathname !== METRICS_PATH) return false;
    if ((method === "GET" || method === "HEAD") && metricsTokenMatches(req.headers.authorization, metricsToken)) {
      void writeMetrics(res, method === "HEAD");
    } else {
      notFound(res);
    }
    return true;
  };
}

/**
 * The internal metrics server (METRICS_PORT): /metrics and nothing else, no token.
 * @returns {(req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => void}
 */
export function metricsOnlyListener() {
  return (req, res) => {
    const pathname = (req.url ?? "/").split("?")[0];
    if (pathname === METRICS_PATH && (req.method === "GET" || req.method === "HEAD")) void writeMetrics(res, req.method === "HEAD");
    else notFound(res);
  };
}
