// Page-weight and Lighthouse budgets (issue 15, "A lighter, faster reader"), on the production
// build:
//   1. First-load JavaScript per route as a modern browser loads it: Chromium (playwright-core,
//      Debian's /usr/bin/chromium) opens each page in a fresh context (empty cache), and every
//      script it fetches until the page has hydrated and the network is idle is counted, gzipped
//      here (zlib's default level, what `next start` sends). noModule polyfills are not fetched
//      by a modern browser and are left out (listed in the result if the HTML has any). Inline
//      scripts (the RSC payload) are reported beside, not budgeted.
//      Budgets: reader ≤ 150 KB, the article list and account pages ≤ 130 KB (1 KB = 1,000 B).
//      Beside them, in the same run, the framework floor: a bare App Router app (one layout, one
//      page, no client component; built once per Next/React version in .next-bench-floor/, which
//      git and the tools ignore like every .next-* folder) measured the same way. Every route is
//      reported as floor + app share: the floor is what Next and React load on any page.
//   2. What those scripts are made of (scripts/lib/bench-chunks.ts: a source-map-free estimate).
//   3. Lighthouse (mobile defaults: simulated throttling, Moto G-class emulation) on the reader in
//      both locales and both text modes, and the furigana reader (ruby must not shift the page),
//      BENCH_LIGHTHOUSE_RUNS times each (median by performance score): targets performance ≥ 95,
//      accessibility, best practices and SEO 100, CLS 0. The 1-minute load average is recorded
//      with each page: on a busy machine performance reads low (page weight does not).
// Run alone (`npx tsx --conditions=react-server scripts/bench-budgets.ts`: its own throwaway app,
// BENCH_PORT, default 3500, with SITE_URL set to its own address as production would have it) or from `npm run bench` (runBudgetsBench on the bench's server;
// BENCH_BUDGETS=0 skips it). Writes bench/results/budgets-latest.json and, per Lighthouse route,
// bench/results/lighthouse/<route>.json (the median run's full report).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { chromium, type Browser } from "playwright-core";
import { clientModulePaths, splitChunk } from "./lib/bench-chunks";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const slug = "japan-patriot-missile-export";
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const lighthouseRuns = Number(process.env.BENCH_LIGHTHOUSE_RUNS ?? 3);
/** Issue 15. KB = 1,000 bytes of gzipped JavaScript. */
export const budgetTargets = {
  readerKb: 150,
  listKb: 130,
  accountKb: 130,
  lighthouse: { performance: 95, accessibility: 100, "best-practices": 100, seo: 100, cls: 0 },
};

type Kind = "reader" | "list" | "account";
type Route = { name: string; path: string; kind: Kind; signedIn?: boolean };

export const BUDGET_ROUTES: Route[] = [
  { name: "reader en", path: `/en/articles/${slug}`, kind: "reader" },
  { name: "reader ja", path: `/ja/articles/${slug}`, kind: "reader" },
  { name: "reader en, both", path: `/en/articles/${slug}?text=both`, kind: "reader" },
  { name: "reader ja, both", path: `/ja/articles/${slug}?text=both`, kind: "reader" },
  { name: "reader ja, furigana", path: `/ja/articles/${slug}?furigana=1`, kind: "reader" },
  { name: "reader en, both, furigana", path: `/en/articles/${slug}?text=both&furigana=1`, kind: "reader" },
  { name: "reader en, signed in", path: `/en/articles/${slug}`, kind: "reader", signedIn: true },
  { name: "list en", path: "/en", kind: "list" },
  { name: "list ja", path: "/ja", kind: "list" },
  { name: "profile en, signed in", path: "/en/profile", kind: "account", signedIn: true },
  { name: "notifications en, signed in", path: "/en/notifications", kind: "account", signedIn: true },
  { name: "vocabulary en, signed in", path: "/en/vocabulary", kind: "account", signedIn: true },
];

/**
 * The reader in both locales and both text modes (the locale's own text, and side by side), and
 * the Japanese reader with furigana: its ruby line height is reserved so CLS stays 0.
 */
export const LIGHTHOUSE_ROUTES: Route[] = BUDGET_ROUTES.filter(
  (r) => r.kind === "reader" && !r.signedIn && (!r.path.includes("furigana") || r.path.endsWith("?furigana=1")),
);

type Script = { url: string; bytes: number; gzipBytes: number };
type Owner = { owner: string; bytes: number; gzipBytes: number };
export type JsFigure = {
  route: string;
  path: string;
  status: number;
  finalPath: string;
  hydrated: boolean;
  scripts: number;
  bytes: number;
  gzipBytes: number;
  budgetBytes: number;
  ok: boolean;
  /** gzipBytes minus the framework floor's (null when the floor could not be measured). */
  appShareGzipBytes: number | null;
  inlineScriptGzipBytes: number;
  noModuleExcluded: string[];
  owners: Owner[];
  files: Script[];
};

function budgetFor(kind: Kind): number {
  return (kind === "reader" ? budgetTargets.readerKb : kind === "list" ? budgetTargets.listKb : budgetTargets.accountKb) * 1000;
}

function cookiesFor(base: string, cookie: string) {
  return cookie
    .split(/;\s*/)
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf("=");
      return { name: pair.slice(0, at), value: pair.slice(at + 1), url: base };
    });
}

const kb = (bytes: number) => (bytes / 1000).toFixed(1);

async function measureJs(
  browser: Browser,
  base: string,
  route: Route,
  cookie: string | undefined,
  modulePaths: Map<number, string>,
  opts: { hydrationMarker?: boolean } = {},
): Promise<JsFigure> {
  const context = await browser.newContext({ serviceWorkers: "block" });
  // A signed-in browser also holds the readable hint cookie the sign-in routes set (lib/session-cookie.ts):
  // without it the page behaves as signed out and loads none of a signed-in reader's code.
  if (route.signedIn && cookie) await context.addCookies(cookiesFor(base, cookie.includes("taiyaku.signed_in=") ? cookie : `${cookie}; taiyaku.signed_in=1`));
  const page = await context.newPage();
  const scriptUrls = new Set<string>();
  page.on("request", (request) => {
    if (request.resourceType() === "script") scriptUrls.add(request.url());
  });
  try {
    const response = await page.goto(base + route.path, { waitUntil: "load", timeout: 60_000 });
    // Hydration (components/hydration-marker.tsx) loads whatever the page imports on mount. The
    // framework floor has no such marker: there the network going idle is the end.
    const hydrated =
      opts.hydrationMarker === false ||
      (await page
        .waitForFunction(() => document.documentElement.hasAttribute("data-hydrated"), null, { timeout: 20_000 })
        .then(() => true, () => false));
    await page.waitForLoadState("networkidle", { timeout: 20_000 }).catch(() => {});
    await page.waitForTimeout(500);
    const html = await (await fetch(base + route.path, { headers: route.signedIn && cookie ? { cookie } : {} })).text();
    const noModule = [...html.matchAll(/<script\b[^>]*\bnomodule\b[^>]*>/gi)].map((m) => m[0].match(/\bsrc="([^"]+)"/)?.[1]).filter((s): s is string => !!s);
    let inline = "";
    for (const match of html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)) inline += match[1];
    const files: Script[] = [];
    const owners = new Map<string, Owner>();
    for (const url of scriptUrls) {
      if (noModule.some((src) => url.endsWith(src))) continue;
      const body = Buffer.from(await (await fetch(url)).arrayBuffer());
      const gzipBytes = gzipSync(body).length;
      files.push({ url: url.replace(base, ""), bytes: body.length, gzipBytes });
      // Each module's share of its chunk's gzipped size, by raw bytes.
      for (const part of splitChunk(body.toString("utf8"), modulePaths)) {
        const owner = owners.get(part.owner) ?? { owner: part.owner, bytes: 0, gzipBytes: 0 };
        owner.bytes += part.bytes;
        owner.gzipBytes += (part.bytes / Math.max(1, body.length)) * gzipBytes;
        owners.set(part.owner, owner);
      }
    }
    files.sort((a, b) => b.gzipBytes - a.gzipBytes);
    const gzipBytes = files.reduce((sum, f) => sum + f.gzipBytes, 0);
    const budgetBytes = budgetFor(route.kind);
    return {
      route: route.name,
      path: route.path,
      status: response?.status() ?? 0,
      finalPath: page.url().replace(base, ""),
      hydrated,
      scripts: files.length,
      bytes: files.reduce((sum, f) => sum + f.bytes, 0),
      gzipBytes,
      budgetBytes,
      ok: gzipBytes <= budgetBytes,
      appShareGzipBytes: null,
      inlineScriptGzipBytes: inline ? gzipSync(inline).length : 0,
      noModuleExcluded: noModule,
      owners: [...owners.values()].map((o) => ({ ...o, gzipBytes: Math.round(o.gzipBytes) })).sort((a, b) => b.gzipBytes - a.gzipBytes),
      files,
    };
  } finally {
    await context.close();
  }
}

const floorDir = path.join(root, ".next-bench-floor");
const nextBin = path.join(root, "node_modules/next/dist/bin/next");
const FLOOR_FILES: Record<string, string> = {
  "package.json": `${JSON.stringify({ private: true, type: "module" })}\n`,
  // node_modules is the repository's (resolved upwards), so Turbopack's root must contain it.
  "next.config.mjs": `export default { poweredByHeader: false, turbopack: { root: ${JSON.stringify(root)} }, outputFileTracingRoot: ${JSON.stringify(root)} };\n`,
  "app/layout.js": `export default function RootLayout({ children }) {\n  return <html lang="en"><body>{children}</body></html>;\n}\n`,
  "app/page.js": `export default function Page() {\n  return <main><h1>Floor</h1><a href="/x">x</a></main>;\n}\n`,
};

const versionOf = (pkg: string) => (JSON.parse(readFileSync(path.join(root, "node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(" ")} exited with ${code}: ${stderr}`))));
  });
}

/**
 * The framework floor: a bare App Router app (one layout, one page, no client component) on the
 * same Next and React as the app, measured exactly as the routes are. Built once per version set.
 */
async function measureFloor(browser: Browser, log: (line: string) => void): Promise<JsFigure & { versions: string }> {
  const versions = `next ${versionOf("next")}, react ${versionOf("react")}, react-dom ${versionOf("react-dom")}`;
  for (const [file, text] of Object.entries(FLOOR_FILES)) {
    await mkdir(path.dirname(path.join(floorDir, file)), { recursive: true });
    await writeFile(path.join(floorDir, file), text);
  }
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" };
  // The app's own settings must not leak into the bare app (its build folder above all).
  for (const key of ["NEXT_DIST_DIR", "NEXT_OUTPUT", "NODE_OPTIONS", "__NEXT_PRIVATE_STANDALONE_CONFIG"]) delete env[key];
  const stamp = path.join(floorDir, ".next", "bench-floor-versions");
  const built = existsSync(path.join(floorDir, ".next", "BUILD_ID")) && (await readFile(stamp, "utf8").catch(() => "")) === versions;
  if (!built) {
    log(`Building the framework floor (${versions}) in ${path.relative(root, floorDir)}/ …`);
    await run([nextBin, "build"], floorDir, env);
    await writeFile(stamp, versions);
  }
  const port = await freePort();
  const server = spawn(process.execPath, [nextBin, "start", "-p", String(port), "-H", "127.0.0.1"], { cwd: floorDir, env, stdio: "ignore" });
  const base = `http://127.0.0.1:${port}`;
  try {
    const deadline = Date.now() + 60_000;
    while (!(await fetch(`${base}/`).then((r) => r.ok, () => false))) {
      if (Date.now() > deadline || server.exitCode !== null) throw new Error(`framework floor: ${base} did not start`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const route: Route = { name: "framework floor", path: "/", kind: "list" };
    const figure = await measureJs(browser, base, route, undefined, clientModulePaths(path.join(floorDir, ".next")), { hydrationMarker: false });
    return { ...figure, versions };
  } finally {
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server.once("exit", resolve));
      server.kill("SIGTERM");
      await exited;
    }
  }
}

type AuditSummary = { id: string; title: string; score: number | null; displayValue?: string; items: string[] };
export type LighthouseFigure = {
  route: string;
  path: string;
  runs: number;
  performanceRuns: number[];
  scores: Record<string, number>;
  /** The largest layout shift of all runs (a shift that happens one time in three still counts). */
  cls: number;
  clsRuns: number[];
  /** The worst run's shifted nodes ("selector score"); its full report is clsReport. */
  clsShifts: string[];
  clsReport?: string;
  tbtMs: number;
  lcpMs: number;
  fcpMs: number;
  speedIndexMs: number;
  benchmarkIndex: number;
  loadAverage: number;
  failing: Record<string, AuditSummary[]>;
  ok: boolean;
  report: string;
};

/** Chromium with a DevTools port for Lighthouse (which drives it over CDP). */
async function startDebuggableChromium(port: number): Promise<{ stop(): Promise<void> }> {
  const profile = await mkdtemp(path.join(tmpdir(), "taiyaku-lighthouse-"));
  const child: ChildProcess = spawn(
    chromiumPath,
    ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check", `--remote-debugging-port=${port}`, `--user-data-dir=${profile}`, "about:blank"],
    { stdio: "ignore" },
  );
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (await fetch(`http://127.0.0.1:${port}/json/version`).then((r) => r.ok, () => false)) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Audits that cost points in a category (weighted, scored below 1), with a few offending nodes. */
function failingAudits(lhr: import("lighthouse").Result, category: string): AuditSummary[] {
  const refs = lhr.categories[category]?.auditRefs ?? [];
  const out: AuditSummary[] = [];
  for (const ref of refs) {
    const audit = lhr.audits[ref.id];
    if (!audit || audit.score === null || audit.score >= 1) continue;
    if (ref.weight === 0 && category !== "performance") continue;
    if (category === "performance" && ref.weight === 0 && audit.scoreDisplayMode !== "metricSavings") continue;
    const details = audit.details as { items?: Record<string, unknown>[] } | undefined;
    const items = (details?.items ?? []).slice(0, 5).map((item) => {
      const node = item.node as { selector?: string; snippet?: string } | undefined;
      if (node?.selector) return `${node.selector} ${node.snippet ?? ""}`.trim().slice(0, 200);
      if (typeof item.url === "string") return `${item.url}${item.wastedBytes ? ` (${Math.round(Number(item.wastedBytes) / 1000)} KB wasted)` : ""}${item.total ? ` (${Math.round(Number(item.total))} ms)` : ""}`;
      if (typeof item.description === "string") return item.description.slice(0, 200);
      return JSON.stringify(item).slice(0, 200);
    });
    out.push({ id: ref.id, title: audit.title, score: audit.score, displayValue: audit.displayValue, items });
  }
  return out;
}

async function runLighthouse(base: string, route: Route, port: number, outDir: string): Promise<LighthouseFigure> {
  const { default: lighthouse } = await import("lighthouse");
  const categories = ["performance", "accessibility", "best-practices", "seo"];
  const runs: { lhr: import("lighthouse").Result; report: string }[] = [];
  const loads: number[] = [];
  for (let i = 0; i < lighthouseRuns; i++) {
    loads.push(loadavg()[0]!);
    const result = await lighthouse(base + route.path, { port, output: "json", logLevel: "error", onlyCategories: categories });
    if (!result) throw new Error(`lighthouse ${route.path}: no result`);
    if (result.lhr.runtimeError) throw new Error(`lighthouse ${route.path}: ${result.lhr.runtimeError.code} ${result.lhr.runtimeError.message}`);
    runs.push({ lhr: result.lhr, report: result.report as string });
  }
  const perf = (r: (typeof runs)[number]) => r.lhr.categories.performance?.score ?? 0;
  const sorted = [...runs].sort((a, b) => perf(a) - perf(b));
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  const lhr = median.lhr;
  const file = path.join(outDir, `${route.name.replace(/[^a-z0-9]+/gi, "-")}.json`);
  await writeFile(file, median.report);
  const scores = Object.fromEntries(categories.map((c) => [c, Math.round((lhr.categories[c]?.score ?? 0) * 100)]));
  const numeric = (id: string) => lhr.audits[id]?.numericValue ?? Number.NaN;
  const clsRuns = runs.map((r) => Math.round((r.lhr.audits["cumulative-layout-shift"]?.numericValue ?? Number.NaN) * 1000) / 1000);
  const cls = Math.max(...clsRuns);
  // A shift seen in any run is worth its own report: which nodes moved, and why.
  const shifted = runs[clsRuns.indexOf(cls)]!;
  let clsReport: string | undefined;
  if (cls > 0) {
    clsReport = path.join(outDir, `${route.name.replace(/[^a-z0-9]+/gi, "-")}-cls.json`);
    await writeFile(clsReport, shifted.report);
  }
  const shiftItems = ((shifted.lhr.audits["layout-shifts"]?.details as { items?: Record<string, unknown>[] } | undefined)?.items ?? []).map((item) => {
    const node = item.node as { selector?: string } | undefined;
    return `${node?.selector ?? "?"} ${Number(item.score ?? 0).toFixed(3)}`;
  });
  const t = budgetTargets.lighthouse;
  return {
    route: route.name,
    path: route.path,
    runs: runs.length,
    performanceRuns: runs.map((r) => Math.round(perf(r) * 100)),
    scores,
    cls,
    clsRuns,
    clsShifts: shiftItems,
    ...(clsReport ? { clsReport: path.relative(root, clsReport) } : {}),
    tbtMs: Math.round(numeric("total-blocking-time")),
    lcpMs: Math.round(numeric("largest-contentful-paint")),
    fcpMs: Math.round(numeric("first-contentful-paint")),
    speedIndexMs: Math.round(numeric("speed-index")),
    benchmarkIndex: Math.round(lhr.environment.benchmarkIndex),
    loadAverage: Math.round((loads.reduce((a, b) => a + b, 0) / loads.length) * 10) / 10,
    failing: Object.fromEntries(categories.map((c) => [c, failingAudits(lhr, c)])),
    ok: scores.performance! >= t.performance && scores.accessibility! >= t.accessibility && scores["best-practices"]! >= t["best-practices"] && scores.seo! >= t.seo && cls <= t.cls,
    report: path.relative(root, file),
  };
}

/**
 * Measures every route on the server at `base`; `cookie` is a signed-in reader's session (for
 * the account pages). `distDir` is the build the server runs (for naming client modules).
 */
export async function runBudgetsBench(base: string, opts: { cookie?: string; distDir?: string; lighthousePort?: number; log?: (line: string) => void } = {}) {
  const log = opts.log ?? console.log;
  const distDir = path.join(root, opts.distDir ?? (process.env.NEXT_DIST_DIR || ".next"));
  const modulePaths = clientModulePaths(distDir);
  const outDir = path.join(root, "bench", "results");
  const lighthouseDir = path.join(outDir, "lighthouse");
  await mkdir(lighthouseDir, { recursive: true });

  // Warm the cached pages (ISR's first render is not what a visitor sees afterwards).
  for (const route of BUDGET_ROUTES) {
    for (let i = 0; i < 2; i++) await (await fetch(base + route.path, { headers: route.signedIn && opts.cookie ? { cookie: opts.cookie } : {} })).arrayBuffer();
  }

  const browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] });
  const js: JsFigure[] = [];
  let floor: (JsFigure & { versions: string }) | null = null;
  try {
    for (const route of BUDGET_ROUTES) {
      if (route.signedIn && !opts.cookie) continue;
      js.push(await measureJs(browser, base, route, opts.cookie, modulePaths));
    }
    if (process.env.BENCH_FLOOR !== "0") {
      // A failed floor must not cost the budgets themselves: reported, and the share left out.
      floor = await measureFloor(browser, log).catch((error: unknown) => {
        log(`framework floor not measured: ${error instanceof Error ? error.message : String(error)}`);
        return null;
      });
    }
  } finally {
    await browser.close();
  }
  if (floor) for (const f of js) f.appShareGzipBytes = f.gzipBytes - floor.gzipBytes;

  log(`\nFirst-load JavaScript (gzipped, as Chromium loads it; KB = 1,000 B) — budgets: reader ≤ ${budgetTargets.readerKb} KB, list and account pages ≤ ${budgetTargets.listKb} KB`);
  if (floor) {
    log(
      `Framework floor (a bare App Router page, no client component; ${floor.versions}): ${kb(floor.gzipBytes)} KB in ${floor.scripts} scripts. Each route = floor + app share.`,
    );
  }
  log(
    `${"route".padEnd(30)} ${"status".padStart(6)} ${"scripts".padStart(7)} ${"raw KB".padStart(8)} ${"gzip KB".padStart(8)} ${"floor".padStart(6)} ${"+ app".padStart(6)} ${"budget".padStart(7)} ${"inline RSC".padStart(10)}  result`,
  );
  for (const f of js) {
    const note = f.finalPath !== f.path ? ` (ended at ${f.finalPath})` : !f.hydrated ? " (no hydration marker)" : "";
    const share = f.appShareGzipBytes === null ? "–" : kb(f.appShareGzipBytes);
    log(
      `${f.route.padEnd(30)} ${String(f.status).padStart(6)} ${String(f.scripts).padStart(7)} ${kb(f.bytes).padStart(8)} ${kb(f.gzipBytes).padStart(8)} ${(floor ? kb(floor.gzipBytes) : "–").padStart(6)} ${share.padStart(6)} ${kb(f.budgetBytes).padStart(7)} ${kb(f.inlineScriptGzipBytes).padStart(10)}  ${f.ok ? "ok" : "OVER BUDGET"}${note}`,
    );
  }
  log("\nLargest parts (estimate, gzip KB) per route:");
  for (const f of js) log(`  ${f.route}: ${f.owners.slice(0, 6).map((o) => `${o.owner} ${kb(o.gzipBytes)}`).join(", ")}`);

  const lighthouse: LighthouseFigure[] = [];
  if (lighthouseRuns > 0) {
    const port = opts.lighthousePort ?? Number(process.env.BENCH_LIGHTHOUSE_PORT ?? 3505);
    const chrome = await startDebuggableChromium(port);
    try {
      for (const route of LIGHTHOUSE_ROUTES) lighthouse.push(await runLighthouse(base, route, port, lighthouseDir));
    } finally {
      await chrome.stop();
    }
    const t = budgetTargets.lighthouse;
    log(
      `\nLighthouse (mobile defaults, median of ${lighthouseRuns} by performance) — targets: performance ≥ ${t.performance}, accessibility ${t.accessibility}, best practices ${t["best-practices"]}, SEO ${t.seo}, CLS ${t.cls}`,
    );
    log(`${"route".padEnd(22)} ${"perf".padStart(5)} ${"(runs)".padStart(12)} ${"a11y".padStart(5)} ${"b-p".padStart(5)} ${"seo".padStart(5)} ${"CLS max".padStart(7)} ${"TBT ms".padStart(7)} ${"LCP ms".padStart(7)} ${"load".padStart(5)}  result`);
    for (const l of lighthouse) {
      log(
        `${l.route.padEnd(22)} ${String(l.scores.performance).padStart(5)} ${l.performanceRuns.join("/").padStart(12)} ${String(l.scores.accessibility).padStart(5)} ${String(l.scores["best-practices"]).padStart(5)} ${String(l.scores.seo).padStart(5)} ${l.cls.toFixed(3).padStart(7)} ${String(l.tbtMs).padStart(7)} ${String(l.lcpMs).padStart(7)} ${l.loadAverage.toFixed(1).padStart(5)}  ${l.ok ? "ok" : "BELOW TARGET"}`,
      );
      for (const [category, audits] of Object.entries(l.failing)) {
        if (category === "performance" || !audits.length) continue;
        log(`    ${category}: ${audits.map((a) => a.id).join(", ")}`);
      }
      if (l.cls > 0) log(`    layout shift (runs ${l.clsRuns.join("/")}): ${l.clsShifts.join(", ") || "no node named"}; ${l.clsReport}`);
    }
  }

  const framework = floor && { versions: floor.versions, scripts: floor.scripts, bytes: floor.bytes, gzipBytes: floor.gzipBytes, files: floor.files, owners: floor.owners };
  const result = { measuredAt: new Date().toISOString(), base, distDir: path.relative(root, distDir), targets: budgetTargets, floor: framework, js, lighthouse };
  const out = path.join(outDir, "budgets-latest.json");
  await writeFile(out, JSON.stringify(result, null, 2));
  log(`  written to ${path.relative(root, out)}`);
  return result;
}

// Run alone: its own throwaway app (the production build in NEXT_DIST_DIR, default .next).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!process.env.BETTER_AUTH_SECRET || process.env.BETTER_AUTH_SECRET.length < 32) process.env.BETTER_AUTH_SECRET = "taiyaku-bench-only-secret-0123456789abcdef";
  const { BENCH_SERVER_ENV, startThrowawayApp, waitForHealthy } = await import("./lib/throwaway-app");
  const { signUpUsers } = await import("./lib/bench-notes");
  const port = Number(process.env.BENCH_PORT ?? 3500);
  // SITE_URL is the server's own address, as on a configured host: canonical and hreflang links
  // name the address Lighthouse visits (lib/site-url.ts falls back to localhost:PORT).
  const app = await startThrowawayApp({ port, stdio: "ignore", env: { NODE_ENV: "production", SITE_URL: `http://127.0.0.1:${port}`, ...BENCH_SERVER_ENV } });
  try {
    await waitForHealthy(app.base, 60_000);
    process.env.DATABASE_URL = app.databaseUrl;
    const [reader] = await signUpUsers(1);
    await runBudgetsBench(app.base, { cookie: reader!.cookie });
  } finally {
    const { getPrisma } = await import("../lib/db/prisma");
    await getPrisma().$disconnect().catch(() => {});
    await app.stop();
  }
}
