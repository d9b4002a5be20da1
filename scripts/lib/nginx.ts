// nginx in front of several app instances (`npm run start:cluster`, e2e/cluster.spec.ts): find or
// install it, fill in deploy/nginx/*.conf.template, and run it as a foreground child process whose
// every file (pid, logs, temp, cache) lives in one runtime folder — no root, no /var paths.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import fsp from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const NGINX_TEMPLATE_DIR = path.join(root, "deploy", "nginx");
const CANDIDATES = ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx", "/opt/homebrew/bin/nginx", "/usr/local/bin/nginx"];

/** The nginx binary: NGINX_BIN, a usual install path, or the PATH; null when there is none. */
export function findNginx(): string | null {
  const configured = process.env.NGINX_BIN?.trim();
  if (configured) {
    if (!fs.existsSync(configured)) throw new Error(`NGINX_BIN is ${configured}, which does not exist.`);
    return configured;
  }
  for (const candidate of CANDIDATES) if (fs.existsSync(candidate)) return candidate;
  const which = spawnSync("sh", ["-c", "command -v nginx"], { encoding: "utf8" });
  return which.status === 0 && which.stdout.trim() ? which.stdout.trim() : null;
}

/**
 * nginx, installed from Debian's packages when missing and we may (root on a Debian-like system
 * with apt-get). Otherwise the error says exactly what to install.
 */
export function ensureNginx(log: (message: string) => void): string {
  const found = findNginx();
  if (found) return found;
  const apt = fs.existsSync("/usr/bin/apt-get");
  if (apt && process.getuid?.() === 0) {
    log("nginx is not installed: installing Debian's nginx-light (apt-get)…");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    const update = spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
    const install = update.status === 0 ? spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "nginx-light"], { stdio: "inherit", env }) : update;
    const installed = install.status === 0 ? findNginx() : null;
    if (installed) return installed;
  }
  throw new Error(
    apt
      ? "nginx is not installed. Install it with `sudo apt-get install nginx-light` (or set NGINX_BIN to an nginx binary) and run this again."
      : "nginx is not installed. Install nginx 1.22 or later from your system's packages (e.g. `brew install nginx`, `dnf install nginx`), or set NGINX_BIN to an nginx binary, and run this again.",
  );
}

/**
 * Fills in `${NAME}` placeholders. Only the names given are replaced (nginx's own `$variables`
 * have no braces in our templates); a placeholder left unfilled is an error, not a broken config.
 */
export function renderTemplate(template: string, values: Record<string, string>): string {
  const text = template.replace(/\$\{(TAIYAKU_[A-Z_]+)\}/g, (match, name: string) => {
    if (!(name in values)) throw new Error(`nginx template: no value for \${${name}}`);
    return values[name]!;
  });
  return text;
}

export type ProxyOptions = {
  /** The port the proxy listens on (all interfaces). */
  port: number;
  /** The app instances, host:port. */
  upstreams: string[];
  /** Where nginx's files go; a new temporary folder when omitted (removed by stop()). */
  runtimeDir?: string;
  /** Write an access log to <runtimeDir>/access.log (off by default: the load tests' I/O). */
  accessLog?: boolean;
  workers?: number;
};

export type RunningProxy = { process: ChildProcess; runtimeDir: string; configFile: string; stop(): Promise<void> };

/**
 * nginx's open-file and connection limits from this process's hard limit on open files (what a
 * process may raise its own limit to without root): each live-update stream holds two
 * connections (browser and instance), so 1,024 files — the usual soft limit — would cap the
 * proxy at ~500 readers. Up to 65,536 files; a quarter kept for cache files, logs and upstream
 * keep-alive.
 */
export function connectionLimits(limitsFile = "/proc/self/limits"): { TAIYAKU_WORKER_RLIMIT_NOFILE: string; TAIYAKU_WORKER_CONNECTIONS: string } {
  let hard = 1024;
  try {
    const line = fs.readFileSync(limitsFile, "utf8").split("\n").find((l) => l.startsWith("Max open files"));
    const value = line?.trim().split(/\s+/)[4];
    hard = value === "unlimited" ? 65536 : Number(value) || 1024;
  } catch {
    // Not Linux: nginx's defaults.
  }
  const files = Math.min(Math.max(hard, 1024), 65536);
  return { TAIYAKU_WORKER_RLIMIT_NOFILE: String(files), TAIYAKU_WORKER_CONNECTIONS: String(Math.floor((files * 3) / 4)) };
}

/** Writes the two config files into the runtime folder; returns the main file's path. */
export async function writeNginxConfig(options: ProxyOptions & { runtimeDir: string }): Promise<string> {
  const dir = options.runtimeDir;
  // Run by root, nginx's workers run as `nobody`: they must reach the folders nginx creates (and
  // chowns) for its temp files and cache. mkdtemp made this one 700.
  await fsp.mkdir(dir, { recursive: true });
  await fsp.chmod(dir, 0o755);
  const site = renderTemplate(await fsp.readFile(path.join(NGINX_TEMPLATE_DIR, "taiyaku.conf.template"), "utf8"), {
    TAIYAKU_UPSTREAM_SERVERS: options.upstreams.map((upstream) => `server ${upstream} max_fails=1 fail_timeout=2s;`).join("\n    "),
    TAIYAKU_LISTEN: String(options.port),
    TAIYAKU_CACHE_DIR: path.join(dir, "static-cache"),
    TAIYAKU_ACCESS_LOG: options.accessLog ? `${path.join(dir, "access.log")} taiyaku` : "off",
  });
  const main = renderTemplate(await fsp.readFile(path.join(NGINX_TEMPLATE_DIR, "standalone.conf.template"), "utf8"), {
    TAIYAKU_WORKERS: String(options.workers ?? 1),
    TAIYAKU_RUNTIME_DIR: dir,
    ...connectionLimits(),
  });
  await fsp.writeFile(path.join(dir, "taiyaku.conf"), site);
  const configFile = path.join(dir, "nginx.conf");
  await fsp.writeFile(configFile, main);
  return configFile;
}

/**
 * Starts nginx in the foreground (daemon off) and resolves once it accepts connections on the
 * port. stop() sends SIGQUIT (graceful: open requests finish), then SIGKILL after 10 s.
 */
export async function startNginx(options: ProxyOptions & { nginx?: string; log?: (message: string) => void }): Promise<RunningProxy> {
  const binary = options.nginx ?? ensureNginx(options.log ?? console.log);
  const ownDir = !options.runtimeDir;
  const runtimeDir = options.runtimeDir ?? (await fsp.mkdtemp(path.join(os.tmpdir(), "taiyaku-nginx-")));
  const configFile = await writeNginxConfig({ ...options, runtimeDir });
  // -e: the error log before the config is read (the default is a root-owned /var/log path).
  const args = ["-p", runtimeDir, "-e", path.join(runtimeDir, "error.log"), "-c", configFile];
  const test = spawnSync(binary, [...args, "-t", "-q"], { encoding: "utf8" });
  if (test.status !== 0) throw new Error(`nginx refused the generated config (${configFile}):\n${test.stderr}`);
  const child = spawn(binary, args, { stdio: ["ignore", "inherit", "inherit"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGQUIT");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
      if (ownDir) await fsp.rm(runtimeDir, { recursive: true, force: true }).catch(() => undefined);
    })());
  const deadline = Date.now() + 10_000;
  while (!(await portOpen(options.port))) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      await stop();
      const errors = await fsp.readFile(path.join(runtimeDir, "error.log"), "utf8").catch(() => "");
      throw new Error(`nginx did not start on port ${options.port}${errors ? `:\n${errors.trim().split("\n").slice(-5).join("\n")}` : ""}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { process: child, runtimeDir, configFile, stop };
}

export function portOpen(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
