// The production server: Next's request handler behind a plain Node HTTP server, instead of
// `next start`, for one reason `next start` cannot serve: the client's address. Next fills
// X-Forwarded-For from the socket only when the client did not send one, so a client could name
// any address it liked and walk around every per-address limit. Here the socket address and the
// configured trusted proxy hops decide, and the result goes in a header route handlers read
// (ADR 0017). Run as `node [--liftoff-only] scripts/lib/next-server.mjs` with PORT set.
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { existsSync, readFileSync } from "node:fs";
import next from "next";
import { trustedProxyHops } from "./client-address.mjs";
import { createRequestListener } from "./request-listener.mjs";
import { startObservability } from "./server-observability.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const port = Number(process.env.PORT ?? 3000);
const hops = trustedProxyHops();
// Idle keep-alive connections stay open 65 s instead of Node's 5 s: a client (a proxy, a browser,
// a test's request context) that reuses a connection at the moment the server closes it gets
// ECONNRESET, so the server must be the one that waits longer (load balancers idle out at 60 s).
const KEEP_ALIVE_MS = 65_000;

// A standalone build (the container image, deploy/Dockerfile) has no next.config.js and no build
// tooling beside it: Next takes the config the build saved, as its own standalone server.js does.
if (!existsSync(path.join(root, "next.config.js"))) {
  const saved = path.join(root, process.env.NEXT_DIST_DIR || ".next", "required-server-files.json");
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(JSON.parse(readFileSync(saved, "utf8")).config);
}
const app = next({ dev: false, dir: root, port });
const handle = app.getRequestHandler();
await app.prepare();

// The pipeline's own wording (messages/*.json, Api namespace) for what is refused before Next.
const apiMessages = Object.fromEntries(
  ["en", "ja"].map((locale) => [locale, JSON.parse(readFileSync(path.join(root, "messages", `${locale}.json`), "utf8")).Api]),
);
// Request ids, the access log and /metrics (ADR 0024): METRICS_PORT, METRICS_TOKEN, LOG_ACCESS.
const observe = startObservability({ distDir: path.resolve(root, process.env.NEXT_DIST_DIR || ".next"), hops });
const listener = createRequestListener({ handle, hops, apiMessages, observe });
let stopping = false;
const server = http.createServer((req, res) => {
  // Shutting down (below): this answer closes its connection, so the proxy's next request opens
  // a new one, which goes to another instance. An event stream's connection is never reused
  // either: a stream ended by the shutdown would otherwise leave an idle connection behind,
  // which the proxy could reuse just as the server closes it (Next keeps a header set here).
  if (stopping || /text\/event-stream/i.test(req.headers.accept ?? "")) {
    res.shouldKeepAlive = false;
    res.setHeader("connection", "close");
  }
  listener(req, res);
});
server.keepAliveTimeout = KEEP_ALIVE_MS;
server.headersTimeout = KEEP_ALIVE_MS + 1_000;

// LISTEN_HOST: behind a proxy on the same machine (start:cluster), 127.0.0.1 keeps the
// instances out of reach of anyone but the proxy; unset, every interface.
server.listen(port, process.env.LISTEN_HOST || undefined, () => console.log(`[taiyaku] server listening on port ${port}`));

// Graceful shutdown (ADR 0023): a restart behind the proxy loses nothing.
//   1. `taiyaku:shutdown` tells the in-process parts: open SSE streams send a last "reconnect
//      now" and end (the browser lands on another instance and replays by Last-Event-ID), the
//      LISTEN connection ends.
//   2. The port closes: the proxy's new connections fail at once and go to another instance.
//   3. Requests in flight finish. Connections the proxy keeps open are not cut while idle (a
//      request it is sending at that moment would be lost: nginx never resends a POST); each
//      answer from now on says `Connection: close`, and the proxy drops idle ones itself after
//      its upstream keepalive_timeout (4 s, deploy/nginx). Whatever is left is closed after
//      DRAIN_IDLE_MS, everything at EXIT_DEADLINE_MS.
const DRAIN_IDLE_MS = 5_000;
const EXIT_DEADLINE_MS = 9_500;
function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`[taiyaku] ${signal}: finishing in-flight requests (port ${port})`);
  process.emit("taiyaku:shutdown");
  // net.Server's close, not http.Server's: the latter also cuts idle keep-alive connections now.
  net.Server.prototype.close.call(server, () => process.exit(0));
  setTimeout(() => {
    server.getConnections((_, count) => console.log(`[taiyaku] ${count} connection(s) still open after ${DRAIN_IDLE_MS} ms; closing the idle ones`));
    server.closeIdleConnections();
  }, DRAIN_IDLE_MS).unref();
  setTimeout(() => {
    server.closeAllConnections();
    process.exit(0);
  }, EXIT_DEADLINE_MS).unref();
}
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));
