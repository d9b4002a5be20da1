// The production build on a throwaway PostgreSQL cluster, migrated and seeded exactly as
// `npm start` does it. Used by the e2e server and the benchmark, which must not touch
// `.data/postgres`. Needs `--conditions=react-server` (the seed imports server-only modules).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startThrowawayPostgres } from "../../lib/db/embedded-postgres";
import { deployMigrations } from "../../lib/db/migration-engine";
import { seedContent } from "../../prisma/seed";
import { productionServerArgs, serverEnv, serverNodeArgs } from "./app-launcher";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const nextBin = path.join(root, "node_modules/next/dist/bin/next");

/**
 * Server settings for load tests: the load generator stands in for one trusted reverse proxy
 * (it spreads writers over addresses with X-Forwarded-For) and signs up more accounts from one
 * machine than the per-address and site-wide sign-up limits allow a person.
 */
export const BENCH_SERVER_ENV = {
  TRUSTED_PROXY_HOPS: "1",
  TAIYAKU_SIGN_UP_PER_ADDRESS_PER_HOUR: "100000",
  TAIYAKU_SIGN_UPS_PER_MINUTE: "100000",
};

export type ThrowawayApp = {
  base: string;
  server: ChildProcess;
  databaseUrl: string;
  /**
   * Another `next start` of the same build on the same database (and the same session secret,
   * so a cookie from one instance works on the other): two app instances, as behind a load
   * balancer. Stopped by stop().
   */
  startInstance(port: number): { base: string; server: ChildProcess };
  stop(): Promise<void>;
};

export async function startThrowawayApp(opts: {
  port: number;
  env?: Record<string, string>;
  stdio?: "inherit" | "ignore";
  /** The address the server gets instead of the cluster's (the bench puts a query counter in between). */
  serverDatabaseUrl?: (url: string) => Promise<string>;
}): Promise<ThrowawayApp> {
  const pg = await startThrowawayPostgres();
  let serverDatabaseUrl = pg.url;
  try {
    await deployMigrations(pg.url);
    await seedContent(pg.url);
    if (!existsSync(path.join(root, process.env.NEXT_DIST_DIR || ".next", "BUILD_ID"))) {
      console.log("No production build yet: running next build…");
      const build = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, stdio: "inherit" });
      if (build.status !== 0) throw new Error("next build failed");
    }
    if (opts.serverDatabaseUrl) serverDatabaseUrl = await opts.serverDatabaseUrl(pg.url);
  } catch (error) {
    await pg.stop();
    throw error;
  }
  const secret = process.env.BETTER_AUTH_SECRET ?? randomBytes(32).toString("base64url");
  // No -H: with it, Next treats the proxy's rewrites as external URLs (see proxy.ts).
  const spawnServer = (port: number) =>
    spawn(process.execPath, [...serverNodeArgs(), ...productionServerArgs()], {
      cwd: root,
      stdio: opts.stdio ?? "inherit",
      env: {
        ...process.env,
        ...serverEnv(),
        // One access-log line per request would bury the test and bench output (LOG_ACCESS=1 to see them).
        LOG_ACCESS: process.env.LOG_ACCESS ?? "0",
        ...opts.env,
        DATABASE_URL: serverDatabaseUrl,
        PORT: String(port),
        NEXT_TELEMETRY_DISABLED: "1",
        BETTER_AUTH_SECRET: secret,
      },
    });
  const server = spawnServer(opts.port);
  const servers: ChildProcess[] = [server];
  let stopped: Promise<void> | undefined;
  return {
    base: `http://127.0.0.1:${opts.port}`,
    server,
    databaseUrl: pg.url,
    startInstance(port: number) {
      const extra = spawnServer(port);
      servers.push(extra);
      return { base: `http://127.0.0.1:${port}`, server: extra };
    },
    stop() {
      stopped ??= (async () => {
        await Promise.all(
          servers.map(async (child) => {
            if (child.exitCode !== null || child.signalCode !== null) return;
            const exited = new Promise((resolve) => child.once("exit", resolve));
            child.kill("SIGTERM");
            await exited;
          }),
        );
        await pg.stop();
      })();
      return stopped;
    },
  };
}

/** Resolves once /api/health answers 200 (the server is up and reaches its database). */
export async function waitForHealthy(base: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fetch(`${base}/api/health`).then((r) => r.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${base} did not become healthy within ${timeoutMs} ms`);
}
