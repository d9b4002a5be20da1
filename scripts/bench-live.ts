// Live updates benchmark (ADR 0010): how long a new note takes to reach 50 open SSE streams,
// and what one open stream costs in server memory. Run alone (`npx tsx --conditions=react-server
// scripts/bench-live.ts`: its own throwaway app) or from `npm run bench` (runLiveBench on the
// bench's server). Writes bench/results/live-latest.json.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { treeMemoryKb } from "./lib/process-memory";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const slug = "japan-patriot-missile-export";
export const liveTargets = { p95Ms: 500 };

type Stream = { received: Map<string, number>; ready: Promise<void>; close(): Promise<void> };

let addressCounter = 0;
/** A client address of its own per stream: the server caps open streams per address (signed out). */
function nextAddress(): string {
  addressCounter += 1;
  return `10.77.${Math.floor(addressCounter / 250) % 250}.${(addressCounter % 250) + 1}`;
}

function openStream(base: string, headers: Record<string, string> = {}): Stream {
  const received = new Map<string, number>();
  const abort = new AbortController();
  let markReady!: () => void;
  let fail!: (error: Error) => void;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    fail = reject;
  });
  const pump = (async () => {
    const response = await fetch(`${base}/api/articles/${slug}/events`, {
      headers: { accept: "text/event-stream", "x-forwarded-for": nextAddress(), ...headers },
      signal: abort.signal,
    });
    if (response.status !== 200) return fail(new Error(`stream answered ${response.status}`));
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let cut: number;
      while ((cut = buffer.indexOf("\n\n")) !== -1) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const now = performance.now();
        if (block.includes("event: ready")) markReady();
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (block.includes("event: note") && data) received.set((JSON.parse(data) as { id: string }).id, now);
      }
    }
  })().catch((error: Error) => {
    if (error.name !== "AbortError") fail(error);
  });
  return {
    received,
    ready,
    async close() {
      abort.abort();
      await pump;
    },
  };
}

/** Current resident memory (VmRSS) of the server and its children, in KB. */
const rssKb = (pid: number) => treeMemoryKb(pid, "VmRSS");

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function signUp(base: string): Promise<string> {
  const response = await fetch(`${base}/api/auth/sign-up`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": nextAddress() },
    body: JSON.stringify({ email: `bench-live-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`, name: "Bench Writer", password: "bench password 123" }),
  });
  if (response.status !== 201) throw new Error(`sign-up answered ${response.status}`);
  return response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

type LatencySummary = { p50Ms: number; p95Ms: number; maxMs: number };

export type LiveBenchResult = {
  subscribers: number;
  notes: number;
  /** From the create response arriving at the writer to the event arriving at each subscriber (negative = event first). */
  fromResponse: { p50Ms: number; p95Ms: number; maxMs: number };
  /** From the create request being sent. */
  fromRequest: { p50Ms: number; p95Ms: number; maxMs: number };
  missed: number;
  /** The same with distinct signed-in subscribers (one visibility check each per event). */
  signedIn: { fromResponse: LatencySummary; fromRequest: LatencySummary; missed: number };
  memory: { streams: number; rssDeltaMb: number; kbPerStream: number };
  targets: typeof liveTargets;
};

export async function runLiveBench(
  base: string,
  serverPid: number,
  opts: { subscribers?: number; notes?: number; memoryStreams?: number; log?: (line: string) => void } = {},
): Promise<LiveBenchResult> {
  const log = opts.log ?? console.log;
  const subscribers = opts.subscribers ?? 50;
  const notes = opts.notes ?? 20;
  const memoryStreams = opts.memoryStreams ?? 500;

  const cookie = await signUp(base);
  const html = await (await fetch(`${base}/en/articles/${slug}`)).text();
  const paragraphId = /data-paragraph-id="([0-9a-f-]{36})"/.exec(html)?.[1];
  if (!paragraphId) throw new Error("no paragraph id in the reader page");

  const summary = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const round = (n: number) => Math.round(n * 10) / 10;
    return { p50Ms: round(percentile(sorted, 50)), p95Ms: round(percentile(sorted, 95)), maxMs: round(sorted[sorted.length - 1] ?? NaN) };
  };

  // Latency: subscribers open, one note at a time (the write limit allows ~4 a second).
  const measure = async (streamHeaders: Record<string, string>[]) => {
    const streams = streamHeaders.map((headers) => openStream(base, headers));
    await Promise.all(streams.map((s) => s.ready));
    const fromResponse: number[] = [];
    const fromRequest: number[] = [];
    let missed = 0;
    for (let i = 0; i < notes; i++) {
      const sent = performance.now();
      const response = await fetch(`${base}/api/notes`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie },
        body: JSON.stringify({ paragraphId, locale: "en", kind: "comment", visibility: "public", body: `Live bench ${i}`, idempotencyKey: crypto.randomUUID().replaceAll("-", "") }),
      });
      const answered = performance.now();
      if (response.status !== 201) throw new Error(`create answered ${response.status}: ${await response.text()}`);
      const { note } = (await response.json()) as { note: { id: string } };
      const deadline = performance.now() + 2_000;
      while (performance.now() < deadline && streams.some((s) => !s.received.has(note.id))) await sleep(5);
      for (const s of streams) {
        const at = s.received.get(note.id);
        if (at === undefined) missed += 1;
        else {
          fromResponse.push(at - answered);
          fromRequest.push(at - sent);
        }
      }
      await sleep(300);
    }
    await Promise.all(streams.map((s) => s.close()));
    return { fromResponse: summary(fromResponse), fromRequest: summary(fromRequest), missed };
  };

  const anonymous = await measure(Array.from({ length: subscribers }, () => ({})));
  // Distinct signed-in readers: one permission check per reader per event (no sharing).
  const readerCookies: string[] = [];
  for (let i = 0; i < subscribers; i++) readerCookies.push(await signUp(base));
  const signedIn = await measure(readerCookies.map((c) => ({ cookie: c })));

  // Memory: RSS before and after opening many idle streams.
  await sleep(1_000);
  const before = rssKb(serverPid);
  const idle = Array.from({ length: memoryStreams }, () => openStream(base));
  await Promise.all(idle.map((s) => s.ready));
  await sleep(1_000);
  const after = rssKb(serverPid);
  await Promise.all(idle.map((s) => s.close()));

  const result: LiveBenchResult = {
    subscribers,
    notes,
    ...anonymous,
    signedIn,
    memory: { streams: memoryStreams, rssDeltaMb: Math.round((after - before) / 102.4) / 10, kbPerStream: Math.round(((after - before) / memoryStreams) * 10) / 10 },
    targets: liveTargets,
  };
  const pass = (ok: boolean) => (ok ? "ok" : "ABOVE TARGET");
  log(`\nLive updates — ${subscribers} SSE subscribers, ${notes} notes created one at a time`);
  log(`  create response → event: p50 ${result.fromResponse.p50Ms} ms, p95 ${result.fromResponse.p95Ms} ms, max ${result.fromResponse.maxMs} ms (target p95 < ${liveTargets.p95Ms} ms) ${pass(result.fromResponse.p95Ms < liveTargets.p95Ms)}`);
  log(`  create request  → event: p50 ${result.fromRequest.p50Ms} ms, p95 ${result.fromRequest.p95Ms} ms, max ${result.fromRequest.maxMs} ms`);
  log(`  missed deliveries: ${result.missed}`);
  log(`  ${subscribers} distinct signed-in subscribers: create response → event p50 ${signedIn.fromResponse.p50Ms} ms, p95 ${signedIn.fromResponse.p95Ms} ms, max ${signedIn.fromResponse.maxMs} ms ${pass(signedIn.fromResponse.p95Ms < liveTargets.p95Ms)}; missed ${signedIn.missed}`);
  log(`  memory: ${memoryStreams} idle streams add ${result.memory.rssDeltaMb} MB RSS = ${result.memory.kbPerStream} KB per stream`);

  await mkdir(path.join(root, "bench", "results"), { recursive: true });
  const out = path.join(root, "bench", "results", "live-latest.json");
  await writeFile(out, JSON.stringify({ measuredAt: new Date().toISOString(), ...result }, null, 2));
  log(`  written to ${path.relative(root, out)}`);
  return result;
}

// Run alone: its own throwaway app.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { BENCH_SERVER_ENV, startThrowawayApp, waitForHealthy } = await import("./lib/throwaway-app");
  const port = Number(process.env.BENCH_PORT ?? 3300);
  const app = await startThrowawayApp({ port, stdio: "ignore", env: { NODE_ENV: "production", ...BENCH_SERVER_ENV } });
  try {
    await waitForHealthy(app.base);
    await runLiveBench(app.base, app.server.pid!);
  } finally {
    await app.stop();
  }
}
