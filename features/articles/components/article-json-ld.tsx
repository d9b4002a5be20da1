import { getTranslations } from "next-intl/server";
import type { AppLocale } from "@/i18n/routing";
import { siteUrl } from "@/lib/site-url";
import type { ReaderArticle } from "../data";
import { pickTranslation } from "../schema";
import { readerHref, type TextMode } from "../types";

/**
 * schema.org NewsArticle for search engines, as JSON-LD in the cached reader page. The page's
 * Content-Security-Policy lists every inline script by hash, this one included
 * (lib/http/page-cache-handler.mjs, ADR 0015).
 */
export async function ArticleJsonLd({ article, locale, mode }: { article: ReaderArticle; locale: AppLocale; mode: TextMode }) {
  const t = await getTranslations({ locale, namespace: "Meta" });
  const origin = siteUrl();
  const shown = pickTranslation(article.translations, mode === "both" ? locale : mode, article.originalLocale);
  const url = new URL(readerHref(locale, article.slug, mode), origin).href;
  const data = {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    headline: shown?.title ?? article.slug,
    description: shown?.summary,
    datePublished: article.publishedAt,
    inLanguage: shown?.locale,
    url,
    mainEntityOfPage: url,
    isAccessibleForFree: true,
    author: { "@type": "Organization", name: article.source, ...(article.sourceUrl ? { url: article.sourceUrl } : {}) },
    publisher: { "@type": "Organization", name: t("siteName"), url: new URL(`/${locale}`, origin).href },
    ...(shown?.translator ? { translator: { "@type": "Person", name: shown.translator } } : {}),
  };
  return <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonForScript(data) }} />;
}

/** JSON inside <script>: `<` (and `>`, `&`) as \u escapes, so no text can close the element. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");
}
