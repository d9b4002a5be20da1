// npm run bench: throughput and latency of the reader page against a static page of the same
// size served by the same server, measured in the same run (so the machine's speed cancels out),
// plus the server's peak memory. Prints a table and writes bench/results/latest.json.
import { readdirSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { runLiveBench } from "./bench-live";
import { startThrowawayApp, waitForHealthy } from "./lib/throwaway-app";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.env.BENCH_PORT ?? 3300);
const duration = Number(process.env.BENCH_SECONDS ?? 10);
const connections = 10;
const slug = "japan-patriot-missile-export";
const targets = { readerRatio: 0.8, peakRssMb: 300 };

function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) out.push(...(children.get(out[i]!) ?? []));
  return out;
}

/** Peak resident memory (VmHWM) of the server and its children, in MB. */
function peakRssMb(pid: number): number {
  let kb = 0;
  for (const p of processTree(pid)) {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, "utf8"));
      kb += Number(match?.[1] ?? 0);
    } catch {
      // Gone.
    }
  }
  return Math.round(kb / 1024);
}

async function run(url: string, seconds: number) {
  const result = await autocannon({ url, connections, duration: seconds });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    bytesPerRequest: Math.round(result.throughput.average / Math.max(1, result.requests.average)),
  };
}

const workDir = await mkdtemp(path.join(tmpdir(), "taiyaku-bench-"));
const baselineFile = path.join(workDir, "baseline.html");
const app = await startThrowawayApp({ port, stdio: "ignore", env: { NODE_ENV: "production", TAIYAKU_BENCH_BASELINE_FILE: baselineFile } });
try {
  const base = app.base;
  await waitForHealthy(base);

  const readerEn = `${base}/en/articles/${slug}`;
  const readerJa = `${base}/ja/articles/${slug}`;
  const html = await (await fetch(readerEn)).text();
  await writeFile(baselineFile, html);
  const baselineUrl = `${base}/en/bench-baseline`;

  const figures: Record<string, Awaited<ReturnType<typeof run>>> = {};
  for (const [name, url] of [
    ["baseline (static, same size)", baselineUrl],
    ["reader en", readerEn],
    ["reader ja", readerJa],
  ] as const) {
    await run(url, 2); // warm-up: first render, JIT, caches
    figures[name] = await run(url, duration);
  }
  const baseline = figures["baseline (static, same size)"]!;
  const ratios = {
    "reader en": figures["reader en"]!.requestsPerSecond / baseline.requestsPerSecond,
    "reader ja": figures["reader ja"]!.requestsPerSecond / baseline.requestsPerSecond,
  };
  const rss = peakRssMb(app.server.pid!);

  console.log(`\nTaiyaku bench — ${connections} connections, ${duration} s per page, after a 2 s warm-up\n`);
  console.log("page                           req/s    p50 ms   p99 ms   bytes");
  for (const [name, f] of Object.entries(figures)) {
    console.log(
      `${name.padEnd(30)} ${String(f.requestsPerSecond).padStart(6)} ${String(f.p50Ms).padStart(9)} ${String(f.p99Ms).padStart(8)} ${String(f.bytesPerRequest).padStart(7)}`,
    );
  }
  const pass = (ok: boolean) => (ok ? "ok" : "BELOW TARGET");
  for (const [name, ratio] of Object.entries(ratios)) {
    console.log(`${name} / baseline: ${ratio.toFixed(2)} (target ≥ ${targets.readerRatio}) ${pass(ratio >= targets.readerRatio)}`);
  }
  console.log(`server peak RSS: ${rss} MB (target ≤ ${targets.peakRssMb} MB) ${pass(rss <= targets.peakRssMb)}`);

  await mkdir(path.join(root, "bench", "results"), { recursive: true });
  const out = path.join(root, "bench", "results", "latest.json");
  await writeFile(
    out,
    JSON.stringify({ measuredAt: new Date().toISOString(), connections, durationSeconds: duration, figures, ratios, peakRssMb: rss, targets }, null, 2),
  );
  console.log(`\nwritten to ${path.relative(root, out)}`);

  // Live updates (scripts/bench-live.ts): note → 50 SSE subscribers latency, memory per stream.
  await runLiveBench(base, app.server.pid!);
} finally {
  await app.stop();
  await rm(workDir, { recursive: true, force: true });
}
