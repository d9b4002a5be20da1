// The production server's observability setup (next-server.mjs), from the environment:
//   LOG_LEVEL      pino level of the process log (default info)
//   LOG_ACCESS     0 turns the one-line-per-request access log off (default on)
//   METRICS_PORT   serve /metrics on this port only (bound to METRICS_HOST, default 127.0.0.1)
//   METRICS_TOKEN  otherwise serve /metrics on the main port to `Authorization: Bearer <token>`
// Without either, /metrics answers 404. See ADR 0024.
import http from "node:http";
import client from "prom-client";
import pino from "pino";
import { createRequestObserver, metricsOnlyListener } from "./observability.mjs";
import { routeLabellerForBuild } from "./route-label.mjs";

/** The app's locales (i18n/routing.ts), for telling "/en/…" routes from anything else. */
const LOCALES = ["en", "ja"];
const DEFAULT_METRICS_PREFIX = "taiyaku_";

/**
 * The process logger, shared with the bundled app (lib/log.ts reads the same global): one
 * JSON stream on stdout, one configuration.
 */
export function processLogger() {
  globalThis.taiyakuLog ??= pino({ level: process.env.LOG_LEVEL ?? "info", base: { app: "taiyaku" } });
  return globalThis.taiyakuLog;
}

/**
 * @param {{ distDir: string, hops: number }} options
 * @returns {(req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => boolean}
 */
export function startObservability({ distDir, hops }) {
  const log = processLogger();
  // Node's own figures (CPU, memory, event-loop lag, GC, handles), once per process.
  if (!client.register.getSingleMetric(`${DEFAULT_METRICS_PREFIX}process_cpu_seconds_total`)) {
    client.collectDefaultMetrics({ prefix: DEFAULT_METRICS_PREFIX });
  }
  const metricsPort = process.env.METRICS_PORT ? Number(process.env.METRICS_PORT) : null;
  if (metricsPort !== null) {
    if (!Number.isInteger(metricsPort) || metricsPort <= 0 || metricsPort > 65_535) {
      throw new Error(`METRICS_PORT must be a port number (got "${process.env.METRICS_PORT}").`);
    }
    const host = process.env.METRICS_HOST || "127.0.0.1";
    const metricsServer = http.createServer(metricsOnlyListener());
    metricsServer.listen(metricsPort, host, () => log.info({ host, port: metricsPort }, "metrics listening"));
    // Not a reason to keep the process alive on shutdown.
    metricsServer.unref();
  }
  return createRequestObserver({
    labelRoute: routeLabellerForBuild(distDir, { locales: LOCALES }),
    log: process.env.LOG_ACCESS === "0" ? null : log,
    // Only an id set by our own reverse proxy is kept (TRUSTED_PROXY_HOPS, ADR 0017).
    trustRequestId: hops > 0,
    metricsToken: metricsPort === null ? process.env.METRICS_TOKEN || null : null,
  });
}
