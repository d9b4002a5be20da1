import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { strFromU8, unzipSync } from "fflate";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import en from "@/messages/en.json";
import { deployMigrations } from "@/lib/db/migration-engine";
import { createPrismaClient } from "@/lib/db/prisma";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createTestDatabase } from "@/lib/testing/test-database";
import { seedContent } from "@/prisma/seed";
import { importArticles, readArticleSources } from "./mutations";

// Article folders are the import and export format (ADR 0006): the seed article exported, imported
// into a fresh database and exported again gives back exactly the files in content/, and the
// import (the seed's own) is idempotent and all-or-nothing per article.

vi.mock("next/cache", () => ({ unstable_cache: <T>(fn: T) => fn, revalidateTag: vi.fn() }));
process.env.LOG_LEVEL = process.env.DEBUG_LOG ?? "silent";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SLUG = "japan-patriot-missile-export";
const SEED_DIR = path.join(ROOT, "content", "articles", SLUG);
const globalForPrisma = globalThis as unknown as { taiyakuPrisma?: PrismaClient };

let seeded: Awaited<ReturnType<typeof createTestDatabase>>;
let fresh: Awaited<ReturnType<typeof createTestDatabase>>;
let freshPrisma: PrismaClient;
let work: string;
let exportRoute: typeof import("@/app/api/articles/[slug]/export/route");

/** GET /api/articles/{slug}/export against the database getPrisma() currently answers from. */
function exportFrom(db: "seeded" | "fresh", slug = SLUG): Promise<Response> {
  // getPrisma() keeps one client per process; the test points it at the database it means.
  globalForPrisma.taiyakuPrisma = db === "fresh" ? freshPrisma : seededPrisma;
  const request = new Request(`http://localhost/api/articles/${slug}/export`, { headers: { host: "localhost" } });
  return exportRoute.GET(request, { params: Promise.resolve({ slug }) });
}
let seededPrisma: PrismaClient;

const entries = (zip: Uint8Array) => unzipSync(zip);
const texts = (zip: Uint8Array) => Object.fromEntries(Object.entries(entries(zip)).map(([name, bytes]) => [name, strFromU8(bytes)]));

async function snapshot(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result: Record<string, unknown[]> = {};
    for (const table of ["article", "article_translation", "paragraph", "paragraph_text"]) {
      result[table] = (await client.query(`SELECT * FROM ${table} ORDER BY 1, 2`)).rows;
    }
    return result;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  [seeded, fresh] = await Promise.all([createTestDatabase("export_seeded"), createTestDatabase("export_fresh")]);
  await Promise.all([deployMigrations(seeded.url), deployMigrations(fresh.url)]);
  await seedContent(seeded.url);
  seededPrisma = createPrismaClient(seeded.url);
  freshPrisma = createPrismaClient(fresh.url);
  process.env.DATABASE_URL = seeded.url;
  exportRoute = await import("@/app/api/articles/[slug]/export/route");
  work = await mkdtemp(path.join(tmpdir(), "taiyaku-import-"));
}, 120_000);

afterAll(async () => {
  delete globalForPrisma.taiyakuPrisma;
  await Promise.all([seededPrisma?.$disconnect(), freshPrisma?.$disconnect()]);
  await Promise.all([seeded?.drop(), fresh?.drop()]);
  if (work) await rm(work, { recursive: true, force: true });
});

describe("article export and import", () => {
  it("exports a zip named after the article, holding exactly the seed's files", async () => {
    const response = await exportFrom("seeded");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="${SLUG}.zip"`);
    const zip = new Uint8Array(await response.arrayBuffer());
    const onDisk = (await readdir(SEED_DIR)).sort();
    expect(onDisk).toEqual(["en.md", "ja.md", "meta.json"]);
    expect(Object.keys(entries(zip)).sort()).toEqual(onDisk.map((name) => `${SLUG}/${name}`));
    for (const name of onDisk) {
      expect(Buffer.from(entries(zip)[`${SLUG}/${name}`]!).equals(await readFile(path.join(SEED_DIR, name)))).toBe(true);
    }
  });

  it("round-trips byte for byte: export → import into a fresh database → export", async () => {
    const first = new Uint8Array(await (await exportFrom("seeded")).arrayBuffer());
    const zipFile = path.join(work, `${SLUG}.zip`);
    await writeFile(zipFile, first);
    expect(await importArticles(freshPrisma, await readArticleSources(zipFile))).toEqual([{ name: SLUG, status: "created" }]);
    const second = new Uint8Array(await (await exportFrom("fresh")).arrayBuffer());
    expect(texts(second)).toEqual(texts(first));
    for (const [name, bytes] of Object.entries(entries(first))) expect(Buffer.from(entries(second)[name]!).equals(Buffer.from(bytes))).toBe(true);
    // The archive itself is deterministic too (fixed timestamps).
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
  });

  it("is idempotent: importing the zip or the seed folder again changes nothing and keeps every id", async () => {
    const before = await snapshot(fresh.url);
    expect((before.paragraph as unknown[]).length).toBe(21);
    const zipFile = path.join(work, `${SLUG}.zip`);
    expect(await importArticles(freshPrisma, await readArticleSources(zipFile))).toEqual([{ name: SLUG, status: "unchanged" }]);
    expect(await importArticles(freshPrisma, await readArticleSources(SEED_DIR))).toEqual([{ name: SLUG, status: "unchanged" }]);
    expect(await importArticles(freshPrisma, await readArticleSources(path.dirname(SEED_DIR)))).toEqual([{ name: SLUG, status: "unchanged" }]);
    expect(await snapshot(fresh.url)).toEqual(before);
  });

  it("refuses a misaligned article with its name and paragraph counts, writing nothing for it, and imports the others", async () => {
    const folder = path.join(work, "batch");
    const bad = path.join(folder, "misaligned-article");
    const good = path.join(folder, "another-article");
    await cp(SEED_DIR, bad, { recursive: true });
    await cp(SEED_DIR, good, { recursive: true });
    for (const [dir, slug] of [[bad, "misaligned-article"], [good, "another-article"]] as const) {
      const meta = await readFile(path.join(dir, "meta.json"), "utf8");
      await writeFile(path.join(dir, "meta.json"), meta.replace(`"slug": "${SLUG}"`, `"slug": "${slug}"`));
    }
    const ja = await readFile(path.join(bad, "ja.md"), "utf8");
    await writeFile(path.join(bad, "ja.md"), ja.trimEnd().split("\n\n").slice(0, -1).join("\n\n") + "\n");

    const results = await importArticles(freshPrisma, await readArticleSources(folder));
    expect(results).toEqual([
      { name: "another-article", status: "created" },
      { name: "misaligned-article", status: "refused", reason: "misaligned-article: Paragraph counts differ between languages (en: 21, ja: 20)." },
    ]);
    const slugs = (await snapshot(fresh.url)).article!.map((row) => (row as { slug: string }).slug).sort();
    expect(slugs).toEqual(["another-article", SLUG]);
  });

  it("refuses a misaligned edit of an existing article, leaving it exactly as it was", async () => {
    const before = await snapshot(fresh.url);
    const dir = path.join(work, "edit", SLUG);
    await cp(SEED_DIR, dir, { recursive: true });
    const en = await readFile(path.join(dir, "en.md"), "utf8");
    await writeFile(path.join(dir, "en.md"), `${en}\nOne paragraph too many.\n`);
    const [result] = await importArticles(freshPrisma, await readArticleSources(dir));
    expect(result).toMatchObject({ status: "refused", reason: expect.stringContaining("(en: 22, ja: 21)") });
    expect(await snapshot(fresh.url)).toEqual(before);
  });

  it("imports an article with one language only (a translation not written yet), and refuses one without its original language", async () => {
    const dir = path.join(work, "english-only");
    await cp(SEED_DIR, dir, { recursive: true });
    await rm(path.join(dir, "ja.md"));
    const meta = JSON.parse(await readFile(path.join(dir, "meta.json"), "utf8")) as { slug: string; translations: Record<string, unknown> };
    meta.slug = "english-only";
    delete meta.translations.ja;
    await writeFile(path.join(dir, "meta.json"), JSON.stringify(meta));
    const [result] = await importArticles(freshPrisma, await readArticleSources(dir));
    expect(result).toMatchObject({ name: "english-only", status: "created" });
    const stored = await freshPrisma.article.findUniqueOrThrow({ where: { slug: "english-only" }, include: { translations: true } });
    expect(stored.translations.map((t) => t.locale)).toEqual(["en"]);

    meta.slug = "no-original";
    meta.translations = { ja: { summary: "要約" } };
    const noOriginal = path.join(work, "no-original");
    await cp(dir, noOriginal, { recursive: true });
    await writeFile(path.join(noOriginal, "meta.json"), JSON.stringify({ ...meta, originalLocale: "en" }));
    await writeFile(path.join(noOriginal, "ja.md"), "# 題\n\n本文。\n");
    await rm(path.join(noOriginal, "en.md"));
    const [refused] = await importArticles(freshPrisma, await readArticleSources(noOriginal));
    expect(refused).toMatchObject({ name: "no-original", status: "refused", reason: expect.stringContaining("original language (en)") });
  });

  it("answers 404 for an unknown article", async () => {
    const response = await exportFrom("seeded", "no-such-article");
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ ok: false, code: "not_found", message: en.Api.notFound });
  });

  it("npm run articles:import: one sentence per article, unchanged on a second run, exit code 1 on a refusal", async () => {
    const run = (target: string) =>
      promisify(execFile)("npx", ["tsx", "--conditions=react-server", "scripts/articles-import.ts", target], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: fresh.url },
      }).then(
        (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
      );
    const ok = await run(SEED_DIR);
    expect(ok).toMatchObject({ code: 0, stdout: `${SLUG}: unchanged (the database already holds these files).\n` });
    const refused = await run(path.join(work, "batch"));
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe("another-article: unchanged (the database already holds these files).\n");
    expect(refused.stderr).toContain("misaligned-article: refused, nothing written. misaligned-article: Paragraph counts differ between languages (en: 21, ja: 20).");
  }, 60_000);
});
