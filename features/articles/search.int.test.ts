import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { deployMigrations } from "@/lib/db/migration-engine";
import { createTestDatabase } from "@/lib/testing/test-database";
import { seedContent } from "@/prisma/seed";
import type { ArticleSearchResult } from "./data";
import { articleSearchSchema, type ArticleSearch } from "./schema";

// The library search (data.ts searchArticles) and GET /api/articles, against a throwaway
// database with the seed article plus articles created here: one English-only, one
// Japanese-only, a title/text ranking pair and 25 fillers for paging.

vi.mock("next/cache", () => ({ unstable_cache: <T>(fn: T) => fn, revalidateTag: vi.fn() }));
process.env.LOG_LEVEL = "silent";

const SEED = "japan-patriot-missile-export";
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let client: pg.Client;
let data: typeof import("./data");
let route: typeof import("@/app/api/articles/route");
const userId = "searchreader0000000000000000000001";

type Fixture = { slug: string; original: "en" | "ja"; publishedAt: string; tags?: string[]; texts: Partial<Record<"en" | "ja", { title: string; summary: string; paragraphs: string[] }>> };

async function createArticle(f: Fixture): Promise<string> {
  const id = randomUUID();
  await client.query(
    `INSERT INTO article (id, slug, original_locale, source, published_at, tags, updated_at) VALUES ($1, $2, $3, 'Test', $4, $5, now())`,
    [id, f.slug, f.original, f.publishedAt, f.tags ?? []],
  );
  const paragraphIds: string[] = [];
  for (const [locale, text] of Object.entries(f.texts)) {
    await client.query(
      `INSERT INTO article_translation (article_id, locale, title, summary, content_hash, updated_at) VALUES ($1, $2, $3, $4, $5, now())`,
      [id, locale, text.title, text.summary, "0".repeat(64)],
    );
    for (const [index, paragraph] of text.paragraphs.entries()) {
      if (!paragraphIds[index]) {
        paragraphIds[index] = randomUUID();
        await client.query(`INSERT INTO paragraph (id, article_id, key, position) VALUES ($1, $2, $3, $4)`, [paragraphIds[index], id, `p${index + 1}`, index + 1]);
      }
      await client.query(
        `INSERT INTO paragraph_text (paragraph_id, locale, text, content_hash, updated_at) VALUES ($1, $2, $3, $4, now())`,
        [paragraphIds[index], locale, paragraph, "0".repeat(64)],
      );
    }
  }
  // Written row by row here, not through applyDocument: the search document too (ADR 0021).
  await client.query(`SELECT refresh_article_search(ARRAY[$1::uuid])`, [id]);
  return id;
}

async function addNotes(articleId: string, count: number, ageDays: number) {
  const { rows } = await client.query<{ id: string }>(`SELECT id FROM paragraph WHERE article_id = $1 ORDER BY position LIMIT 1`, [articleId]);
  for (let i = 0; i < count; i++) {
    await client.query(
      `INSERT INTO note (id, article_id, paragraph_id, locale, author_id, kind, visibility, body, created_at, updated_at)
       VALUES ($1, $2, $3, 'en', $4, 'comment', 'public', 'A note', now() - make_interval(days => $5), now())`,
      [randomUUID(), articleId, rows[0]!.id, userId, ageDays],
    );
  }
}

const search = (input: Record<string, unknown>, viewer: string | null = null) =>
  data.searchArticles(articleSearchSchema.parse(input) as ArticleSearch, viewer);
const slugs = (result: ArticleSearchResult) => result.items.map((item) => item.slug);

let enOnlyId = "";
beforeAll(async () => {
  db = await createTestDatabase("search");
  await deployMigrations(db.url);
  await seedContent(db.url);
  process.env.DATABASE_URL = db.url;
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query(
    `INSERT INTO "user" (id, name, email, updated_at) VALUES ($1, 'Searcher', 'searcher@example.com', now())`,
    [userId],
  );
  enOnlyId = await createArticle({
    slug: "en-only-chips",
    original: "en",
    publishedAt: "2026-10-01",
    tags: ["trade"],
    texts: { en: { title: "Chip makers and the market", summary: "A look at semiconductors.", paragraphs: ["Quarterly numbers rose.", "Analysts expect more."] } },
  });
  await createArticle({
    slug: "ja-only-budget",
    original: "ja",
    publishedAt: "2026-10-02",
    tags: ["defence"],
    texts: { ja: { title: "防衛予算の行方", summary: "来年度の予算案を読む。", paragraphs: ["防衛費の増額が議論されている。"] } },
  });
  await createArticle({
    slug: "kumquat-in-text",
    original: "en",
    publishedAt: "2026-10-05",
    texts: { en: { title: "Orchard notes", summary: "Citrus farming.", paragraphs: ["One grower also tends a kumquat tree."] } },
  });
  await createArticle({
    slug: "kumquat-in-title",
    original: "en",
    publishedAt: "2026-09-01",
    texts: { en: { title: "The kumquat season", summary: "Small fruit.", paragraphs: ["Nothing else here."] } },
  });
  for (let i = 1; i <= 25; i++) {
    await createArticle({
      slug: `filler-${String(i).padStart(2, "0")}`,
      original: "en",
      publishedAt: `2025-01-${String((i % 28) + 1).padStart(2, "0")}`,
      texts: { en: { title: `Filler piece ${i}`, summary: "Padding.", paragraphs: ["Padding text."] } },
    });
  }
  data = await import("./data");
  route = await import("@/app/api/articles/route");
}, 180_000);

afterAll(async () => {
  await client?.end();
  await db?.drop();
});

describe("searchArticles", () => {
  it("finds English words by their stem", async () => {
    // The seed says "export"/"Export"; "exports" and "exporting" only match through stemming.
    expect(slugs(await search({ q: "exports" }))).toContain(SEED);
    expect(slugs(await search({ q: "exporting" }))).toContain(SEED);
    expect(slugs(await search({ q: "kumquats" }))).toEqual(expect.arrayContaining(["kumquat-in-title", "kumquat-in-text"]));
  });

  it("finds Japanese substrings without word spaces", async () => {
    expect(slugs(await search({ q: "パトリオット" }))).toEqual([SEED]);
    expect(slugs(await search({ q: "輸出" }))).toContain(SEED);
    const defence = slugs(await search({ q: "防衛" }));
    expect(defence).toEqual(expect.arrayContaining([SEED, "ja-only-budget"]));
    expect(defence).not.toContain("en-only-chips");
  });

  it("matches one-character Japanese queries", async () => {
    expect(slugs(await search({ q: "米" }))).toContain(SEED);
    expect(slugs(await search({ q: "案" }))).toEqual(["ja-only-budget"]);
    expect(slugs(await search({ q: "行方" }))).toEqual(["ja-only-budget"]);
  });

  it("takes % and _ literally", async () => {
    expect((await search({ q: "%" })).total).toBe(0);
    expect((await search({ q: "_" })).total).toBe(0);
  });

  it("ranks a title match above a paragraph-text match", async () => {
    expect(slugs(await search({ q: "kumquat" }))).toEqual(["kumquat-in-title", "kumquat-in-text"]);
    // Sorting by newest puts the newer text-only match first instead.
    expect(slugs(await search({ q: "kumquat", sort: "newest" }))).toEqual(["kumquat-in-text", "kumquat-in-title"]);
  });

  it("filters by tag and by available language", async () => {
    expect(slugs(await search({ tag: "trade" }))).toEqual(["en-only-chips"]);
    expect(slugs(await search({ tag: "defence" })).sort()).toEqual(["ja-only-budget", SEED].sort());
    const ja = slugs(await search({ lang: "ja" }));
    expect(ja).toEqual(expect.arrayContaining([SEED, "ja-only-budget"]));
    expect(ja).not.toContain("en-only-chips");
    const en = await search({ lang: "en" });
    expect(slugs(en)).not.toContain("ja-only-budget");
    expect(en.total).toBe(29);
    expect(slugs(await search({ lang: "both" }))).toEqual([SEED]);
  });

  it("sorts by public notes of the last 7 days", async () => {
    await addNotes(enOnlyId, 3, 1);
    const seedId = (await client.query<{ id: string }>(`SELECT id FROM article WHERE slug = $1`, [SEED])).rows[0]!.id;
    await addNotes(seedId, 1, 1);
    await addNotes(seedId, 5, 10); // older than a week: counts as notes, not as this week's
    const result = await search({ sort: "discussed" });
    expect(slugs(result).slice(0, 2)).toEqual(["en-only-chips", SEED]);
    const seed = result.items.find((item) => item.slug === SEED)!;
    expect(seed.weekNoteCount).toBe(1);
    expect(seed.noteCount).toBe(6);
    expect(seed.paragraphCount).toBeGreaterThan(3);
  });

  it("pages without gaps or repeats", async () => {
    const first = await search({ q: "filler" });
    const second = await search({ q: "filler", page: 2 });
    const third = await search({ q: "filler", page: 3 });
    expect(first.total).toBe(25);
    expect(first.items).toHaveLength(20);
    expect(second.items).toHaveLength(5);
    expect(third.items).toHaveLength(0);
    expect(third.total).toBe(25);
    const all = [...slugs(first), ...slugs(second)];
    expect(new Set(all).size).toBe(25);
  });

  it("tells a signed-in reader when they last visited", async () => {
    await client.query(`INSERT INTO article_visit (user_id, article_id, last_visited_at) VALUES ($1, $2, '2026-11-20T10:00:00Z')`, [userId, enOnlyId]);
    const signedIn = await search({ tag: "trade" }, userId);
    expect(signedIn.items[0]!.lastVisitedAt).toBe("2026-11-20T10:00:00.000Z");
    const signedOut = await search({ tag: "trade" });
    expect(signedOut.items[0]!.lastVisitedAt).toBeNull();
  });
});

describe("search indexes", () => {
  const plan = async (sql: string, before?: string) => {
    await client.query("ANALYZE paragraph_text");
    await client.query("BEGIN");
    try {
      // The tables are tiny, so the planner would scan them anyway: forbid that to see the index.
      await client.query("SET LOCAL enable_seqscan = off");
      if (before) await client.query(before);
      const { rows } = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN ${sql}`);
      return rows.map((row) => row["QUERY PLAN"]).join("\n");
    } finally {
      await client.query("ROLLBACK");
    }
  };

  it("extracts trigrams from Japanese text, so the trigram index narrows Japanese queries", async () => {
    const { rows } = await client.query<{ n: number }>(`SELECT cardinality(show_trgm('防衛政策')) AS n`);
    expect(rows[0]!.n).toBeGreaterThan(0);
    expect(await plan(`SELECT 1 FROM paragraph_text WHERE text ILIKE '%防衛政策%'`)).toContain("paragraph_text_text_trgm_idx");
    expect(await plan(`SELECT 1 FROM article_search WHERE title LIKE '%パトリオット%'`)).toContain("article_search_title_trgm_idx");
  });

  it("serves English stems and 1–2 character queries from the search document's indexes", async () => {
    expect(await plan(`SELECT 1 FROM article_search WHERE tsv @@ websearch_to_tsquery('english', 'exports')`)).toContain("article_search_tsv_idx");
    expect(await plan(`SELECT 1 FROM article_search WHERE grams @> ARRAY['輸出']`)).toContain("article_search_grams_idx");
  });
});

describe("the search document (article_search)", () => {
  it("holds every 1–2 character substring, so a 2-character word found only in a paragraph matches", async () => {
    await createArticle({
      slug: "ja-eel-in-text",
      original: "ja",
      publishedAt: "2026-08-01",
      texts: { ja: { title: "夏の食卓", summary: "季節の料理。", paragraphs: ["土用の丑の日には鰻を食べる。", "鰻丼の店に行列ができた。"] } },
    });
    expect(slugs(await search({ q: "鰻丼" }))).toEqual(["ja-eel-in-text"]);
    expect(slugs(await search({ q: "鰻" }))).toEqual(["ja-eel-in-text"]);
    // Both characters are in the article, but never next to each other.
    expect((await search({ q: "丑鰻" })).total).toBe(0);
    // Upper case matches lower case, as ILIKE did.
    expect(slugs(await search({ q: "KUMQUAT SEASON" }))).toEqual(["kumquat-in-title"]);
    // Inside a word of the paragraph text (through article_search.words and search_word).
    expect(slugs(await search({ q: "UMQUA" }))).toEqual(["kumquat-in-title", "kumquat-in-text"]);
    expect(slugs(await search({ q: "nalyst" }))).toContain("en-only-chips");
  });

  it("follows a publish (applyDocument): the old words are gone, the new ones found, in the same transaction", async () => {
    const { getPrisma } = await import("@/lib/db/prisma");
    const { applyDocument } = await import("@/features/revisions/mutations");
    const prisma = getPrisma();
    const article = await prisma.article.create({
      data: { slug: "republished-piece", originalLocale: "en", source: "Test Wire", publishedAt: new Date("2026-07-01") },
    });
    const publish = (title: string, paragraphs: [string, string][]) =>
      prisma.$transaction((tx) =>
        applyDocument(tx, {
          articleId: article.id,
          document: {
            meta: {
              slug: "republished-piece",
              originalLocale: "en",
              source: "Test Wire",
              publishedAt: "2026-07-01",
              tags: [],
              translations: { en: { title, summary: "Summary." }, ja: { title: "再掲の記事", summary: "要約。" } },
            },
            rows: paragraphs.map(([en, ja]) => ({ heading: false, text: { en, ja } })),
          },
          actorId: null,
          summary: "",
        }),
      );
    await publish("Lighthouses of the coast", [["The keepers polished the lamps.", "灯台守がランプを磨いた。"]]);
    expect(slugs(await search({ q: "keepers" }))).toEqual(["republished-piece"]);
    expect(slugs(await search({ q: "灯台守" }))).toEqual(["republished-piece"]);
    expect(slugs(await search({ q: "磨" }))).toEqual(["republished-piece"]);

    await publish("Harbours of the coast", [["Ferries dock at dawn.", "夜明けにフェリーが着く。"]]);
    for (const gone of ["keepers", "lamp", "灯台守", "磨", "lighthouse"]) expect((await search({ q: gone })).total, gone).toBe(0);
    expect(slugs(await search({ q: "ferry" }))).toEqual(["republished-piece"]); // stem of "Ferries"
    expect(slugs(await search({ q: "夜明" }))).toEqual(["republished-piece"]);
    expect(slugs(await search({ q: "harbour" }))).toEqual(["republished-piece"]);
  });
});

describe("GET /api/articles", () => {
  const get = (query: string) =>
    route.GET(new Request(`http://localhost/api/articles${query}`, { headers: { host: "localhost", "accept-language": "ja" } }), {
      params: Promise.resolve({}),
    });

  it("answers a search", async () => {
    const response = await get(`?q=${encodeURIComponent("輸出")}&lang=ja`);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.items.map((item: { slug: string }) => item.slug)).toContain(SEED);
    expect(body.nextPage).toBeNull();
    const paged = await (await get("?q=filler")).json();
    expect(paged.nextPage).toBe(2);
  });

  it.each([
    ["?q=" + "a".repeat(201), "q"],
    ["?page=0", "page"],
    ["?page=1001", "page"],
    ["?page=abc", "page"],
    ["?sort=popular", "sort"],
    ["?lang=fr", "lang"],
    ["?tag=" + encodeURIComponent("<b>"), "tag"],
    ["?q=a%00b", "q"],
  ])("refuses %s with 422", async (query, field) => {
    const response = await get(query);
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body.fieldErrors[field]).toBeDefined();
  });
});
