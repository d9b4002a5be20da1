import "server-only";
import type { AppLocale } from "@/i18n/routing";
import { feedPath } from "@/lib/alternates";
import { defineEndpoint } from "@/lib/http/endpoint";
import { isAppLocale, translatorFor } from "@/lib/i18n/translator";
import { siteUrl } from "@/lib/site-url";
import { listPublicArticles, type PublicArticle } from "./data";
import { pickTranslation, readerHref } from "./schema";

// Discovery of public articles: the Atom feed per locale, behind app/[locale]/feed.xml/route.ts.

/** Feed readers poll; five minutes matches the article data cache (data.ts). */
const FEED_CACHE_CONTROL = "public, max-age=300";

/**
 * GET /{locale}/feed.xml: an Atom 1.0 feed of the public articles, titled in the feed's locale.
 * The locale arrives as a path parameter; the pipeline only checks its shape (a "slug": short
 * lowercase ASCII), so an unknown locale is answered here with the pipeline's own 404.
 */
export const getArticleFeed = defineEndpoint(
  { messages: "Meta", auth: "none", params: { locale: "slug" } },
  async ({ params, notFound }) => {
    if (!isAppLocale(params.locale)) return notFound();
    const xml = atomFeed(params.locale, await listPublicArticles(), siteUrl());
    return new Response(xml, {
      headers: { "content-type": "application/atom+xml; charset=utf-8", "cache-control": FEED_CACHE_CONTROL },
    });
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
