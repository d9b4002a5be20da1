import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createAppTestDatabase } from "@/lib/testing/test-database";
import { buildLibrary, insertLibrary } from "./bench-library";

// The bench's library (npm run bench): generated through the import's parser, written in bulk.
// What it writes must be what the app reads: the reader, the public list and the search.

vi.mock("next/cache", () => ({ unstable_cache: <T>(fn: T) => fn, revalidateTag: vi.fn() }));

let db: Awaited<ReturnType<typeof createAppTestDatabase>>;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createAppTestDatabase("bench_library");
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
});

afterAll(async () => {
  // The app's own connections (the data functions below) too, before the database is dropped.
  await (await import("@/lib/db/prisma")).getPrisma().$disconnect();
  await pool?.end();
  await db?.drop();
});

describe("the bench library", () => {
  it("mixes languages and lengths as the issue asks", () => {
    const library = buildLibrary(100);
    expect(library.filter((a) => a.locales.join() === "ja")).toHaveLength(10);
    expect(library.filter((a) => a.locales.join() === "en")).toHaveLength(10);
    const lengths = library.map((a) => a.content.paragraphs.length);
    expect(Math.min(...lengths)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(30);
    expect(buildLibrary(5)).toEqual(buildLibrary(5));
  });

  it("is read by the reader, the public list and the search like imported articles", async () => {
    const library = buildLibrary(40);
    const { paragraphs } = await insertLibrary(pool, library);
    expect(paragraphs).toBe(library.reduce((sum, a) => sum + a.content.paragraphs.length, 0));
    const data = await import("@/features/articles/data");
    const jaOnly = library.find((a) => a.locales.join() === "ja")!.content;
    const reader = await data.getReaderArticle(jaOnly.meta.slug);
    expect(reader?.paragraphs.map((p) => p.key)).toEqual(jaOnly.paragraphs.map((p) => p.key));
    expect(reader?.paragraphs[0]?.text).toEqual({ ja: jaOnly.paragraphs[0]!.text.ja });
    const listed = await data.listPublicArticles();
    expect(listed.filter((a) => a.slug.startsWith("bench-library-"))).toHaveLength(40);
    // A Japanese word inside a paragraph (no spaces around it) is found by substring.
    const word = jaOnly.paragraphs[3]!.text.ja!.slice(0, 2);
    const found = await data.searchArticles({ q: word, lang: "ja", page: 1 } as never, null);
    expect(found.items.map((a) => a.slug)).toContain(jaOnly.meta.slug);
    const tagged = await data.searchArticles({ q: "", tag: jaOnly.meta.tags![0], page: 1 } as never, null);
    expect(tagged.total).toBeGreaterThan(0);
    expect(tagged.items.every((a) => a.tags.includes(jaOnly.meta.tags![0]!))).toBe(true);
  });
});
