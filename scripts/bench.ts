// npm run bench: throughput and latency of the reader page against a static page of the same
// size served by the same server, measured in the same run (so the machine's speed cancels out),
// plus the signed-in reader (the same cached page, then POST /reading for their own notes:
// ADR 0012), note creation by concurrent writers, and how the reader scales from 10 to 2,000 to
// 10,000 notes, and the server's peak memory. Prints a table and writes bench/results/latest.json.
//
// Order of the run (one server, one throwaway database):
//   1. 200 users sign up through better-auth (real accounts and sessions); the signed-out notes
//      list of the article while it has no notes yet; 10 public notes.
//   2. 10 notes: static baseline, reader en/ja (signed out, ISR), reader en signed in (page and
//      reader state). A library of 1,000 articles (scripts/lib/bench-library.ts) is already in the
//      database from the start; then the home list against a static page of its size, and the
//      library search (GET /api/articles, a mix of queries) at 10 connections.
//   3. 2,000 notes (bulk-inserted; one API write invalidates the cached public overlay):
//      reader signed out and signed in, a group member's, a page of 50 annotations from the W3C
//      annotation container (issue 13), then note creation by 50 signed-in writers
//      and, uncapped, over 10 connections.
//   4. 10,000 notes (same way): reader signed out and signed in.
// Before stage 1's notes, after the sign-ups: first-load JavaScript per route against its budget
// and Lighthouse on the reader (scripts/bench-budgets.ts; BENCH_BUDGETS=0 skips it).
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import pg from "pg";
import { runBudgetsBench } from "./bench-budgets";
import { runClusterBench } from "./bench-cluster";
import { runExportBench } from "./bench-export";
import { runLiveBench } from "./bench-live";
import { buildLibrary, insertLibrary, LIBRARY_SEARCHES } from "./lib/bench-library";
import { countNotes, insertGroupNotes, insertNotes, loadParagraphs, randomRange, signUpUsers, type BenchParagraph } from "./lib/bench-notes";
import { startQueryCounter, type QueryCounter } from "./lib/pg-query-counter";
import { treeMemoryKb } from "./lib/process-memory";
import { runPacedWriters, type PacedResult } from "./lib/paced-writers";
import { BENCH_SERVER_ENV, startThrowawayApp, waitForHealthy } from "./lib/throwaway-app";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.env.BENCH_PORT ?? 3300);
const duration = Number(process.env.BENCH_SECONDS ?? 10);
const warmUpSeconds = 2;
const connections = 10;
const writers = 50;
/** Per writer: under the note bucket's 4/s refill (burst 8), so the run measures latency, not 429s. */
const writesPerSecondPerWriter = 3;
const userCount = 200;
/** Issue 11: the library the list and the search are measured with (10 % ja-only, 10 % en-only). */
const libraryArticles = 1_000;
const slug = "japan-patriot-missile-export";
const targets = {
  readerRatio: 0.8,
  signedInP99Ms: 100,
  createP95Ms: 50,
  /** 10,000-note page vs 10-note page: p50 at most 1.5×, req/s at least 1/1.5. */
  manyNotesFactor: 1.5,
  peakRssMb: 300,
  /** Issue 11: library search (GET /api/articles, a mix of queries) at 10 connections. */
  searchP95Ms: 50,
  /** Issue 11: the home list at least this share of a static page of its size. */
  listRatio: 0.8,
  /** Issue 10, part 7: statements a note creation sends (handler, session and rate limit included). */
  statementsPerCreate: 6,
  /** Issue 10, part 7: create at 10 connections and the empty notes list at ≥ 2× the speed of 18bfc6c. */
  speedUpOverToday: 2,
};
// "Today" for issue 10, part 7: commit 18bfc6c (before the write path work), measured once on this
// machine (2 cores) on 2026-11-29 by running this same file in a worktree of 18bfc6c (its own
// production build, BENCH_SERVER_ENV dropped from the import as that commit has no sign-up limits).
// Each figure is req/s divided by the req/s of the static baseline measured at the same stage of
// that same run (the 2,000-note-size one for creation, the first one for the empty list), so the
// machine's speed cancels out and the targets below are checkable in any run. That run's two
// baselines were 322 and 550 req/s: the first, right after start-up, was low, so the empty list's
// ratio (measured just before it) is kept against it rather than against a calmer figure.
// 18bfc6c sent 12 statements per creation and 11.2 per empty list.
const todayRatios = {
  // 150 req/s (p50 63.4 ms, p95 98.0 ms, p99 121.1 ms, 0 non-2xx) vs 550 req/s
  "create note (10 connections)": 0.273,
  // 220 req/s (p50 40.2 ms, p95 83.8 ms, p99 134.1 ms) vs 322 req/s
  "notes list, signed out, empty": 0.683,
};

// better-auth signs session cookies with this secret: the server (which inherits it through
// startThrowawayApp) and the sign-ups below in this process must share it.
if (!process.env.BETTER_AUTH_SECRET || process.env.BETTER_AUTH_SECRET.length < 32) {
  process.env.BETTER_AUTH_SECRET = "taiyaku-bench-only-secret-0123456789abcdef";
}

/** Peak resident memory (VmHWM) of the server and its children, in MB. */
function peakRssMb(pid: number): number {
  return Math.round(treeMemoryKb(pid, "VmHWM") / 1024);
}

type Figures = {
  notes: number;
  connections: number;
  requestsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  bytesPerRequest: number;
  requests: number;
  non2xx: number;
  statusCodes: Record<string, number>;
};

/** Exact percentile (nearest rank) of per-request latencies. */
function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  const value = sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  return Math.round(value * 100) / 100;
}

type Load = {
  url: string;
  connections?: number;
  /** Requests per second per connection (autocannon connectionRate). */
  connectionRate?: number;
  /** Non-2xx answers are counted and reported instead of failing the run. */
  allowNon2xx?: boolean;
  /** req/s counts 2xx answers only (a refused write is cheap and must not inflate the rate). */
  successOnly?: boolean;
  requests?: autocannon.Request[];
  setupClient?: (client: autocannon.Client) => void;
  /** autocannon's per-request timeout (default 10 s). */
  timeoutSeconds?: number;
};

async function run(load: Load, seconds: number, notes: number): Promise<Figures> {
  const latencies: number[] = [];
  const options: autocannon.Options = {
    url: load.url,
    connections: load.connections ?? connections,
    duration: seconds,
    ...(load.connectionRate ? { connectionRate: load.connectionRate } : {}),
    ...(load.requests ? { requests: load.requests } : {}),
    ...(load.setupClient ? { setupClient: load.setupClient } : {}),
    ...(load.timeoutSeconds ? { timeout: load.timeoutSeconds } : {}),
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (error, res) => (error ? reject(error) : resolve(res)));
    // autocannon's histogram has p90 and p97.5 but no p95: keep every latency and rank them.
    instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => [code, stat?.count ?? 0]));
  if (result.errors > 0 || (!load.allowNon2xx && result.non2xx > 0)) {
    throw new Error(`${load.url}: ${result.non2xx} non-2xx (${JSON.stringify(statusCodes)}), ${result.errors} errors`);
  }
  latencies.sort((a, b) => a - b);
  return {
    notes,
    connections: load.connections ?? connections,
    requestsPerSecond: Math.round(result.requests.average * (load.successOnly ? 1 - result.non2xx / Math.max(1, result.requests.total) : 1)),
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
    bytesPerRequest: Math.round(result.throughput.average / Math.max(1, result.requests.average)),
    requests: result.requests.total,
    non2xx: result.non2xx,
    statusCodes,
  };
}

function pacedFigures(result: PacedResult, notes: number, writerCount: number): Figures {
  if (result.errors > 0) throw new Error(`paced writers: ${result.errors} errors`);
  const sorted = [...result.latencies].sort((a, b) => a - b);
  const non2xx = Object.entries(result.statusCodes).reduce((sum, [code, count]) => sum + (code.startsWith("2") ? 0 : count), 0);
  return {
    notes,
    connections: writerCount,
    requestsPerSecond: Math.round(result.requests / result.seconds),
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
    bytesPerRequest: 0,
    requests: result.requests,
    non2xx,
    statusCodes: result.statusCodes,
  };
}

async function measure(load: Load, notes: number): Promise<Figures> {
  await run(load, warmUpSeconds, notes); // warm-up: first render, JIT, caches
  return run(load, duration, notes);
}

/** Sum of the margin markers' counts (one per paragraph): every visible note, replies included. */
function markerTotal(html: string): number {
  let total = 0;
  for (const match of html.matchAll(/<button[^>]*class="para-action note-marker[^"]*"[^>]*data-count="(\d+)"/g)) total += Number(match[1]);
  return total;
}

/**
 * Waits until the cached page shows `expected` notes in its markers. A write expires the page
 * (ADR 0022), but the invalidation is sent after the write's response: a request sent right after
 * it may still get the old page.
 */
async function waitForNoteCount(url: string, expected: number, cookie?: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  let seen = -1;
  while (Date.now() < deadline) {
    const html = await (await fetch(url, { headers: cookie ? { cookie } : {} })).text();
    seen = markerTotal(html);
    if (seen === expected) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url}${cookie ? " (signed in)" : ""}: markers show ${seen} notes, expected ${expected}`);
}

/** SQL statements the server runs per request, over `times` sequential requests. */
async function queriesPerRequest(send: () => Promise<Response>, times = 5): Promise<number> {
  const before = counter!.count();
  for (let i = 0; i < times; i++) {
    const response = await send();
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`query count: ${response.status}`);
  }
  return Math.round(((counter!.count() - before) / times) * 10) / 10;
}

/** Share of all CPUs busy over `ms` (from /proc/stat): what else is running before the bench starts. */
async function cpuBusyPercent(ms: number): Promise<number> {
  const sample = () => {
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = fields[3]! + (fields[4] ?? 0);
    return { idle, total: fields.reduce((a, b) => a + b, 0) };
  };
  const a = sample();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const b = sample();
  return Math.round((1 - (b.idle - a.idle) / Math.max(1, b.total - a.total)) * 100);
}

async function settledCount(db: pg.Pool, articleId: string): Promise<number> {
  let last = -1;
  for (;;) {
    const now = await countNotes(db, articleId);
    if (now === last) return now;
    last = now;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/** What a page is made of: highlight runs and the bytes of the RSC payload inlined for hydration. */
function composition(html: string) {
  let flightBytes = 0;
  for (const match of html.matchAll(/<script>self\.__next_f\.push\(([\s\S]*?)\)<\/script>/g)) flightBytes += match[1]!.length;
  return { bytes: html.length, marks: (html.match(/<mark /g) ?? []).length, flightBytes };
}

const workDir = await mkdtemp(path.join(tmpdir(), "taiyaku-bench-"));
const baselineFile = path.join(workDir, "baseline.html");
const startedAt = Date.now();
const loadAtStart = loadavg()[0]!;
const busyBefore = await cpuBusyPercent(2_000);
let counter: QueryCounter | undefined;
const app = await startThrowawayApp({
  port,
  stdio: "ignore",
  // The load generator plays one trusted proxy (bench-live gives each writer its own address
  // with X-Forwarded-For) and signs up far more accounts from one machine than a person would.
  // SITE_URL is its own address, as on a configured host (Lighthouse's canonical audit, issue 15).
  env: { NODE_ENV: "production", SITE_URL: `http://127.0.0.1:${port}`, TAIYAKU_BENCH_BASELINE_FILE: baselineFile, ...BENCH_SERVER_ENV },
  // The server reaches its database through a statement counter (port + 50).
  serverDatabaseUrl: async (url) => (counter = await startQueryCounter(url, port + 50)).url,
});
let db: pg.Pool | undefined;
let prisma: { $disconnect(): Promise<void> } | undefined;
try {
  const base = app.base;
  await waitForHealthy(base);
  // getPrisma/getAuth read these on first use (inside signUpUsers).
  process.env.DATABASE_URL = app.databaseUrl;
  db = new pg.Pool({ connectionString: app.databaseUrl, max: 4 });
  db.on("error", () => {}); // the cluster stops before the pool on the way out
  prisma = (await import("../lib/db/prisma")).getPrisma();

  const signUpStarted = Date.now();
  const users = await signUpUsers(userCount);
  const signUpSeconds = (Date.now() - signUpStarted) / 1000;
  // Page weight and Lighthouse (scripts/bench-budgets.ts, issue 15): before any note or the
  // library exists, so Lighthouse scores the seed article's reader as a first visitor sees it,
  // on a machine the later stages are not yet loading. BENCH_BUDGETS=0 skips it.
  const budgets = process.env.BENCH_BUDGETS !== "0" ? await runBudgetsBench(base, { cookie: users[0]!.cookie }) : undefined;
  const { articleId, paragraphs } = await loadParagraphs(db, slug);
  const figures: Record<string, Figures> = {};

  // The library, before any page is rendered (the cached list and search read it from the start),
  // so every figure below is measured with 1,000 articles in the database.
  const libraryStarted = Date.now();
  const library = await insertLibrary(db, buildLibrary(libraryArticles - 1));
  const librarySeconds = (Date.now() - libraryStarted) / 1000;

  // ---- no notes ----------------------------------------------------------------------------------
  // The signed-out notes list of an article nobody has written on yet: the cheapest API read,
  // measured before the first note exists (every later stage has notes on every paragraph range).
  const emptyListUrl = `${base}/api/notes?article=${slug}`;
  const emptyList = (await (await fetch(emptyListUrl)).json()) as { ok: boolean; notes: unknown[] };
  if (!emptyList.ok || emptyList.notes.length !== 0) throw new Error(`${emptyListUrl}: expected an empty list, got ${JSON.stringify(emptyList).slice(0, 200)}`);
  figures["notes list, signed out, empty"] = await measure({ url: emptyListUrl }, 0);
  const queriesEmptyList = await queriesPerRequest(() => fetch(emptyListUrl));
  const seedSeconds: Record<string, number> = {};
  type Composition = ReturnType<typeof composition>;
  const pages: Record<
    string,
    { signedOut: Composition; signedIn: Composition; stateBytes: number; queriesSignedOut: number; queriesSignedIn: number; queriesState: number }
  > = {};

  const readerEn = `${base}/en/articles/${slug}`;
  const readerJa = `${base}/ja/articles/${slug}`;
  const verifier = users[userCount - 1]!; // never one of the writers: its rate-limit bucket stays full
  let userTurn = 0;
  const signedIn = (url: string): Load => ({
    url,
    // Every request carries the session of the next of the 200 users (one session lookup each).
    requests: [{ setupRequest: (req) => ({ ...req, headers: { ...req.headers, cookie: users[userTurn++ % users.length]!.cookie } }) }],
  });
  // What a signed-in reader's page asks for once it has loaded: their counts, highlights, layers
  // (and the visit it records). Same rotation of sessions.
  const readingUrl = `${base}/api/articles/${slug}/reading`;
  const readingHeaders = { "content-type": "application/json", "x-ui-locale": "en" };
  const readingLoad = (readers: typeof users): Load => {
    let turn = 0;
    return {
      url: readingUrl,
      requests: [
        {
          method: "POST",
          path: `/api/articles/${slug}/reading`,
          setupRequest: (req) => ({ ...req, headers: { ...readingHeaders, cookie: readers[turn++ % readers.length]!.cookie }, body: "{}" }),
        },
      ],
    };
  };
  const readingState = async (cookie: string) => {
    const response = await fetch(readingUrl, { method: "POST", headers: { ...readingHeaders, cookie }, body: "{}" });
    if (!response.ok) throw new Error(`POST /reading: ${response.status}`);
    return ((await response.json()) as { state: { viewer: { id: string }; counts: Record<string, number> } | null }).state;
  };

  /** Bulk-inserts up to `total - 1` notes, then writes one through the API so the public overlay is revalidated. */
  async function seedTo(total: number, seed: number): Promise<number> {
    const started = Date.now();
    const missing = total - 1 - (await countNotes(db!, articleId));
    if (missing > 0) await insertNotes(db!, { articleId, paragraphs, users, count: missing, seed });
    const response = await fetch(`${base}/api/notes`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: verifier.cookie, "x-ui-locale": "en" },
      body: JSON.stringify(commentBody(paragraphs[0]!, `revalidate-${seed}`)),
    });
    if (response.status !== 201) throw new Error(`POST /api/notes: ${response.status} ${await response.text()}`);
    const count = await countNotes(db!, articleId);
    await waitForNoteCount(readerEn, count);
    await waitForNoteCount(readerJa, count);
    const check = await (await fetch(readerEn, { headers: { cookie: verifier.cookie } })).text();
    if (markerTotal(check) !== count) throw new Error(`signed-in page markers show ${markerTotal(check)} notes, expected ${count}`);
    // The reader state answers null for a bad cookie: make sure it recognised the session.
    const state = await readingState(verifier.cookie);
    if (state?.viewer.id !== verifier.id) throw new Error("the reader API did not recognise the session cookie");
    const stateTotal = Object.values(state.counts).reduce((a, b) => a + b, 0);
    if (stateTotal !== count) throw new Error(`the reader state counts ${stateTotal} notes, expected ${count}`);
    seedSeconds[`${count} notes`] = (Date.now() - started) / 1000;
    pages[`${count} notes`] = {
      signedOut: composition(await (await fetch(readerEn)).text()),
      signedIn: composition(check),
      stateBytes: JSON.stringify(state).length,
      queriesSignedOut: await queriesPerRequest(() => fetch(readerEn)),
      queriesSignedIn: await queriesPerRequest(() => fetch(readerEn, { headers: { cookie: verifier.cookie } })),
      queriesState: await queriesPerRequest(() => fetch(readingUrl, { method: "POST", headers: { ...readingHeaders, cookie: verifier.cookie }, body: "{}" })),
    };
    return count;
  }

  // ---- 10 notes ----------------------------------------------------------------------------------
  const fewNotes = await seedTo(10, 1);
  const html = await (await fetch(readerEn)).text();
  await writeFile(baselineFile, html);
  const baselineUrl = `${base}/en/bench-baseline`;
  for (const [name, load] of [
    ["baseline (static, same size)", { url: baselineUrl }],
    ["reader en", { url: readerEn }],
    ["reader ja", { url: readerJa }],
    ["reader en, signed in", signedIn(readerEn)],
    ["reader state, signed in", readingLoad(users)],
  ] as const) {
    figures[name] = await measure(load, name.startsWith("baseline") ? 0 : fewNotes);
  }

  // ---- the library: the home list and the search ------------------------------------------------
  // The home list (a cached page, the same for everyone) against a static page of its own size.
  const listUrl = `${base}/en`;
  const listHtml = await (await fetch(listUrl)).text();
  // The newest cards (HOME_LIST_SIZE) and a link to the whole library in the paged search list.
  const listed = (listHtml.match(/data-testid="article-card"/g) ?? []).length;
  if (listed === 0 || listed >= libraryArticles || !listHtml.includes('data-testid="all-articles"')) {
    throw new Error(`${listUrl}: ${listed} article cards and ${listHtml.includes("all-articles") ? "a" : "no"} link to the library`);
  }
  await writeFile(`${baselineFile}.list`, listHtml);
  figures["baseline (static, size of the list page)"] = await measure({ url: `${baselineUrl}?size=list` }, 0);
  figures["list page en (1,000 articles)"] = await measure({ url: listUrl }, fewNotes);
  // The search: every request the next of the query mix (words, Japanese substrings, tags, paging).
  // One pass alone first: each query's results, its latency without concurrency, its statements.
  const searchTotals: Record<string, { total: number; ms: number }> = {};
  const statementsBefore = counter!.count();
  for (const query of LIBRARY_SEARCHES) {
    const sent = performance.now();
    const response = await fetch(`${base}/api/articles?${query}`);
    if (!response.ok) throw new Error(`GET /api/articles?${query}: ${response.status}`);
    const total = ((await response.json()) as { total: number }).total;
    searchTotals[decodeURIComponent(query)] = { total, ms: Math.round(performance.now() - sent) };
  }
  const queriesSearch = Math.round(((counter!.count() - statementsBefore) / LIBRARY_SEARCHES.length) * 10) / 10;
  let searchTurn = 0;
  figures["search (GET /api/articles, query mix)"] = await measure(
    {
      url: `${base}/api/articles`,
      // A slow search must be measured, not abort the run.
      timeoutSeconds: 60,
      requests: [{ setupRequest: (req) => ({ ...req, path: `/api/articles?${LIBRARY_SEARCHES[searchTurn++ % LIBRARY_SEARCHES.length]}` }) }],
    },
    fewNotes,
  );

  // Requests autocannon stopped waiting for may still be running on the server: let them finish.
  await waitForHealthy(base);
  await new Promise((resolve) => setTimeout(resolve, 3_000));

  // ---- 2,000 notes -------------------------------------------------------------------------------
  const seededNotes = await seedTo(2_000, 2);
  // The 2,000-note page is larger (more highlight runs): compare it with a static page of its own size.
  await writeFile(`${baselineFile}.2000`, await (await fetch(readerEn)).text());
  figures["baseline (static, size of 2,000-note page)"] = await measure({ url: `${baselineUrl}?size=2000` }, 0);
  figures["reader en (2,000 notes)"] = await measure({ url: readerEn }, seededNotes);
  figures["reader en, signed in (2,000 notes)"] = await measure(signedIn(readerEn), seededNotes);
  figures["reader state, signed in (2,000 notes)"] = await measure(readingLoad(users), seededNotes);

  // A study group: 20 of the users and 500 group notes on top of the 2,000 public ones. Its
  // members read the public and the group layers; everyone else's page is unchanged.
  const groupMembers = users.slice(0, 20);
  await insertGroupNotes(db!, { articleId, paragraphs, members: groupMembers, count: 500 });
  figures["reader state, group member (+500 group notes)"] = await measure(readingLoad(groupMembers), seededNotes + 500);

  // Issue 13 (ADR 0029): one AnnotationPage of the W3C annotation container, 50 full annotation
  // descriptions (JSON-LD, every selector), signed out, at 10 connections.
  figures["annotation container page (50 annotations)"] = await measure({ url: `${base}/api/annotations/${slug}/?iris=0&page=1` }, seededNotes);

  // 50 writers, each its own user (the rate limit is per user); every other note an annotation.
  const createRequest = (index: number, n: number) => {
    const paragraph = paragraphs[(index + n) % paragraphs.length]!;
    const key = `w${index}-${n}-${Date.now().toString(36)}`;
    const body = n % 2 ? commentBody(paragraph, key) : annotationBody(paragraph, key, n);
    return { path: "/api/notes", headers: { "content-type": "application/json", cookie: users[index]!.cookie, "x-ui-locale": "en" }, body: JSON.stringify(body) };
  };
  let writerTurn = 0;
  const writerLoad: Load = {
    url: `${base}/api/notes`,
    connections: writers,
    connectionRate: writesPerSecondPerWriter,
    allowNon2xx: true,
    setupClient(client) {
      const index = writerTurn++ % writers;
      let n = 0;
      client.setRequests([
        {
          method: "POST",
          path: "/api/notes",
          setupRequest: (req) => {
            const { headers, body } = createRequest(index, ++n);
            return { ...req, headers, body };
          },
        },
      ]);
    },
  };
  // 50 writers posting a note every second each (a very busy study session), their seconds not
  // in step (scripts/lib/paced-writers.ts): the target. Then the same 50 in lockstep (autocannon
  // starts every connection at once: 50 simultaneous requests each second), and at 3/s each
  // (150 writes/s asked of a 2-core machine): stress figures, reported without a target.
  const paced = async (seconds: number) =>
    runPacedWriters({ base, writers, periodMs: 1_000, seconds, request: (index, n) => createRequest(index, 10_000 + n) });
  await paced(warmUpSeconds);
  const pacedResult = await paced(duration);
  figures["create note (50 writers × 1/s)"] = pacedFigures(pacedResult, seededNotes, writers);
  figures["create note (50 writers × 1/s, lockstep)"] = await measure({ ...writerLoad, connectionRate: 1 }, seededNotes);
  const beforeCreate = await countNotes(db, articleId);
  figures["create note (50 writers)"] = await measure(writerLoad, seededNotes);
  // Requests still in flight when autocannon stops complete afterwards: wait for the count to settle.
  const created = (await settledCount(db, articleId)) - beforeCreate;
  let turn = 0;
  const queriesPerCreate = await queriesPerRequest(() =>
    fetch(`${base}/api/notes`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: verifier.cookie, "x-ui-locale": "en" },
      body: JSON.stringify(commentBody(paragraphs[0]!, `count-queries-${turn++}`)),
    }),
  );
  // The same requests from one writer alone: the cost of a write without queueing.
  figures["create note (1 writer)"] = await measure({ ...writerLoad, connections: 1 }, seededNotes);

  // Uncapped creation over 10 connections: how many writes per second one process takes. Each
  // request is the next of the 199 users (not the verifier) with a fresh idempotency key, so at a
  // few hundred writes per second a user writes ~2/s, under the per-user bucket (8 burst, 4/s);
  // any 429 is counted (target 0) and left out of req/s.
  const rotation = users.slice(0, userCount - 1);
  let rotationTurn = 0;
  figures["create note (10 connections)"] = await measure(
    {
      url: `${base}/api/notes`,
      allowNon2xx: true,
      successOnly: true,
      requests: [
        {
          method: "POST",
          path: "/api/notes",
          setupRequest: (req) => {
            const n = rotationTurn++;
            const user = rotation[n % rotation.length]!;
            const paragraph = paragraphs[n % paragraphs.length]!;
            const key = `c${n}-${Date.now().toString(36)}`;
            const body = n % 2 ? commentBody(paragraph, key) : annotationBody(paragraph, key, n);
            return { ...req, headers: { "content-type": "application/json", cookie: user.cookie, "x-ui-locale": "en" }, body: JSON.stringify(body) };
          },
        },
      ],
    },
    seededNotes,
  );

  // ---- 10,000 notes ------------------------------------------------------------------------------
  const manyNotes = await seedTo(10_000, 3);
  figures["reader en (10,000 notes)"] = await measure({ url: readerEn }, manyNotes);
  figures["reader en, signed in (10,000 notes)"] = await measure(signedIn(readerEn), manyNotes);
  figures["reader state, signed in (10,000 notes)"] = await measure(readingLoad(users), manyNotes);

  const f = (name: string) => figures[name]!;
  const baseline = f("baseline (static, same size)");
  const ratios = {
    "reader en": f("reader en").requestsPerSecond / baseline.requestsPerSecond,
    "reader ja": f("reader ja").requestsPerSecond / baseline.requestsPerSecond,
    "reader en (2,000 notes)": f("reader en (2,000 notes)").requestsPerSecond / f("baseline (static, size of 2,000-note page)").requestsPerSecond,
  };
  const listRatio = f("list page en (1,000 articles)").requestsPerSecond / f("baseline (static, size of the list page)").requestsPerSecond;
  const scaling = {
    signedOut: {
      p50: f("reader en (10,000 notes)").p50Ms / f("reader en").p50Ms,
      requestsPerSecond: f("reader en").requestsPerSecond / f("reader en (10,000 notes)").requestsPerSecond,
    },
    signedIn: {
      p50: f("reader en, signed in (10,000 notes)").p50Ms / f("reader en, signed in").p50Ms,
      requestsPerSecond: f("reader en, signed in").requestsPerSecond / f("reader en, signed in (10,000 notes)").requestsPerSecond,
    },
    readerState: {
      p50: f("reader state, signed in (10,000 notes)").p50Ms / f("reader state, signed in").p50Ms,
      requestsPerSecond: f("reader state, signed in").requestsPerSecond / f("reader state, signed in (10,000 notes)").requestsPerSecond,
    },
  };
  const writeRatios = {
    // Measured at 2,000 notes: against the static page of that stage (see todayRatios).
    "create note (10 connections)": f("create note (10 connections)").requestsPerSecond / f("baseline (static, size of 2,000-note page)").requestsPerSecond,
    "notes list, signed out, empty": f("notes list, signed out, empty").requestsPerSecond / baseline.requestsPerSecond,
  };
  const rss = peakRssMb(app.server.pid!);
  const create = f("create note (50 writers)");

  console.log(
    `\nTaiyaku bench — ${duration} s per page after a ${warmUpSeconds} s warm-up; ${userCount} users (signed up in ${signUpSeconds.toFixed(1)} s)\n`,
  );
  console.log(`${"page".padEnd(46)}  notes conns   req/s    p50 ms   p95 ms   p99 ms    bytes  non-2xx`);
  for (const [name, x] of Object.entries(figures)) {
    console.log(
      `${name.padEnd(46)} ${String(x.notes).padStart(6)} ${String(x.connections).padStart(5)} ${String(x.requestsPerSecond).padStart(7)} ${String(x.p50Ms).padStart(9)} ${String(x.p95Ms).padStart(8)} ${String(x.p99Ms).padStart(8)} ${String(x.bytesPerRequest).padStart(8)} ${String(x.non2xx).padStart(8)}`,
    );
  }
  console.log(
    `\nnote creation: ${writers} writers × ${writesPerSecondPerWriter}/s, ${create.requests} requests measured, ${created} notes created (warm-up and late answers included), ${create.non2xx} non-2xx ${JSON.stringify(create.statusCodes)}`,
  );
  for (const [level, p] of Object.entries(pages)) {
    console.log(
      `page at ${level}: ${p.signedOut.bytes} B (${p.signedOut.marks} <mark> runs, inline RSC payload ${p.signedOut.flightBytes} B), the same for signed-in readers (${p.signedIn.bytes} B) plus a ${p.stateBytes} B reader state; SQL statements per request: ${p.queriesSignedOut} page signed out, ${p.queriesSignedIn} page signed in, ${p.queriesState} reader state`,
    );
  }
  console.log(`SQL statements per note creation: ${queriesPerCreate}; per signed-out empty notes list: ${queriesEmptyList}`);
  const annotationPage = f("annotation container page (50 annotations)");
  console.log(`W3C annotation container, a page of 50 annotations at ${annotationPage.connections} connections: ${annotationPage.requestsPerSecond} req/s, p50 ${annotationPage.p50Ms} ms, p95 ${annotationPage.p95Ms} ms, ${annotationPage.bytesPerRequest} B per page`);
  console.log(
    `library: ${library.articles + 1} articles, ${library.paragraphs} generated paragraphs, written in ${librarySeconds.toFixed(1)} s; list page ${listHtml.length} B (${listed} cards); SQL statements per search: ${queriesSearch}; results and ms per query alone: ${JSON.stringify(searchTotals)}`,
  );
  for (const [name, ratio] of Object.entries(writeRatios)) {
    console.log(`${name}: ${f(name).requestsPerSecond} req/s = ${ratio.toFixed(3)} × its baseline (18bfc6c: ${todayRatios[name as keyof typeof todayRatios]} × baseline)`);
  }
  const checks: { name: string; value: number; target: string; ok: boolean }[] = [];
  const check = (name: string, value: number, target: string, ok: boolean) => checks.push({ name, value: Math.round(value * 100) / 100, target, ok });
  for (const [name, ratio] of Object.entries(ratios)) check(`${name} / baseline (req/s)`, ratio, `≥ ${targets.readerRatio}`, ratio >= targets.readerRatio);
  for (const notes of ["", " (2,000 notes)", " (10,000 notes)"]) {
    for (const what of ["reader en, signed in", "reader state, signed in"]) {
      const p99 = f(`${what}${notes}`).p99Ms;
      check(`${what}${notes}: p99 ms`, p99, `< ${targets.signedInP99Ms}`, p99 < targets.signedInP99Ms);
    }
  }
  check("list page / its baseline (req/s)", listRatio, `≥ ${targets.listRatio}`, listRatio >= targets.listRatio);
  const search = f("search (GET /api/articles, query mix)");
  check("search, query mix: p95 ms", search.p95Ms, `< ${targets.searchP95Ms}`, search.p95Ms < targets.searchP95Ms);
  const memberP99 = f("reader state, group member (+500 group notes)").p99Ms;
  check("reader state, group member: p99 ms", memberP99, `< ${targets.signedInP99Ms}`, memberP99 < targets.signedInP99Ms);
  const pacedCreate = f("create note (50 writers × 1/s)");
  check("create note, 50 writers × 1/s: p95 ms", pacedCreate.p95Ms, `< ${targets.createP95Ms}`, pacedCreate.p95Ms < targets.createP95Ms);
  check("create note, 50 writers × 1/s: non-2xx", pacedCreate.non2xx, "= 0", pacedCreate.non2xx === 0);
  check(`create note, 50 writers × ${writesPerSecondPerWriter}/s: non-2xx`, create.non2xx, "= 0", create.non2xx === 0);
  for (const [who, s] of Object.entries(scaling)) {
    check(`${who} 10,000 vs 10 notes: p50 ×`, s.p50, `≤ ${targets.manyNotesFactor}`, s.p50 <= targets.manyNotesFactor);
    check(`${who} 10,000 vs 10 notes: req/s ÷`, s.requestsPerSecond, `≤ ${targets.manyNotesFactor}`, s.requestsPerSecond <= targets.manyNotesFactor);
  }
  const member = f("reader state, group member (+500 group notes)");
  const plain = f("reader state, signed in (2,000 notes)");
  console.log(
    `group member's reader state vs a non-member's: p50 ×${(member.p50Ms / plain.p50Ms).toFixed(2)}, req/s ÷${(plain.requestsPerSecond / member.requestsPerSecond).toFixed(2)}`,
  );
  check("SQL statements per note creation", queriesPerCreate, `≤ ${targets.statementsPerCreate}`, queriesPerCreate <= targets.statementsPerCreate);
  for (const [name, ratio] of Object.entries(writeRatios)) {
    const goal = targets.speedUpOverToday * todayRatios[name as keyof typeof todayRatios];
    check(`${name} / baseline (req/s)`, ratio, `≥ ${goal.toFixed(3)}, ${targets.speedUpOverToday} × 18bfc6c`, ratio >= goal);
  }
  check("create note, 10 connections: non-2xx", f("create note (10 connections)").non2xx, "= 0", f("create note (10 connections)").non2xx === 0);
  check("server peak RSS MB", rss, `≤ ${targets.peakRssMb}`, rss <= targets.peakRssMb);
  for (const page of budgets?.js ?? []) check(`${page.route}: first-load JS, gzip KB`, page.gzipBytes / 1000, `≤ ${page.budgetBytes / 1000}`, page.ok);
  // The framework floor (a bare App Router page, scripts/bench-budgets.ts) is reported, not budgeted.
  if (budgets?.floor) console.log(`framework floor: ${(budgets.floor.gzipBytes / 1000).toFixed(1)} KB gzip first-load JS (${budgets.floor.versions}); routes are floor + app share`);
  for (const page of budgets?.lighthouse ?? []) {
    const lh = budgets!.targets.lighthouse;
    check(`${page.route}: Lighthouse performance`, page.scores.performance!, `≥ ${lh.performance}`, page.scores.performance! >= lh.performance);
    for (const category of ["accessibility", "best-practices", "seo"] as const) {
      check(`${page.route}: Lighthouse ${category}`, page.scores[category]!, `= ${lh[category]}`, page.scores[category]! >= lh[category]);
    }
    check(`${page.route}: CLS`, page.cls, `= ${lh.cls}`, page.cls <= lh.cls);
  }
  const pass = (ok: boolean) => (ok ? "ok" : "BELOW TARGET");
  for (const c of checks) console.log(`${c.name}: ${c.value} (target ${c.target}) ${pass(c.ok)}`);
  const totalSeconds = Math.round((Date.now() - startedAt) / 1000);
  // Latency targets are absolute: they only mean something on an otherwise idle machine.
  const load = { cpuBusyPercentBefore: busyBefore, loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadavg()[0]!, cpus: availableParallelism() };
  console.log(
    `\nbench took ${totalSeconds} s on ${load.cpus} CPUs; ${busyBefore} % CPU busy before it started; 1-min load average ${loadAtStart.toFixed(1)} at start, ${load.loadAverageAtEnd.toFixed(1)} at end`,
  );
  if (busyBefore > 25) console.log("warning: something else was using the CPUs when the bench started; absolute figures are pessimistic");

  await mkdir(path.join(root, "bench", "results"), { recursive: true });
  const out = path.join(root, "bench", "results", "latest.json");
  await writeFile(
    out,
    JSON.stringify(
      {
        measuredAt: new Date().toISOString(),
        connections,
        durationSeconds: duration,
        warmUpSeconds,
        users: userCount,
        signUpSeconds,
        seedSeconds,
        library: { articles: library.articles + 1, paragraphs: library.paragraphs, seconds: librarySeconds, listBytes: listHtml.length, queriesSearch, searchTotals, listRatio },
        pages,
        queriesPerCreate,
        queriesEmptyList,
        figures,
        ratios,
        writeRatios,
        todayRatios,
        scaling,
        create: { writers, writesPerSecondPerWriter, requests: create.requests, created, non2xx: create.non2xx, statusCodes: create.statusCodes },
        peakRssMb: rss,
        targets,
        checks,
        totalSeconds,
        load,
      },
      null,
      2,
    ),
  );
  console.log(`written to ${path.relative(root, out)}`);

  // Live updates (scripts/bench-live.ts): note → 50 SSE subscribers latency, memory per stream.
  await runLiveBench(base, app.server.pid!);
  // Export (scripts/bench-export.ts): one reader's 10,000 notes in every format, time and RSS.
  await runExportBench(base, app.server.pid!, app.databaseUrl);
} finally {
  await prisma?.$disconnect().catch(() => {});
  await db?.end().catch(() => {});
  await app.stop();
  await counter?.close();
  await rm(workDir, { recursive: true, force: true });
}

// Several instances behind nginx (scripts/bench-cluster.ts, docs/scaling.md): once the server
// above is gone, so the clusters have the machine to themselves. BENCH_CLUSTER=0 skips it.
if (process.env.BENCH_CLUSTER !== "0") await runClusterBench();

function commentBody(paragraph: BenchParagraph, idempotencyKey: string) {
  return { paragraphId: paragraph.id, locale: "en", kind: "comment", visibility: "public", body: "A comment from the bench.", idempotencyKey };
}

function annotationBody(paragraph: BenchParagraph, idempotencyKey: string, n: number) {
  let seed = n;
  const random = () => ((seed = (seed * 16807) % 2147483647) % 1000) / 1000;
  const range = randomRange(paragraph.text.ja, random);
  return {
    paragraphId: paragraph.id,
    locale: "ja",
    kind: "annotation",
    visibility: "public",
    body: "An annotation from the bench.",
    tag: "vocabulary",
    range: { start: range.start, end: range.end, exact: range.exact },
    idempotencyKey,
  };
}

