import { expect, SLUG, test } from "./fixtures";

// Discovery of public articles: metadata on the cached reader page (OpenGraph, Twitter card,
// canonical/hreflang, JSON-LD, the feed link), /sitemap.xml and the Atom feed per locale. The
// fixture fails any test that triggers a Content-Security-Policy violation (the JSON-LD is an
// inline script in a cached page: it must be allowed by hash).

const meta = (name: string) => `meta[property="${name}"], meta[name="${name}"]`;
/**
 * The server names itself by SITE_URL, else http://localhost:PORT (lib/site-url.ts), while the
 * tests may reach it as 127.0.0.1: absolute URLs are compared on that origin.
 */
const siteOrigin = (baseURL: string | undefined) => `http://localhost:${new URL(baseURL!).port}`;

test.describe("discovery", () => {
  test("the reader page carries OpenGraph, Twitter, canonical, hreflang, feed link and a NewsArticle", async ({ page, baseURL }) => {
    const site = siteOrigin(baseURL);
    await page.goto(`/ja/articles/${SLUG}`);
    const head = page.locator("head");
    await expect(head.locator(meta("og:type"))).toHaveAttribute("content", "article");
    await expect(head.locator(meta("og:title"))).toHaveAttribute("content", /パトリオット/);
    await expect(head.locator(meta("og:locale"))).toHaveAttribute("content", "ja_JP");
    await expect(head.locator(meta("og:locale:alternate"))).toHaveAttribute("content", "en_US");
    await expect(head.locator(meta("og:url"))).toHaveAttribute("content", `${site}/ja/articles/${SLUG}`);
    await expect(head.locator(meta("article:published_time"))).toHaveAttribute("content", /^2026-11-25/);
    await expect(head.locator(meta("twitter:card"))).toHaveAttribute("content", "summary");
    await expect(head.locator(meta("twitter:title"))).toHaveAttribute("content", /パトリオット/);
    await expect(head.locator('link[rel="canonical"]')).toHaveAttribute("href", `${site}/ja/articles/${SLUG}`);
    await expect(head.locator('link[rel="alternate"][hreflang="en"]')).toHaveAttribute("href", `${site}/en/articles/${SLUG}`);
    await expect(head.locator('link[rel="alternate"][hreflang="ja"]')).toHaveAttribute("href", `${site}/ja/articles/${SLUG}`);
    await expect(head.locator('link[rel="alternate"][type="application/atom+xml"]')).toHaveAttribute("href", `${site}/ja/feed.xml`);

    const scripts = await page.locator('script[type="application/ld+json"]').allTextContents();
    expect(scripts).toHaveLength(1);
    const data = JSON.parse(scripts[0]!) as Record<string, unknown>;
    expect(data["@type"]).toBe("NewsArticle");
    expect(data.headline).toMatch(/パトリオット/);
    expect(data.inLanguage).toBe("ja");
    expect(data.datePublished).toBe("2026-11-25");
    expect(data.isAccessibleForFree).toBe(true);
    expect(data.url).toBe(`${site}/ja/articles/${SLUG}`);
    expect(data.author).toMatchObject({ "@type": "Organization", name: expect.stringContaining("Kyodo") });
  });

  test("an English reader in side-by-side mode names the English headline and its own URL", async ({ page, baseURL }) => {
    const site = siteOrigin(baseURL);
    await page.goto(`/en/articles/${SLUG}?text=both`);
    await expect(page.locator(meta("og:title"))).toHaveAttribute("content", /Patriot Missiles/);
    const data = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent())!) as Record<string, unknown>;
    expect(data.headline).toMatch(/Patriot Missiles/);
    expect(data.url).toBe(`${site}/en/articles/${SLUG}?text=both`);
  });

  test("/sitemap.xml lists the article in both locales with hreflang alternates", async ({ request, baseURL }) => {
    const site = siteOrigin(baseURL);
    const response = await request.get("/sitemap.xml");
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toMatch(/xml/);
    const xml = await response.text();
    expect(xml).toContain(`<loc>${site}/en/articles/${SLUG}</loc>`);
    expect(xml).toContain(`<loc>${site}/ja/articles/${SLUG}</loc>`);
    expect(xml).toContain(`<loc>${site}/en</loc>`);
    expect(xml).toMatch(new RegExp(`<xhtml:link rel="alternate" hreflang="ja" href="${site}/ja/articles/${SLUG}"\\s*/>`));
  });

  for (const [locale, title] of [
    ["en", /Patriot Missiles/],
    ["ja", /パトリオット/],
  ] as const) {
    test(`/${locale}/feed.xml answers Atom with the article`, async ({ request, baseURL }) => {
      const site = siteOrigin(baseURL);
      const response = await request.get(`/${locale}/feed.xml`, { maxRedirects: 0 });
      expect(response.status()).toBe(200);
      expect(response.headers()["content-type"]).toBe("application/atom+xml; charset=utf-8");
      expect(response.headers()["cache-control"]).toBe("public, max-age=300");
      const xml = await response.text();
      expect(xml).toContain(`<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${locale}">`);
      expect(xml).toContain(`<link rel="self" type="application/atom+xml" href="${site}/${locale}/feed.xml"/>`);
      const entry = xml.match(new RegExp(`<entry>\\s*<id>${site}/${locale}/articles/${SLUG}</id>[\\s\\S]*?</entry>`))?.[0];
      expect(entry).toBeTruthy();
      expect(entry!.match(/<title type="text">([^<]*)<\/title>/)?.[1]).toMatch(title);
    });
  }

  test("a feed for an unknown locale does not exist", async ({ request }) => {
    const response = await request.get("/de/feed.xml", { maxRedirects: 0 });
    expect(response.status()).toBe(404);
  });
});
