import "server-only";
import type { AppLocale } from "@/i18n/routing";
import { feedPath } from "@/lib/alternates";
import { articleFolderFiles } from "@/lib/content/article-files";
import { zipTextFiles } from "@/lib/content/zip";
import { defineEndpoint } from "@/lib/http/endpoint";
import { isAppLocale, translatorFor } from "@/lib/i18n/translator";
import { siteUrl } from "@/lib/site-url";
import { ok } from "@/lib/http/responses";
import { getArticleFolderContent, listPublicArticles, searchArticles, type PublicArticle } from "./data";
import { articleSearchSchema, pickTranslation } from "./schema";
import { readerHref } from "./types";

// Discovery of public articles: the Atom feed per locale, behind app/[locale]/feed.xml/route.ts.

/** Feed readers poll; five minutes matches the article data cache (data.ts). */
const FEED_CACHE_CONTROL = "public, max-age=300";

/**
 * GET /{locale}/feed.xml: an Atom 1.0 feed of the public articles, titled in the feed's locale.
 * The locale arrives as a path parameter; the pipeline only checks its shape (a "slug": short
 * lowercase ASCII), so an unknown locale is answered here with the pipeline's own 404.
 */
export const getArticleFeed = defineEndpoint(
  { summary: "An Atom feed of the public articles, titled in the feed's language (en or ja).", messages: "Meta", auth: "none", params: { locale: "slug" }, produces: ["application/atom+xml"] },
  async ({ params, notFound }) => {
    if (!isAppLocale(params.locale)) return notFound();
    const xml = atomFeed(params.locale, await listPublicArticles(), siteUrl());
    return new Response(xml, {
      headers: { "content-type": "application/atom+xml; charset=utf-8", "cache-control": FEED_CACHE_CONTROL },
    });
  },
);

/**
 * GET /api/articles?q=&tag=&lang=&sort=&page=: the library search (the /{locale}/search page's
 * query, data.ts searchArticles). Signed-in readers also get their last visit per article.
 */
export const listArticles = defineEndpoint(
  { summary: "Search the articles the caller may read by words, tag and language, sorted and paged; signed-in readers also get their last visit per article.", messages: "Search", auth: "optional", query: articleSearchSchema },
  async ({ query, viewer }) => {
    const result = await searchArticles(query, viewer?.id ?? null);
    const pages = Math.ceil(result.total / result.pageSize);
    return ok({ ...result, nextPage: result.page < pages ? result.page + 1 : null });
  },
);

/** Atom 1.0 (RFC 4287). Every text and attribute is escaped; nothing is CDATA. */
export function atomFeed(locale: AppLocale, articles: PublicArticle[], origin: URL): string {
  const t = translatorFor(locale, "Meta");
  const abs = (path: string) => new URL(path, origin).href;
  // A feed with no entries still needs an `updated`: the epoch says "nothing yet" without lying.
  const updated = articles.reduce((latest, a) => (a.updatedAt > latest ? a.updatedAt : latest), new Date(0).toISOString());
  const entries = articles.map((article) => {
    const translation = pickTranslation(article.translations, locale, article.originalLocale);
    const url = abs(readerHref(locale, article.slug));
    // Text in the other language (a missing translation) says so, for screen readers and search.
    const lang = translation && translation.locale !== locale ? ` xml:lang="${escapeXml(translation.locale)}"` : "";
    return [
      `  <entry${lang}>`,
      `    <id>${escapeXml(url)}</id>`,
      `    <title type="text">${escapeXml(translation?.title ?? article.slug)}</title>`,
      translation?.summary ? `    <summary type="text">${escapeXml(translation.summary)}</summary>` : null,
      `    <published>${article.publishedAt}T00:00:00Z</published>`,
      `    <updated>${article.updatedAt}</updated>`,
      `    <link rel="alternate" type="text/html" hreflang="${locale}" href="${escapeXml(url)}"/>`,
      `    <author><name>${escapeXml(article.source)}</name>${article.sourceUrl ? `<uri>${escapeXml(article.sourceUrl)}</uri>` : ""}</author>`,
      translation?.translator ? `    <contributor><name>${escapeXml(translation.translator)}</name></contributor>` : null,
      `  </entry>`,
    ]
      .filter((line) => line !== null)
      .join("\n");
  });
  return [
    `<?xml version="1.0" encoding="utf-8"?>`,
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${locale}">`,
    `  <id>${escapeXml(abs(feedPath(locale)))}</id>`,
    `  <title type="text">${escapeXml(t("feedTitle"))}</title>`,
    `  <subtitle type="text">${escapeXml(t("feedSubtitle"))}</subtitle>`,
    `  <updated>${updated}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(abs(feedPath(locale)))}"/>`,
    `  <link rel="alternate" type="text/html" hreflang="${locale}" href="${escapeXml(abs(`/${locale}`))}"/>`,
    `  <author><name>${escapeXml(t("siteName"))}</name><uri>${escapeXml(abs(`/${locale}`))}</uri></author>`,
    `  <generator>${escapeXml(t("siteName"))}</generator>`,
    ...entries,
    `</feed>`,
    ``,
  ].join("\n");
}

/**
 * Text and attribute values for XML. Characters XML 1.0 cannot carry at all (C0 controls other
 * than tab/newline/CR, lone surrogates, U+FFFE/U+FFFF) are dropped: one would make the whole feed
 * unparseable for every reader.
 */
export function escapeXml(value: string): string {
  return value
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/**
 * GET /api/articles/{slug}/export: the article's folder as a zip (`<slug>/meta.json`, one
 * `<slug>/<locale>.md` a language), exactly what `npm run articles:import` reads back. Anyone who
 * can read the article may export it (a group reading: its members; getArticleFolderContent).
 */
export const exportArticle = defineEndpoint(
  { summary: "The article's folder as a zip (meta.json and one Markdown file per language), for anyone who may read it.", messages: "Reader", auth: "optional", params: { slug: "slug" }, produces: ["application/zip"] },
  async ({ params, viewer, notFound }) => {
    const content = await getArticleFolderContent(params.slug, viewer);
    if (!content) return notFound();
    const files = articleFolderFiles(content);
    const zip = zipTextFiles(Object.fromEntries(Object.entries(files).map(([name, text]) => [`${content.meta.slug}/${name}`, text])));
    return new Response(zip as Uint8Array<ArrayBuffer>, {
      headers: {
        "content-type": "application/zip",
        // The slug is lowercase ASCII and hyphens (the pipeline checked it): safe in a quoted filename.
        "content-disposition": `attachment; filename="${content.meta.slug}.zip"`,
        "cache-control": "no-store",
      },
    });
  },
);
