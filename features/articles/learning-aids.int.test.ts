import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { deployMigrations } from "@/lib/db/migration-engine";
import { createTestDatabase, query } from "@/lib/testing/test-database";
import { seedContent } from "@/prisma/seed";

// Learning aids (ADR 0037): furigana and sentences are computed the first time a reader page
// needs a text, stored with the content hash they came from, reused after, and recomputed when
// the text changes.

vi.mock("next/cache", () => ({ unstable_cache: <T>(fn: T) => fn, revalidateTag: vi.fn() }));
process.env.LOG_LEVEL = "silent";

const SLUG = "japan-patriot-missile-export";
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let data: typeof import("./data");

beforeAll(async () => {
  db = await createTestDatabase("learning-aids");
  await deployMigrations(db.url);
  await seedContent(db.url);
  process.env.DATABASE_URL = db.url;
  data = await import("./data");
}, 120_000);

afterAll(async () => {
  const { getPrisma } = await import("@/lib/db/prisma");
  await getPrisma().$disconnect();
  await db?.drop();
});

const aidsOf = (key: string) =>
  query<{ locale: string; furigana: unknown; sentences: unknown; learning_hash: string | null; content_hash: string }>(
    db.url,
    `SELECT t.locale, t.furigana, t.sentences, t.learning_hash, t.content_hash FROM paragraph_text t
       JOIN paragraph p ON p.id = t.paragraph_id JOIN article a ON a.id = p.article_id
      WHERE a.slug = $1 AND p.key = $2 ORDER BY t.locale`,
    [SLUG, key],
  );

describe("learning aids", () => {
  it("are computed on the first read, stored with their content hash, and served from the row after", async () => {
    const before = await aidsOf("p-8");
    expect(before.every((row) => row.learning_hash === null && row.furigana === null)).toBe(true);

    const article = (await data.getReaderArticle(SLUG))!;
    const p8 = article.paragraphs.find((p) => p.key === "p-8")!;
    const readings = p8.ruby!.ja!.filter((segment) => segment.length === 2).map(([base, reading]) => `${base}(${reading})`);
    expect(readings).toEqual(expect.arrayContaining(["武器(ぶき)", "輸出(ゆしゅつ)", "原則(げんそく)"]));
    expect(p8.ruby!.en).toBeUndefined();
    expect(p8.ruby!.ja!.map((segment) => segment[0]).join("")).toBe(p8.text.ja);
    expect(p8.sentences!.en).toEqual([{ start: 0, end: [...p8.text.en!].length }]);

    const after = await aidsOf("p-8");
    expect(after.every((row) => row.learning_hash === row.content_hash)).toBe(true);
    expect(after.find((row) => row.locale === "en")!.furigana).toBeNull();
    expect(after.find((row) => row.locale === "ja")!.furigana).toEqual(p8.ruby!.ja);

    // Stored readings are what the next read returns: change them in the row and read again.
    await query(
      db.url,
      `UPDATE paragraph_text t SET furigana = '[["marker"]]'::jsonb FROM paragraph p JOIN article a ON a.id = p.article_id
        WHERE p.id = t.paragraph_id AND a.slug = $1 AND p.key = 'p-8' AND t.locale = 'ja'`,
      [SLUG],
    );
    const again = (await data.getReaderArticle(SLUG))!;
    expect(again.paragraphs.find((p) => p.key === "p-8")!.ruby!.ja).toEqual([["marker"]]);
  }, 60_000);

  it("are recomputed when the text changes (a stale hash is never served)", async () => {
    await query(
      db.url,
      `UPDATE paragraph_text t SET text = '防衛省が確認した。次の文。', content_hash = repeat('a', 64)
         FROM paragraph p JOIN article a ON a.id = p.article_id
        WHERE p.id = t.paragraph_id AND a.slug = $1 AND p.key = 'p-8' AND t.locale = 'ja'`,
      [SLUG],
    );
    const article = (await data.getReaderArticle(SLUG))!;
    const p8 = article.paragraphs.find((p) => p.key === "p-8")!;
    expect(p8.ruby!.ja).toEqual([["防衛", "ぼうえい"], ["省", "しょう"], ["が"], ["確認", "かくにん"], ["した。"], ["次", "つぎ"], ["の"], ["文", "ぶん"], ["。"]]);
    expect(p8.sentences!.ja).toEqual([
      { start: 0, end: 9 },
      { start: 9, end: 13 },
    ]);
    const stored = (await aidsOf("p-8")).find((row) => row.locale === "ja")!;
    expect(stored.learning_hash).toBe("a".repeat(64));
  }, 60_000);
});
