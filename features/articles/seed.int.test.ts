import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployMigrations } from "@/lib/db/migration-engine";
import { createTestDatabase } from "@/lib/testing/test-database";
import { seedContent } from "@/prisma/seed";

const projectRoot = path.resolve(import.meta.dirname, "../..");
const slug = "japan-patriot-missile-export";

async function snapshot(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = ["article", "article_translation", "paragraph", "paragraph_text"];
    const result: Record<string, unknown[]> = {};
    for (const table of tables) {
      result[table] = (await client.query(`SELECT * FROM ${table} ORDER BY 1, 2`)).rows;
    }
    return result;
  } finally {
    await client.end();
  }
}

describe("seedContent", () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let contentRoot: string;

  beforeAll(async () => {
    db = await createTestDatabase("seed");
    await deployMigrations(db.url);
    contentRoot = await mkdtemp(path.join(tmpdir(), "taiyaku-content-"));
    await cp(path.join(projectRoot, "content"), contentRoot, { recursive: true });
  });

  afterAll(async () => {
    await db?.drop();
    if (contentRoot) await rm(contentRoot, { recursive: true, force: true });
  });

  it("loads the article with 21 aligned paragraphs in English and Japanese", async () => {
    const result = await seedContent(db.url, contentRoot);
    expect(result).toEqual({ articles: 1, changed: true });
    const rows = await snapshot(db.url);
    expect(rows.article).toHaveLength(1);
    expect(rows.article_translation).toHaveLength(2);
    expect(rows.paragraph).toHaveLength(21);
    expect(rows.paragraph_text).toHaveLength(42);
    const first = (rows.paragraph as { id: string; key: string; position: number }[]).find((p) => p.position === 1)!;
    expect(first.key).toBe("p-1");
    const texts = (rows.paragraph_text as { paragraph_id: string; locale: string; text: string }[]).filter(
      (t) => t.paragraph_id === first.id,
    );
    expect(texts.map((t) => t.locale).sort()).toEqual(["en", "ja"]);
    expect(texts.find((t) => t.locale === "en")!.text).toMatch(/^Japan’s decision to export Patriot/);
    expect(texts.find((t) => t.locale === "ja")!.text).toContain("パトリオット");
  });

  it("changes nothing when run again (rows and timestamps identical)", async () => {
    const before = await snapshot(db.url);
    const result = await seedContent(db.url, contentRoot);
    expect(result).toEqual({ articles: 1, changed: false });
    expect(await snapshot(db.url)).toEqual(before);
  });

  it("updates an edited paragraph in place, keeping paragraph ids", async () => {
    const before = await snapshot(db.url);
    const file = path.join(contentRoot, "articles", slug, "ja.md");
    const original = await readFile(file, "utf8");
    await writeFile(file, original.replace("注目すべきは", "特筆すべきは"));
    expect((await seedContent(db.url, contentRoot)).changed).toBe(true);
    const after = await snapshot(db.url);
    expect(after.paragraph).toEqual(before.paragraph);
    const changed = (after.paragraph_text as { text: string; content_hash: string }[]).filter(
      (t, i) => t.content_hash !== (before.paragraph_text as { content_hash: string }[])[i]!.content_hash,
    );
    expect(changed).toHaveLength(1);
    expect(changed[0]!.text).toContain("特筆すべきは");
  });

  it("refuses content whose languages do not align, writing nothing", async () => {
    const before = await snapshot(db.url);
    const file = path.join(contentRoot, "articles", slug, "ja.md");
    const original = await readFile(file, "utf8");
    await writeFile(file, original.trimEnd().split("\n\n").slice(0, -1).join("\n\n") + "\n");
    await expect(seedContent(db.url, contentRoot)).rejects.toThrow(/Paragraph counts differ/);
    expect(await snapshot(db.url)).toEqual(before);
    await writeFile(file, original);
  });
});
