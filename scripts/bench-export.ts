// Export benchmark (ADR 0030): GET /api/export of one reader's 10,000 notes in every format —
// time to the first byte and to the last, size, and the server's resident memory while it
// streams (sampled every 20 ms: the peak during the export and its rise over the RSS before it;
// a buffering export would grow with the file, a streamed one stays flat). Run alone (`npx tsx
// --conditions=react-server scripts/bench-export.ts`: its own throwaway app) or from
// `npm run bench` (runExportBench on the bench's server). Writes bench/results/export-latest.json.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { insertNotes, loadParagraphs, signUpUsers } from "./lib/bench-notes";
import { treeMemoryKb } from "./lib/process-memory";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const slug = "japan-patriot-missile-export";
export const EXPORT_NOTES = Number(process.env.BENCH_EXPORT_NOTES ?? 10_000);
/** Targets: 10,000 notes in under 10 s in any format, and at most 64 MB more RSS while streaming. */
export const exportTargets = { seconds: 10, rssRiseMb: 64 };

type ExportFigure = { format: string; notes: number; firstByteMs: number; totalMs: number; bytes: number; notesPerSecond: number; rssBeforeMb: number; peakRssMb: number; rssRiseMb: number };

async function measureExport(base: string, pid: number, cookie: string, format: string): Promise<ExportFigure> {
  const rssBefore = treeMemoryKb(pid, "VmRSS");
  let peak = rssBefore;
  const sampler = setInterval(() => {
    peak = Math.max(peak, treeMemoryKb(pid, "VmRSS"));
  }, 20);
  const started = performance.now();
  let firstByte = 0;
  let bytes = 0;
  try {
    const response = await fetch(`${base}/api/export?format=${format}&article=all&scope=mine`, { headers: { cookie, "x-ui-locale": "en" } });
    if (response.status !== 200) throw new Error(`export ${format}: ${response.status} ${await response.text()}`);
    const notes = Number(response.headers.get("x-export-total"));
    const reader = response.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!firstByte) firstByte = performance.now() - started;
      bytes += value.byteLength;
    }
    const totalMs = performance.now() - started;
    peak = Math.max(peak, treeMemoryKb(pid, "VmRSS"));
    return {
      format,
      notes,
      firstByteMs: Math.round(firstByte),
      totalMs: Math.round(totalMs),
      bytes,
      notesPerSecond: Math.round(notes / (totalMs / 1000)),
      rssBeforeMb: Math.round(rssBefore / 102.4) / 10,
      peakRssMb: Math.round(peak / 102.4) / 10,
      rssRiseMb: Math.round((peak - rssBefore) / 102.4) / 10,
    };
  } finally {
    clearInterval(sampler);
  }
}

export async function runExportBench(base: string, pid: number, databaseUrl: string, log: (line: string) => void = console.log) {
  const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  try {
    // One reader with EXPORT_NOTES notes of their own (comments, annotations, replies), beside
    // whatever else the database holds.
    const [reader] = await signUpUsers(1);
    const { articleId, paragraphs } = await loadParagraphs(db, slug);
    await insertNotes(db, { articleId, paragraphs, users: [reader!], count: EXPORT_NOTES, seed: 1313 });
    const figures: ExportFigure[] = [];
    // Warm-up: the route's first compile/caches are not what is measured.
    await measureExport(base, pid, reader!.cookie, "csv");
    for (const format of ["csv", "jsonld", "markdown", "readwise"]) figures.push(await measureExport(base, pid, reader!.cookie, format));

    const pass = (ok: boolean) => (ok ? "ok" : "ABOVE TARGET");
    log(`\nExport — one reader's ${EXPORT_NOTES.toLocaleString("en")} notes, article=all, streamed`);
    log(`${"format".padEnd(10)} ${"notes".padStart(7)} ${"first byte".padStart(11)} ${"total".padStart(9)} ${"notes/s".padStart(8)} ${"bytes".padStart(11)} ${"RSS before".padStart(11)} ${"peak RSS".padStart(9)} ${"rise".padStart(7)}`);
    for (const f of figures) {
      log(
        `${f.format.padEnd(10)} ${String(f.notes).padStart(7)} ${`${f.firstByteMs} ms`.padStart(11)} ${`${f.totalMs} ms`.padStart(9)} ${String(f.notesPerSecond).padStart(8)} ${String(f.bytes).padStart(11)} ${`${f.rssBeforeMb} MB`.padStart(11)} ${`${f.peakRssMb} MB`.padStart(9)} ${`${f.rssRiseMb} MB`.padStart(7)} ${pass(f.totalMs <= exportTargets.seconds * 1000 && f.rssRiseMb <= exportTargets.rssRiseMb)}`,
      );
    }
    const result = { measuredAt: new Date().toISOString(), notes: EXPORT_NOTES, figures, targets: exportTargets };
    await mkdir(path.join(root, "bench", "results"), { recursive: true });
    const out = path.join(root, "bench", "results", "export-latest.json");
    await writeFile(out, JSON.stringify(result, null, 2));
    log(`  written to ${path.relative(root, out)}`);
    return result;
  } finally {
    await db.end().catch(() => {});
  }
}

// Run alone: its own throwaway app.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!process.env.BETTER_AUTH_SECRET || process.env.BETTER_AUTH_SECRET.length < 32) process.env.BETTER_AUTH_SECRET = "taiyaku-bench-only-secret-0123456789abcdef";
  const { BENCH_SERVER_ENV, startThrowawayApp, waitForHealthy } = await import("./lib/throwaway-app");
  const port = Number(process.env.BENCH_PORT ?? 3300);
  const app = await startThrowawayApp({ port, stdio: "ignore", env: { NODE_ENV: "production", ...BENCH_SERVER_ENV } });
  try {
    await waitForHealthy(app.base);
    process.env.DATABASE_URL = app.databaseUrl;
    await runExportBench(app.base, app.server.pid!, app.databaseUrl);
  } finally {
    const { getPrisma } = await import("../lib/db/prisma");
    await getPrisma().$disconnect().catch(() => {});
    await app.stop();
  }
}
