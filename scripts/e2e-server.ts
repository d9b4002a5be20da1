// The server the Playwright suite runs against (see playwright.config.ts): the production build
// on its own throwaway database. Playwright stops it with SIGTERM; the cluster goes with it.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { startPgBouncer, type PgBouncer } from "../lib/testing/pgbouncer";
import { BENCH_SERVER_ENV, startThrowawayApp } from "./lib/throwaway-app";

const port = Number(process.env.PORT ?? 3100);
// The test browser plays the part of one trusted reverse proxy: specs give each context its own
// client address with X-Forwarded-For (e2e/support/accounts.ts). Every spec signs up from this
// machine, so the sign-up limits are raised far above what the suite needs.
// E2E_PGBOUNCER=1: the instances reach PostgreSQL through a real PgBouncer in transaction mode,
// LISTEN on the direct URL (ADR 0026), so the whole suite can be run through a pooler.
let bouncer: PgBouncer | undefined;
const app = await startThrowawayApp({
  port,
  env: BENCH_SERVER_ENV,
  serverDatabaseUrl: process.env.E2E_PGBOUNCER === "1" ? throughPgBouncer : undefined,
});

async function throughPgBouncer(directUrl: string): Promise<string> {
  bouncer = await startPgBouncer({ serverUrl: directUrl, poolSize: 4, maxClientConnections: 200 });
  process.env.DIRECT_DATABASE_URL = directUrl;
  console.log(`[e2e] through PgBouncer on port ${bouncer.port} (pid ${bouncer.pid}); LISTEN and fixtures direct`);
  return bouncer.url;
}
// Specs that need what no page does (a site role, a pre-moderated group) write to this database.
mkdirSync(".next", { recursive: true });
writeFileSync(path.join(".next", `e2e-database-url-${port}`), app.databaseUrl);
// A second instance on the same database (e2e/live.spec.ts: a write on one instance reaches a
// stream on the other). E2E_SECOND_PORT=0 turns it off.
const secondPort = Number(process.env.E2E_SECOND_PORT ?? port + 1);
if (secondPort > 0) app.startInstance(secondPort);

async function shutdown(code: number) {
  await app.stop();
  await bouncer?.stop();
  process.exit(code);
}
process.on("SIGTERM", () => void shutdown(0));
process.on("SIGINT", () => void shutdown(0));
app.server.on("exit", (code) => void shutdown(code ?? 1));
