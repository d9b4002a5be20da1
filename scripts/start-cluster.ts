// npm run start:cluster -- --instances N [--port P] — several production instances on one
// database behind nginx (ADR 0023): the database (embedded unless DATABASE_URL is set),
// migrations, content and a build exactly as `npm start` does them, then N instances of
// scripts/lib/next-server.mjs on internal ports (127.0.0.1 only) and nginx on P with the config
// from deploy/nginx/. An instance that exits is started again (a crash, or `kill -TERM <pid>` for
// a graceful restart of one instance). Ctrl-C / SIGTERM stops the instances (gracefully), then
// nginx, then the database.
//
// Options:
//   --instances N            app instances (default 2)
//   --port P                 the proxy's port (default PORT or 3000)
//   --instance-port Q        the first instance's port (default P + 1; then Q + 1, …)
//   --throwaway-database     a temporary database, deleted on exit (tests), unless DATABASE_URL is set
//   --state-file F           keep a JSON file of the database URL, proxy and instance pids up to date
//   --access-log             nginx access log in its runtime folder
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import {
  assertHttpPortFree,
  buildIfNeeded,
  ensureAuthSecret,
  ensurePrismaClient,
  fail,
  log,
  nextBin,
  prepareDatabase,
  productionServerArgs,
  readHttpPort,
  serverEnv,
  serverNodeArgs,
  stopOnSignalWhilePreparing,
  validateDatabaseUrlEnv,
} from "./lib/app-launcher";
import { ensureNginx, startNginx, type RunningProxy } from "./lib/nginx";
import { projectRoot, UserFacingError } from "../lib/db/project-database";

type Options = { instances: number; port: number; instancePort: number; throwaway: boolean; stateFile: string | null; accessLog: boolean };

function parseOptions(argv: string[]): Options {
  const value = (name: string) => {
    const at = argv.indexOf(name);
    if (at === -1) return undefined;
    const next = argv[at + 1];
    if (next === undefined || next.startsWith("--")) throw new UserFacingError(`${name} needs a value.`);
    return next;
  };
  const known = new Set(["--instances", "--port", "--instance-port", "--throwaway-database", "--state-file", "--access-log"]);
  for (const arg of argv) if (arg.startsWith("--") && !known.has(arg)) throw new UserFacingError(`Unknown option ${arg} (see the top of scripts/start-cluster.ts).`);
  const whole = (name: string, raw: string | undefined, fallback: number, min: number, max: number) => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new UserFacingError(`${name} must be a whole number from ${min} to ${max} (got "${raw}").`);
    return n;
  };
  const instances = whole("--instances", value("--instances"), 2, 1, 32);
  const port = whole("--port", value("--port"), readHttpPort(), 1, 65535);
  const instancePort = whole("--instance-port", value("--instance-port"), port + 1, 1024, 65535 - instances);
  const stateFile = value("--state-file") ?? null;
  return { instances, port, instancePort, throwaway: argv.includes("--throwaway-database"), stateFile: stateFile && path.resolve(stateFile), accessLog: argv.includes("--access-log") };
}

type Instance = { index: number; port: number; child: ChildProcess; startedAt: number; restarts: number };
/** Every instance process started, so a failed start (nginx refusing its port, say) stops them too. */
const started = new Set<ChildProcess>();

try {
  const options = parseOptions(process.argv.slice(2));
  validateDatabaseUrlEnv();
  const nginxBinary = ensureNginx(log);
  const ports = Array.from({ length: options.instances }, (_, i) => options.instancePort + i);
  if (ports.includes(options.port)) throw new UserFacingError(`--instance-port overlaps the proxy's port ${options.port}.`);
  for (const port of [options.port, ...ports]) await assertHttpPortFree(port);

  const stopPreparing = stopOnSignalWhilePreparing();
  ensurePrismaClient();
  const db = await prepareDatabase(options.throwaway ? "scratch" : "project");
  const distDir = process.env.NEXT_DIST_DIR || ".next";
  if (options.throwaway || process.env.NEXT_DIST_DIR) {
    // Tests build once, into their own folder; only a missing build is built here.
    if (!fs.existsSync(path.join(projectRoot, distDir, "BUILD_ID"))) await buildOnce(db.url);
  } else await buildIfNeeded(db.url);
  stopPreparing();

  // The same secret everywhere: a session cookie from one instance is good on the others.
  const secret = options.throwaway ? (process.env.BETTER_AUTH_SECRET ?? randomBytes(32).toString("base64url")) : ensureAuthSecret();
  // Each instance keeps its own metrics: with METRICS_PORT=M, instance i serves them on M + i.
  const metricsPort = process.env.METRICS_PORT ? Number(process.env.METRICS_PORT) : null;
  if (metricsPort !== null && (!Number.isInteger(metricsPort) || metricsPort < 1 || metricsPort + options.instances - 1 > 65535)) {
    throw new UserFacingError(`METRICS_PORT must be a port number with room for ${options.instances} instance(s) above it (got "${process.env.METRICS_PORT}").`);
  }
  const instanceEnv = (port: number): NodeJS.ProcessEnv => ({
    ...process.env,
    ...(metricsPort ? { METRICS_PORT: String(metricsPort + ports.indexOf(port)) } : {}),
    ...serverEnv(),
    DATABASE_URL: db.url,
    ...(db.directUrl !== db.url ? { DIRECT_DATABASE_URL: db.directUrl } : {}),
    PORT: String(port),
    LISTEN_HOST: "127.0.0.1",
    // nginx overwrites X-Forwarded-For with the address it saw: exactly one trusted hop (ADR 0017).
    TRUSTED_PROXY_HOPS: "1",
    BETTER_AUTH_SECRET: secret,
    NEXT_TELEMETRY_DISABLED: "1",
  });

  let stopping = false;
  let proxy: RunningProxy | null = null;
  const instances: Instance[] = [];

  const writeState = () => {
    if (!options.stateFile) return;
    const state = {
      proxy: { port: options.port, pid: proxy?.process.pid ?? null, runtimeDir: proxy?.runtimeDir ?? null },
      databaseUrl: db.url,
      instances: instances.map((i) => ({ port: i.port, pid: i.child.pid ?? null, restarts: i.restarts })),
    };
    fs.writeFileSync(`${options.stateFile}.tmp`, JSON.stringify(state, null, 2));
    fs.renameSync(`${options.stateFile}.tmp`, options.stateFile);
  };

  const spawnInstance = (index: number, restarts: number): Instance => {
    const port = ports[index]!;
    const child = spawn(process.execPath, [...serverNodeArgs(), ...productionServerArgs()], { cwd: projectRoot, env: instanceEnv(port), stdio: "inherit" });
    started.add(child);
    const instance: Instance = { index, port, child, startedAt: Date.now(), restarts };
    instances[index] = instance;
    child.on("exit", (code, signal) => {
      if (stopping) return;
      // An instance that keeps dying at start is retried less and less often.
      const lived = Date.now() - instance.startedAt;
      const delay = lived > 30_000 ? 200 : Math.min(10_000, 500 * 2 ** Math.min(instance.restarts, 5));
      log(`Instance ${index + 1} (port ${port}, pid ${child.pid}) exited (${signal ?? `code ${code}`}); starting it again in ${delay} ms.`);
      setTimeout(() => {
        if (stopping) return;
        const next = spawnInstance(index, restarts + 1);
        writeState();
        void waitForHealthy(port, 120_000).then(
          () => !stopping && next.child.exitCode === null && log(`Instance ${index + 1} is back (port ${port}, pid ${next.child.pid}).`),
          () => undefined,
        );
      }, delay);
    });
    return instance;
  };

  const stopAll = async (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second Ctrl-C means "now".
      for (const instance of instances) instance.child.kill("SIGKILL");
      proxy?.process.kill("SIGKILL");
      return;
    }
    stopping = true;
    log(`${signal}: stopping ${instances.length} instance(s) (in-flight requests finish), then nginx and the database…`);
    await Promise.all(
      instances.map(async ({ child }) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }),
    );
    await proxy?.stop();
    await db.stop();
    if (db.source !== "env") log("Database stopped.");
    if (options.stateFile) await fsp.rm(options.stateFile, { force: true });
    process.exit(signal === "SIGINT" ? 130 : 0);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void stopAll(signal));

  for (let i = 0; i < options.instances; i++) spawnInstance(i, 0);
  writeState();
  await Promise.all(ports.map((port) => waitForHealthy(port, 180_000)));
  if (stopping) await new Promise(() => undefined);
  // nginx's files (config, pid, logs, temp, cache) go in a new temporary folder, removed on stop.
  proxy = await startNginx({
    port: options.port,
    upstreams: ports.map((port) => `127.0.0.1:${port}`),
    accessLog: options.accessLog,
    nginx: nginxBinary,
    log,
  });
  proxy.process.on("exit", (code, signal) => {
    if (stopping) return;
    log(`nginx exited (${signal ?? `code ${code}`}); stopping the cluster.`);
    void stopAll("SIGTERM");
  });
  writeState();
  log(`Taiyaku is ready at http://localhost:${options.port} — nginx in front of ${options.instances} instance(s) (nginx config: ${proxy.configFile}).`);
  for (const instance of instances) log(`  instance ${instance.index + 1}: 127.0.0.1:${instance.port}, pid ${instance.child.pid} (kill -TERM it to restart it gracefully)`);
} catch (error) {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  await fail(error);
}

function buildOnce(databaseUrl: string): Promise<void> {
  log("No production build yet: running next build…");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin(), "build"], { cwd: projectRoot, env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: "inherit" });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new UserFacingError("next build failed (see its output above)."))));
  });
}

/**
 * Resolves once the instance's /api/health answers 200. One connection per check, closed after
 * it: an idle keep-alive connection of ours would hold up the instance's graceful shutdown.
 */
async function waitForHealthy(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const request = http.get({ host: "127.0.0.1", port, path: "/api/health", agent: false, timeout: 5_000 }, (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      });
      request.on("timeout", () => request.destroy());
      request.on("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the instance on port ${port} did not become healthy within ${timeoutMs / 1000} s`);
}
