import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import en from "@/messages/en.json";
import ja from "@/messages/ja.json";
import { deployMigrations } from "@/lib/db/migration-engine";
import { createTestDatabase } from "@/lib/testing/test-database";
import { seedContent } from "@/prisma/seed";

// Discovery of public articles: the Atom feed per locale (the same function the route file
// app/[locale]/feed.xml/route.ts exports) and /sitemap.xml, against a throwaway database seeded
// with the real article plus one created here with markup in its title and no English text.

vi.mock("next/cache", () => ({ unstable_cache: <T>(fn: T) => fn, revalidateTag: vi.fn() }));
process.env.LOG_LEVEL = "silent";

const SLUG = "japan-patriot-missile-export";
const ODD_SLUG = "odd-title-only-japanese";
const ODD_TITLE = `Tom & Jerry <script>alert("x")</script> 'quoted'`;
const ORIGIN = "https://taiyaku.example";

type Route = typeof import("@/app/[locale]/feed.xml/route");
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let feedRoute: Route;
let sitemap: typeof import("@/app/sitemap").default;

beforeAll(async () => {
  db = await createTestDatabase("discovery");
  await deployMigrations(db.url);
  await seedContent(db.url);
  process.env.DATABASE_URL = db.url;
  process.env.SITE_URL = ORIGIN;
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const id = randomUUID();
    await client.query(
      `INSERT INTO article (id, slug, original_locale, source, source_url, published_at, updated_at)
       VALUES ($1, $2, 'ja', 'Source <&> "Co"', 'https://news.example/a?x=1&y=2', '2026-01-02', now())`,
      [id, ODD_SLUG],
    );
    await client.query(
      `INSERT INTO article_translation (article_id, locale, title, summary, translator, content_hash, updated_at)
       VALUES ($1, 'ja', $2, 'A < B && C > D', NULL, $3, now())`,
      [id, ODD_TITLE, "0".repeat(64)],
    );
  } finally {
    await client.end();
  }
  feedRoute = await import("@/app/[locale]/feed.xml/route");
  sitemap = (await import("@/app/sitemap")).default;
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

function getFeed(locale: string, headers: Record<string, string> = {}) {
  const request = new Request(`http://localhost/${encodeURIComponent(locale)}/feed.xml`, { headers: { host: "localhost", ...headers } });
  return feedRoute.GET(request, { params: Promise.resolve({ locale }) });
}

/** The entries of a feed, each as its raw XML. */
const entriesOf = (xml: string) => [...xml.matchAll(/<entry(?: [^>]*)?>[\s\S]*?<\/entry>/g)].map((m) => m[0]);

describe("Atom feed per locale", () => {
  it("answers the English feed as Atom 1.0 with the article in English", async () => {
    const response = await getFeed("en");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/atom+xml; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("public, max-age=300");
    const xml = await response.text();
    expect(xml.startsWith(`<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">`)).toBe(true);
    expect(xml).toContain(`<id>${ORIGIN}/en/feed.xml</id>`);
    expect(xml).toContain(`<title type="text">${en.Meta.feedTitle}</title>`);
    expect(xml).toContain(`<link rel="self" type="application/atom+xml" href="${ORIGIN}/en/feed.xml"/>`);
    expect(xml).toContain(`<link rel="alternate" type="text/html" hreflang="en" href="${ORIGIN}/en"/>`);
    expect(xml).toMatch(/<updated>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z<\/updated>/);

    const entries = entriesOf(xml);
    expect(entries).toHaveLength(2);
    // Newest first: the seeded article (2026-11-25) before the one created here (2026-01-02).
    const [patriot] = entries;
    expect(patriot).toContain(`<id>${ORIGIN}/en/articles/${SLUG}</id>`);
    expect(patriot).toMatch(/<title type="text">[^<]*Japan’s Export of Patriot Missiles[^<]*<\/title>/);
    expect(patriot).toContain(`<link rel="alternate" type="text/html" hreflang="en" href="${ORIGIN}/en/articles/${SLUG}"/>`);
    expect(patriot).toContain("<published>2026-11-25T00:00:00Z</published>");
    expect(patriot).toMatch(/<summary type="text">Japan has exported/);
    expect(patriot).toMatch(/<author><name>Taiyaku seed corpus/);
    expect(patriot).not.toContain("xml:lang");
  });

  it("answers the Japanese feed with Japanese titles, ids and links", async () => {
    const response = await getFeed("ja");
    expect(response.status).toBe(200);
    const xml = await response.text();
    expect(xml).toContain(`<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ja">`);
    expect(xml).toContain(`<title type="text">${ja.Meta.feedTitle}</title>`);
    expect(xml).toContain(`<link rel="self" type="application/atom+xml" href="${ORIGIN}/ja/feed.xml"/>`);
    const [patriot] = entriesOf(xml);
    expect(patriot).toContain(`<id>${ORIGIN}/ja/articles/${SLUG}</id>`);
    expect(patriot).toMatch(/<title type="text">[^<]*パトリオット[^<]*<\/title>/);
    expect(patriot).toContain(`href="${ORIGIN}/ja/articles/${SLUG}"`);
    // The Japanese translation names its translator.
    expect(patriot).toContain("<contributor><name>Taiyaku 編集部</name></contributor>");
  });

  it("escapes markup in titles, summaries, authors and URLs, and falls back to the other language", async () => {
    const xml = await (await getFeed("en")).text();
    const odd = entriesOf(xml).find((entry) => entry.includes(ODD_SLUG))!;
    expect(odd).toBeDefined();
    // No English text: the Japanese title, marked as Japanese.
    expect(odd.startsWith(`<entry xml:lang="ja">`)).toBe(true);
    expect(odd).toContain(`<title type="text">Tom &amp; Jerry &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &apos;quoted&apos;</title>`);
    expect(odd).toContain(`<summary type="text">A &lt; B &amp;&amp; C &gt; D</summary>`);
    expect(odd).toContain(`<author><name>Source &lt;&amp;&gt; &quot;Co&quot;</name><uri>https://news.example/a?x=1&amp;y=2</uri></author>`);
    // Nothing unescaped anywhere in the document.
    expect(xml).not.toContain("<script");
    expect(xml.replace(/&(amp|lt|gt|quot|apos);/g, "")).not.toMatch(/&/);
  });

  it("answers 404 for an unknown locale, and never a 500 for odd ones", async () => {
    for (const locale of ["de", "fr", "enx", "EN"]) {
      const response = await getFeed(locale, { "x-ui-locale": "en" });
      expect({ locale, status: response.status }).toEqual({ locale, status: 404 });
      expect(await response.json()).toMatchObject({ ok: false, code: "not_found" });
    }
    for (const locale of ["", "\u0000", "../en", "e".repeat(500)]) {
      const response = await getFeed(locale);
      expect({ locale, status: response.status }).toEqual({ locale, status: 404 });
    }
  });
});

describe("/sitemap.xml", () => {
  it("lists the locale home pages and every public article in both locales, with absolute hreflang alternates", async () => {
    const entries = await sitemap();
    const urls = entries.map((entry) => entry.url);
    expect(urls).toEqual(
      expect.arrayContaining([
        `${ORIGIN}/en`,
        `${ORIGIN}/ja`,
        `${ORIGIN}/en/articles/${SLUG}`,
        `${ORIGIN}/ja/articles/${SLUG}`,
        `${ORIGIN}/en/articles/${ODD_SLUG}`,
        `${ORIGIN}/ja/articles/${ODD_SLUG}`,
      ]),
    );
    expect(urls).toHaveLength(6);
    for (const url of urls) expect(url.startsWith(`${ORIGIN}/`)).toBe(true);
    const article = entries.find((entry) => entry.url === `${ORIGIN}/ja/articles/${SLUG}`)!;
    expect(article.alternates?.languages).toEqual({
      en: `${ORIGIN}/en/articles/${SLUG}`,
      ja: `${ORIGIN}/ja/articles/${SLUG}`,
      "x-default": `${ORIGIN}/en/articles/${SLUG}`,
    });
    expect(String(article.lastModified)).toMatch(/^\d{4}-\d\d-\d\dT/);
    const home = entries.find((entry) => entry.url === `${ORIGIN}/en`)!;
    expect(home.alternates?.languages).toEqual({ en: `${ORIGIN}/en`, ja: `${ORIGIN}/ja`, "x-default": `${ORIGIN}/en` });
  });
});
