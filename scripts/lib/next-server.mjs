// The production server: Next's request handler behind a plain Node HTTP server, instead of
// `next start`, for one reason `next start` cannot serve: the client's address. Next fills
// X-Forwarded-For from the socket only when the client did not send one, so a client could name
// any address it liked and walk around every per-address limit. Here the socket address and the
// configured trusted proxy hops decide, and the result goes in a header route handlers read
// (ADR 0017). Run as `node [--liftoff-only] scripts/lib/next-server.mjs` with PORT set.
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
import next from "next";
import { trustedProxyHops } from "./client-address.mjs";
import { createRequestListener } from "./request-listener.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const port = Number(process.env.PORT ?? 3000);
const hops = trustedProxyHops();
// Idle keep-alive connections stay open 65 s instead of Node's 5 s: a client (a proxy, a browser,
// a test's request context) that reuses a connection at the moment the server closes it gets
// ECONNRESET, so the server must be the one that waits longer (load balancers idle out at 60 s).
const KEEP_ALIVE_MS = 65_000;

const app = next({ dev: false, dir: root, port });
const handle = app.getRequestHandler();
await app.prepare();

// The pipeline's own wording (messages/*.json, Api namespace) for what is refused before Next.
const apiMessages = Object.fromEntries(
  ["en", "ja"].map((locale) => [locale, JSON.parse(readFileSync(path.join(root, "messages", `${locale}.json`), "utf8")).Api]),
);
const server = http.createServer(createRequestListener({ handle, hops, apiMessages }));
server.keepAliveTimeout = KEEP_ALIVE_MS;
server.headersTimeout = KEEP_ALIVE_MS + 1_000;

server.listen(port, () => console.log(`[taiyaku] server listening on port ${port}`));

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  // Finish what is in flight; long-lived streams are cut after a short grace period.
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 2_000).unref();
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
