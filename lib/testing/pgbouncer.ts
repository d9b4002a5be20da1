import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import fsp from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";

// A real PgBouncer (Debian's `pgbouncer` package) in transaction mode in front of a test
// PostgreSQL, configured like the example in the README's "Connection budget" section: a
// generated pgbouncer.ini and userlist.txt in a temporary folder, a port of its own in
// 6432–6439, run as a child process that stop() ends by its PID.

export type PgBouncer = {
  /** The pooled URL for `database` (same user and password as the server's). */
  url: string;
  /** The admin console (`SHOW POOLS`, `SHOW SERVERS`, …): database "pgbouncer". */
  adminUrl: string;
  port: number;
  pid: number;
  /** The generated config, as written (for messages and docs). */
  ini: string;
  stop(): Promise<void>;
};

export type StartPgBouncerOptions = {
  /** A direct URL of the server (user, password, host, port); its database is the one pooled. */
  serverUrl: string;
  /** Server connections per database/user pair (PgBouncer's default_pool_size). */
  poolSize?: number;
  maxClientConnections?: number;
  /** First port tried; the next ones up to 6439 if taken. */
  firstPort?: number;
};

const LAST_PORT = 6439;

/** Where Debian installs it; PGBOUNCER_BIN overrides. Null when it is not installed. */
export function findPgBouncer(): string | null {
  const candidates = [process.env.PGBOUNCER_BIN, "/usr/sbin/pgbouncer", "/usr/bin/pgbouncer", "/usr/local/bin/pgbouncer"];
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) if (dir) candidates.push(path.join(dir, "pgbouncer"));
  return candidates.find((file): file is string => !!file && isExecutable(file)) ?? null;
}

export async function startPgBouncer(opts: StartPgBouncerOptions): Promise<PgBouncer> {
  const bin = findPgBouncer();
  if (!bin) {
    throw new Error("pgbouncer is not installed: `apt-get install pgbouncer` (Debian's package; .ci/run installs it on CI), or set PGBOUNCER_BIN.");
  }
  const server = new URL(opts.serverUrl);
  const database = decodeURIComponent(server.pathname.slice(1));
  const user = decodeURIComponent(server.username) || "postgres";
  const password = decodeURIComponent(server.password);

  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), "taiyaku-pgbouncer-"));
  // PgBouncer will not run as root; as root we start it with `-u nobody`, which must be able to
  // read its files (test credentials only: a throwaway cluster's password).
  await fsp.chmod(dir, 0o755);
  const userlist = path.join(dir, "userlist.txt");
  await fsp.writeFile(userlist, `${quote(user)} ${quote(password)}\n`, { mode: 0o644 });

  let lastError = "";
  for (let port = opts.firstPort ?? 6432; port <= LAST_PORT; port++) {
    if (!(await portFree(port))) continue;
    const ini = renderIni({ database, host: server.hostname, serverPort: Number(server.port || 5432), port, userlist, adminUser: user, ...opts });
    const iniPath = path.join(dir, "pgbouncer.ini");
    await fsp.writeFile(iniPath, ini, { mode: 0o644 });
    const runAs = process.getuid?.() === 0 ? ["-u", "nobody"] : [];
    const child = spawn(bin, [...runAs, iniPath], { stdio: ["ignore", "ignore", "pipe"] });
    const recent: string[] = [];
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
      for (const line of chunk.split("\n")) if (line.trim()) recent.push(line.trim());
      recent.splice(0, Math.max(0, recent.length - 30));
    });
    const up = await waitUntilListening(child, port, 10_000);
    if (up !== "up") {
      await kill(child);
      lastError = recent.filter((line) => /ERROR|FATAL|WARNING/.test(line)).at(-1) ?? up;
      // Someone else took the port between the check and the bind: try the next one.
      if (/Address already in use/i.test(lastError)) continue;
      await fsp.rm(dir, { recursive: true, force: true });
      throw new Error(`pgbouncer did not start on port ${port}: ${lastError}`);
    }
    const base = `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
    return {
      url: `${base}/${encodeURIComponent(database)}`,
      adminUrl: `${base}/pgbouncer`,
      port,
      pid: child.pid!,
      ini,
      async stop() {
        await kill(child);
        await fsp.rm(dir, { recursive: true, force: true });
      },
    };
  }
  await fsp.rm(dir, { recursive: true, force: true });
  throw new Error(`No free port for pgbouncer in ${opts.firstPort ?? 6432}–${LAST_PORT}${lastError ? ` (last error: ${lastError})` : ""}.`);
}

function renderIni(o: StartPgBouncerOptions & { database: string; host: string; serverPort: number; port: number; userlist: string; adminUser: string }): string {
  return `;; Generated for a test by lib/testing/pgbouncer.ts; the README's example is the same.
[databases]
${o.database} = host=${o.host} port=${o.serverPort} dbname=${o.database}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${o.port}
;; TCP only: no socket file to clash with another pgbouncer on the same port number.
unix_socket_dir =
auth_type = scram-sha-256
auth_file = ${o.userlist}
admin_users = ${o.adminUser}
pool_mode = transaction
default_pool_size = ${o.poolSize ?? 5}
max_client_conn = ${o.maxClientConnections ?? 200}
;; No ignore_startup_parameters needed: the app sets its time zone with SET TimeZone (which
;; PgBouncer tracks per client), not with the \`options\` startup parameter it would refuse.
log_connections = 0
log_disconnections = 0
`;
}

function quote(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen({ port, host: "127.0.0.1", exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

async function waitUntilListening(child: ChildProcess, port: number, timeoutMs: number): Promise<"up" | string> {
  const deadline = Date.now() + timeoutMs;
  let exited: string | null = null;
  child.once("exit", (code, signal) => (exited = `exited with ${signal ?? code}`));
  while (Date.now() < deadline) {
    if (exited) return exited;
    if (await canConnect(port)) return "up";
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return `no answer on port ${port} within ${timeoutMs / 1000} s`;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // SIGINT: PgBouncer's "safe shutdown" waits for clients; SIGTERM closes everything at once,
  // which is what a finished test wants.
  process.kill(child.pid, "SIGTERM");
  const timer = setTimeout(() => child.pid && process.kill(child.pid, "SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}
