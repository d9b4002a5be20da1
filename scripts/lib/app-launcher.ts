// Shared by `npm start` and `npm run dev`: the checks and database steps before Next.js runs, and
// running Next as a child whose end also ends the embedded database.
import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { databasePoolSize, directDatabaseUrl, parseDatabaseUrl } from "../../lib/db/database-url";
import { deployMigrations } from "../../lib/db/migration-engine";
import { seedContent } from "../../prisma/seed";
import { describeError, openProjectDatabase, projectRoot, stopOpenDatabases, UserFacingError, type ProjectDatabase } from "../../lib/db/project-database";

export const log = (msg: string) => console.log(`[taiyaku] ${msg}`);

/** Prints the one-sentence reason, stops what was started, exits 1. */
export async function fail(error: unknown): Promise<never> {
  console.error(`[taiyaku] ${describeError(error)}`);
  await stopOpenDatabases();
  process.exit(1);
}

export function readHttpPort(): number {
  const raw = process.env.PORT?.trim();
  if (!raw) return 3000;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UserFacingError(`PORT must be a whole number between 1 and 65535 (got "${raw}").`);
  }
  return port;
}

/** Checked before the database starts, so a second `npm start` changes nothing. */
export async function assertHttpPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "EADDRINUSE"
          ? new UserFacingError(`Port ${port} is already in use — is Taiyaku already running? Set PORT to use another port.`)
          : error.code === "EACCES"
            ? new UserFacingError(`Port ${port} needs privileges this user lacks; set PORT to a port above 1023.`)
            : error,
      ),
    );
    // No host: Next listens on all interfaces, so that is where the port must be free.
    server.listen({ port, exclusive: true }, () => server.close(() => resolve()));
  });
}

export function validateDatabaseUrlEnv(): void {
  const url = process.env.DATABASE_URL?.trim();
  if (url) parseDatabaseUrl(url);
  // Also DIRECT_DATABASE_URL and DATABASE_POOL_SIZE: a typo there should stop the start with one
  // sentence, not surface later as a failed LISTEN or a driver error.
  directDatabaseUrl();
  databasePoolSize();
}

export function ensurePrismaClient(): void {
  if (fs.existsSync(path.join(projectRoot, "lib", "generated", "prisma", "client.ts"))) return;
  log("Generating the Prisma client (lib/generated/prisma is missing)…");
  const result = spawnSync(process.execPath, [path.join(projectRoot, "node_modules", "prisma", "build", "index.js"), "generate"], {
    cwd: projectRoot,
    stdio: "inherit",
  });
  if (result.status !== 0) throw new UserFacingError("prisma generate failed (see its output above).");
}

/** Database, migrations, content: everything the app needs before Next starts. */
export async function prepareDatabase(mode: "project" | "scratch" = "project"): Promise<ProjectDatabase> {
  // scratch: a throwaway cluster when DATABASE_URL is unset (`start:cluster --throwaway-database`).
  const db = await openProjectDatabase({ mode, log });
  const t0 = performance.now();
  // Direct: the migration engine holds a session-level advisory lock, which a transaction-mode
  // pooler would not keep (ADR 0026).
  const { applied } = await deployMigrations(db.directUrl);
  const ms = Math.round(performance.now() - t0);
  log(applied.length ? `Applied ${applied.length} migration(s) in ${ms} ms: ${applied.join(", ")}.` : `Migrations up to date (${ms} ms).`);
  await seed(db.url);
  return db;
}

// The seed reuses the app's data modules, which start with `import "server-only"`; the
// launchers run under `--conditions=react-server` (see package.json), where that is a no-op.
async function seed(databaseUrl: string): Promise<void> {
  const t0 = performance.now();
  const result = await seedContent(databaseUrl).catch((error: unknown) => {
    throw new UserFacingError(`Seeding content/ failed: ${error instanceof Error ? error.message : String(error)}`);
  });
  const ms = Math.round(performance.now() - t0);
  log(`Content: ${result.articles} article(s), ${result.changed ? "updated" : "already up to date"} (${ms} ms).`);
}

// ---- production build ----------------------------------------------------------------------------

const stampFile = path.join(projectRoot, ".next", "taiyaku-build-stamp");
const sourceDirs = ["app", "features", "components", "lib", "i18n", "messages", "content", "public", "prisma", "types"];
// Root files that shape the bundle; next-env.d.ts is written by the build itself.
const rootFilePattern = /^(proxy|middleware|instrumentation|next\.config|postcss\.config|tailwind\.config)\.[cm]?[jt]sx?$|^(package\.json|package-lock\.json|tsconfig\.json)$|^(?!next-env)[\w.-]+\.d\.ts$/;
const skipped = (rel: string) =>
  rel.startsWith(`lib${path.sep}generated`) || rel.startsWith(`prisma${path.sep}migrations`) || /\.(int\.)?test\.[cm]?[jt]sx?$/.test(rel);

/** A hash of everything the production bundle is built from. */
export async function sourceStamp(): Promise<string> {
  const files: string[] = [];
  for (const name of await fsp.readdir(projectRoot)) if (rootFilePattern.test(name)) files.push(name);
  const walk = async (rel: string): Promise<void> => {
    const entries = await fsp.readdir(path.join(projectRoot, rel), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const child = path.join(rel, entry.name);
      if (skipped(child)) continue;
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile()) files.push(child);
    }
  };
  for (const dir of sourceDirs) await walk(dir);
  files.sort();
  const hash = crypto.createHash("sha256");
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(await fsp.readFile(path.join(projectRoot, file)));
    hash.update("\0");
  }
  return hash.digest("hex");
}

export async function buildIfNeeded(databaseUrl: string): Promise<void> {
  const stamp = await sourceStamp();
  const hasBuild = fs.existsSync(path.join(projectRoot, ".next", "BUILD_ID"));
  const previous = hasBuild ? await fsp.readFile(stampFile, "utf8").catch(() => "") : "";
  if (hasBuild && previous.trim() === stamp) return;
  log(`Building the production bundle (${hasBuild ? "sources changed since the last build" : "no build yet"})…`);
  const t0 = performance.now();
  const code = await runChild(process.execPath, [nextBin(), "build"], { ...process.env, DATABASE_URL: databaseUrl });
  if (code !== 0) throw new UserFacingError("next build failed (see its output above); fix the error and run npm start again.");
  await fsp.writeFile(stampFile, `${stamp}\n`);
  log(`Built in ${((performance.now() - t0) / 1000).toFixed(1)} s.`);
}

export function nextBin(): string {
  return path.join(projectRoot, "node_modules", "next", "dist", "bin", "next");
}

function runChild(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: projectRoot, env, stdio: "inherit" });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    child.on("exit", (code, signal) => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      resolve(code ?? 128 + (signal === "SIGINT" ? 2 : 15));
    });
    child.on("error", () => resolve(1));
  });
}

// ---- running Next ----------------------------------------------------------------------------------

/**
 * V8 grows the old space lazily under throughput load: `npm run bench` measured a 450 MB peak
 * RSS for the server with the default heap and 178 MB with a 128 MB cap, at the same req/s.
 * 192 MB keeps that headroom; a NODE_OPTIONS set by the operator wins.
 */
/**
 * The secret better-auth signs session cookies with: BETTER_AUTH_SECRET when set, otherwise a
 * random one kept in .data/auth-secret (mode 600) so sessions survive restarts.
 */
export function ensureAuthSecret(): string {
  const configured = process.env.BETTER_AUTH_SECRET?.trim();
  if (configured) {
    if (configured.length < 32) throw new UserFacingError("BETTER_AUTH_SECRET must be at least 32 characters.");
    return configured;
  }
  const file = path.join(projectRoot, ".data", "auth-secret");
  const existing = fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim() : "";
  if (existing.length >= 32) return existing;
  const secret = crypto.randomBytes(32).toString("base64url");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  log("Created a session-signing secret in .data/auth-secret (set BETTER_AUTH_SECRET to use your own).");
  return secret;
}

export function serverNodeOptions(): string {
  return process.env.NODE_OPTIONS?.trim() || "--max-old-space-size=192";
}

/**
 * Node arguments of the production server, before Next's script. Prisma's query compiler is a
 * WebAssembly module: V8's optimising tier compiles it again on background threads and keeps
 * ~80 MB of native memory for code that runs rarely (query plans are cached), so the server
 * keeps the baseline compiler only. A V8 flag, which NODE_OPTIONS refuses.
 */
export function serverNodeArgs(): string[] {
  return ["--liftoff-only"];
}

/**
 * The production server: scripts/lib/next-server.mjs (Next's handler behind a Node HTTP server
 * that resolves the client address from the socket and TRUSTED_PROXY_HOPS, and keeps idle
 * connections 65 s). It reads PORT from the environment. Returned as `node` arguments.
 */
export function productionServerArgs(): string[] {
  return [path.join(projectRoot, "scripts", "lib", "next-server.mjs")];
}

/** The server's environment additions: its heap cap, and two malloc arenas instead of one per thread. */
export function serverEnv(): Record<string, string> {
  return { NODE_OPTIONS: serverNodeOptions(), MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? "2" };
}

/**
 * Runs Next with stdio inherited. SIGINT/SIGTERM/SIGHUP go to Next; when Next exits, the database
 * is stopped and we exit with Next's code. Never returns.
 */
export async function runNext(args: string[], db: ProjectDatabase, port: number): Promise<never> {
  // The heap cap is for the production server; `next dev` compiles in-process and needs more.
  const production = args[0] === "start";
  const nodeOptions = production ? serverEnv() : {};
  const command = production ? [...serverNodeArgs(), ...productionServerArgs()] : [nextBin(), ...args];
  const child = spawn(process.execPath, command, {
    cwd: projectRoot,
    env: { ...process.env, DATABASE_URL: db.url, PORT: String(port), BETTER_AUTH_SECRET: ensureAuthSecret(), ...nodeOptions },
    stdio: "inherit",
  });
  let signalled = 0;
  const forward = (signal: NodeJS.Signals) => {
    signalled += 1;
    // A second Ctrl-C means "now": don't wait for Next's graceful shutdown.
    child.kill(signalled > 1 ? "SIGKILL" : signal);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, forward);

  void announceWhenListening(port, child);
  const code = await new Promise<number>((resolve) => {
    child.on("exit", (exitCode, signal) => resolve(exitCode ?? (signal ? 128 + (signal === "SIGINT" ? 2 : signal === "SIGTERM" ? 15 : 1) : 1)));
    child.on("error", (error) => {
      console.error(`[taiyaku] Could not run Next.js: ${error.message}`);
      resolve(1);
    });
  });
  await db.stop();
  if (db.source === "embedded") log("Embedded PostgreSQL stopped.");
  process.exit(code);
}

async function announceWhenListening(port: number, child: ReturnType<typeof spawn>): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ port, host: "127.0.0.1" });
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) {
      log(`Taiyaku is ready at http://localhost:${port}`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Until Next runs, a signal stops what was started and exits (with no handler Node would die at
 * once and a SIGTERM would leave postgres running). Returns the remover, called before runNext.
 */
export function stopOnSignalWhilePreparing(): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    void stopOpenDatabases().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, onSignal);
  return () => {
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.off(signal, onSignal);
  };
}
