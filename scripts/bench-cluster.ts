// Cluster benchmark (issue 12, docs/scaling.md): the reader page, the reader state and note
// creation through nginx in front of 1, 2 and 3 instances (`npm run start:cluster`, each on its
// own throwaway database), with the CPU time each request costs in every part — the instances
// (Node), PostgreSQL, nginx and the load generator — read from /proc. On this 2-core machine the
// load generator, nginx, PostgreSQL and the instances share two cores, so the req/s figures say
// where one machine saturates; the CPU per request is what the capacity model scales from.
// Run alone (`npx tsx --conditions=react-server scripts/bench-cluster.ts`) or from `npm run bench`.
// Writes bench/results/cluster-latest.json.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import pg from "pg";
import { loadParagraphs, randomRange, signUpUsers, type BenchParagraph, type BenchUser } from "./lib/bench-notes";
import { treeCpuSeconds } from "./lib/process-cpu";
import { BENCH_SERVER_ENV, waitForHealthy } from "./lib/throwaway-app";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const slug = "japan-patriot-missile-export";
const proxyPort = Number(process.env.BENCH_CLUSTER_PORT ?? 3600);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const warmUpSeconds = 2;
const connections = 20;
const userCount = 200;
const instanceCounts = (process.env.BENCH_CLUSTER_INSTANCES ?? "1,2,3").split(",").map(Number);

type ClusterState = { proxy: { pid: number | null }; databaseUrl: string; instances: { pid: number | null }[] };

export type CpuShare = { instancesMs: number; postgresMs: number; nginxMs: number; loadGeneratorMs: number };
export type ClusterFigure = {
  requestsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  /** CPU milliseconds per request, by part. */
  cpuPerRequest: CpuShare;
};

/** Every cluster gets its own throwaway database: whatever database this process used is not passed on. */
function clusterEnv(secret: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...BENCH_SERVER_ENV, BETTER_AUTH_SECRET: secret, LOG_LEVEL: "warn", LOG_ACCESS: "0" };
  delete env.DATABASE_URL;
  delete env.DIRECT_DATABASE_URL;
  return env;
}

async function startCluster(instances: number, secret: string): Promise<{ child: ChildProcess; state: ClusterState; stop(): Promise<void> }> {
  const stateFile = path.join(os.tmpdir(), `taiyaku-bench-cluster-${process.pid}-${instances}.json`);
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=react-server", path.join(root, "scripts/start-cluster.ts"), "--instances", String(instances), "--port", String(proxyPort), "--throwaway-database", "--state-file", stateFile],
    { cwd: root, stdio: ["ignore", "ignore", "inherit"], env: clusterEnv(secret) },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 180_000;
  let state: ClusterState | null = null;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`start:cluster exited with ${child.exitCode}`);
    try {
      const read = JSON.parse(readFileSync(stateFile, "utf8")) as ClusterState;
      if (read.proxy.pid && read.instances.every((i) => i.pid)) state = read;
    } catch {
      // Not written yet.
    }
    if (state) {
      await waitForHealthy(`http://127.0.0.1:${proxyPort}`, 60_000);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (!state) throw new Error("the cluster did not start within 180 s");
  return {
    child,
    state,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]! * 100) / 100;
}

async function measure(cluster: { child: ChildProcess; state: ClusterState }, options: autocannon.Options): Promise<ClusterFigure> {
  const run = async (duration: number) => {
    const latencies: number[] = [];
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon({ connections, ...options, duration }, (error, res) => (error ? reject(error) : resolve(res)));
      instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
    });
    return { result, latencies: latencies.sort((a, b) => a - b) };
  };
  await run(warmUpSeconds);
  const pids = cluster.state.instances.map((i) => i.pid!);
  const cpu = () => {
    const instances = pids.reduce((sum, pid) => sum + treeCpuSeconds(pid), 0);
    const nginx = treeCpuSeconds(cluster.state.proxy.pid!);
    // The launcher's tree holds the instances, nginx and the embedded PostgreSQL; the launcher
    // itself only waits (its own CPU is in the rounding).
    const all = treeCpuSeconds(cluster.child.pid!);
    const usage = process.cpuUsage();
    return { instances, nginx, postgres: all - instances - nginx, loadGenerator: (usage.user + usage.system) / 1e6 };
  };
  const before = cpu();
  const { result, latencies } = await run(seconds);
  const after = cpu();
  const requests = Math.max(1, result.requests.total);
  const per = (key: keyof typeof before) => Math.round(((after[key] - before[key]) * 1000 * 100) / requests) / 100;
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
    requests: result.requests.total,
    non2xx: result.non2xx,
    cpuPerRequest: { instancesMs: per("instances"), postgresMs: per("postgres"), nginxMs: per("nginx"), loadGeneratorMs: per("loadGenerator") },
  };
}

function noteBody(paragraph: BenchParagraph, n: number) {
  const idempotencyKey = `cluster-${n}-${randomUUID().slice(0, 8)}`;
  if (n % 2) return { paragraphId: paragraph.id, locale: "en", kind: "comment", visibility: "public", body: "A comment from the cluster bench.", idempotencyKey };
  let seed = n + 1;
  const random = () => ((seed = (seed * 16807) % 2147483647) % 1000) / 1000;
  const range = randomRange(paragraph.text.ja, random);
  return { paragraphId: paragraph.id, locale: "ja", kind: "annotation", visibility: "public", body: "An annotation from the cluster bench.", range: { start: range.start, end: range.end, exact: range.exact }, idempotencyKey };
}

export async function runClusterBench(): Promise<Record<string, Record<string, ClusterFigure>>> {
  if (!existsSync(path.join(root, process.env.NEXT_DIST_DIR || ".next", "BUILD_ID"))) throw new Error("no production build: run `npm run build` first");
  const base = `http://127.0.0.1:${proxyPort}`;
  const results: Record<string, Record<string, ClusterFigure>> = {};
  for (const instances of instanceCounts) {
    const secret = randomBytes(32).toString("base64url");
    const cluster = await startCluster(instances, secret);
    const db = new pg.Pool({ connectionString: cluster.state.databaseUrl, max: 2 });
    db.on("error", () => {});
    try {
      // Accounts are signed up in this process on the cluster's database (as the main bench does):
      // the per-process auth and database handles are made again for each cluster.
      const globals = globalThis as unknown as { taiyakuAuth?: unknown; taiyakuPrisma?: { $disconnect(): Promise<void> } };
      await globals.taiyakuPrisma?.$disconnect();
      globals.taiyakuAuth = undefined;
      globals.taiyakuPrisma = undefined;
      process.env.DATABASE_URL = cluster.state.databaseUrl;
      process.env.BETTER_AUTH_SECRET = secret;
      const users: BenchUser[] = await signUpUsers(userCount);
      const { paragraphs } = await loadParagraphs(db, slug);

      const figures: Record<string, ClusterFigure> = {};
      // Browsers ask for gzip: nginx compresses the page (its CPU is part of the figure).
      figures["reader page en, signed out (gzip)"] = await measure(cluster, { url: `${base}/en/articles/${slug}`, headers: { "accept-encoding": "gzip" } });
      let turn = 0;
      figures["reader state, signed in"] = await measure(cluster, {
        url: `${base}/api/articles/${slug}/reading`,
        requests: [
          {
            method: "POST",
            path: `/api/articles/${slug}/reading`,
            setupRequest: (req) => ({ ...req, headers: { "content-type": "application/json", "x-ui-locale": "en", cookie: users[turn++ % users.length]!.cookie }, body: "{}" }),
          },
        ],
      });
      let n = 0;
      figures["create note"] = await measure(cluster, {
        url: `${base}/api/notes`,
        requests: [
          {
            method: "POST",
            path: "/api/notes",
            setupRequest: (req) => {
              const i = n++;
              return {
                ...req,
                headers: { "content-type": "application/json", "x-ui-locale": "en", cookie: users[i % users.length]!.cookie },
                body: JSON.stringify(noteBody(paragraphs[i % paragraphs.length]!, i)),
              };
            },
          },
        ],
      });
      results[`${instances} instance${instances === 1 ? "" : "s"}`] = figures;
      console.log(`cluster bench, ${instances} instance(s) behind nginx:`);
      for (const [name, f] of Object.entries(figures)) {
        const c = f.cpuPerRequest;
        console.log(
          `  ${name}: ${f.requestsPerSecond} req/s, p50 ${f.p50Ms} / p95 ${f.p95Ms} / p99 ${f.p99Ms} ms, non-2xx ${f.non2xx}; CPU ms per request: instances ${c.instancesMs}, PostgreSQL ${c.postgresMs}, nginx ${c.nginxMs}, load generator ${c.loadGeneratorMs}`,
        );
      }
    } finally {
      await db.end();
      await cluster.stop();
    }
  }
  await mkdir(path.join(root, "bench/results"), { recursive: true });
  await writeFile(
    path.join(root, "bench/results/cluster-latest.json"),
    `${JSON.stringify({ measuredAt: new Date().toISOString(), cores: os.cpus().length, connections, durationSeconds: seconds, results }, null, 1)}\n`,
  );
  return results;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runClusterBench().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
