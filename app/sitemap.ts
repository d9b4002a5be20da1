import type { MetadataRoute } from "next";
import { loadPublicArticles } from "@/features/articles/loaders";
import { readerHref } from "@/features/articles/types";
import { routing, type AppLocale } from "@/i18n/routing";
import { siteUrl } from "@/lib/site-url";

// /sitemap.xml: the locale home pages and every public article in every locale, each with its
// hreflang alternates. Rendered per request (the build has no database); the article list
// itself comes from the data cache.
export const dynamic = "force-dynamic";

export default async function sitemap(): Promise<MetadataRoute.Sitemap> {
  const origin = siteUrl();
  const abs = (path: string) => new URL(path, origin).href;
  const languages = (pathFor: (locale: AppLocale) => string) => ({
    languages: {
      ...Object.fromEntries(routing.locales.map((l) => [l, abs(pathFor(l))])),
      "x-default": abs(pathFor(routing.defaultLocale)),
    },
  });
  const articles = await loadPublicArticles();
  const newest = articles.map((a) => a.updatedAt).sort().at(-1);
  return [
    ...routing.locales.map((locale) => ({
      url: abs(`/${locale}`),
      ...(newest ? { lastModified: newest } : {}),
      changeFrequency: "daily" as const,
      alternates: languages((l) => `/${l}`),
    })),
    ...articles.flatMap((article) =>
      routing.locales.map((locale) => ({
        url: abs(readerHref(locale, article.slug)),
        lastModified: article.updatedAt,
        alternates: languages((l) => readerHref(l, article.slug)),
      })),
    ),
  ];
}
