import "server-only";
import { unstable_cache } from "next/cache";
import { getPrisma } from "@/lib/db/prisma";

// Reads return plain, serialisable objects (ISO date strings): they pass through the data cache,
// which stores JSON, so a Date would come back as a string anyway.

export type ArticleSummary = {
  slug: string;
  originalLocale: string;
  source: string;
  publishedAt: string;
  paragraphCount: number;
  translations: { locale: string; title: string; summary: string }[];
};

export type ReaderArticle = {
  id: string;
  slug: string;
  originalLocale: string;
  source: string;
  sourceUrl: string | null;
  publishedAt: string;
  translations: { locale: string; title: string; summary: string; translator: string | null }[];
  paragraphs: { id: string; key: string; position: number; text: Record<string, string> }[];
};

export const articleTags = {
  all: "articles",
  one: (slug: string) => `article:${slug}`,
};

async function queryArticleSummaries(): Promise<ArticleSummary[]> {
  const rows = await getPrisma().article.findMany({
    orderBy: [{ publishedAt: "desc" }, { slug: "asc" }],
    select: {
      slug: true,
      originalLocale: true,
      source: true,
      publishedAt: true,
      translations: { select: { locale: true, title: true, summary: true }, orderBy: { locale: "asc" } },
      // Paragraphs dropped from the content are parked at positions <= 0, never deleted.
      _count: { select: { paragraphs: { where: { position: { gt: 0 } } } } },
    },
  });
  return rows.map(({ _count, publishedAt, ...row }) => ({
    ...row,
    publishedAt: publishedAt.toISOString().slice(0, 10),
    paragraphCount: _count.paragraphs,
  }));
}

async function queryReaderArticle(slug: string): Promise<ReaderArticle | null> {
  const row = await getPrisma().article.findUnique({
    where: { slug },
    select: {
      id: true,
      slug: true,
      originalLocale: true,
      source: true,
      sourceUrl: true,
      publishedAt: true,
      translations: { select: { locale: true, title: true, summary: true, translator: true }, orderBy: { locale: "asc" } },
      paragraphs: {
        where: { position: { gt: 0 } },
        orderBy: { position: "asc" },
        select: { id: true, key: true, position: true, texts: { select: { locale: true, text: true } } },
      },
    },
  });
  if (!row) return null;
  return {
    ...row,
    publishedAt: row.publishedAt.toISOString().slice(0, 10),
    paragraphs: row.paragraphs.map(({ texts, ...paragraph }) => ({
      ...paragraph,
      text: Object.fromEntries(texts.map((t) => [t.locale, t.text])),
    })),
  };
}

export const listArticleSummaries = unstable_cache(queryArticleSummaries, ["article-summaries"], {
  tags: [articleTags.all],
  revalidate: 300,
});

export function getReaderArticle(slug: string): Promise<ReaderArticle | null> {
  return unstable_cache(() => queryReaderArticle(slug), ["reader-article", slug], {
    tags: [articleTags.all, articleTags.one(slug)],
    revalidate: 300,
  })();
}

/** An article as feeds, the sitemap and search engines may list it. */
export type PublicArticle = {
  slug: string;
  originalLocale: string;
  source: string;
  sourceUrl: string | null;
  /** The source's publication date (YYYY-MM-DD). */
  publishedAt: string;
  /** Last change to the article or any of its translations (ISO timestamp). */
  updatedAt: string;
  translations: { locale: string; title: string; summary: string; translator: string | null }[];
};

async function queryPublicArticles(): Promise<PublicArticle[]> {
  // Every article is public today. When issue 11 adds unpublished drafts and group-only
  // readings, they MUST be excluded in this query: the Atom feeds, /sitemap.xml and the
  // discovery metadata list exactly what this returns, and a feed cannot be un-published.
  const rows = await getPrisma().article.findMany({
    orderBy: [{ publishedAt: "desc" }, { slug: "asc" }],
    select: {
      slug: true,
      originalLocale: true,
      source: true,
      sourceUrl: true,
      publishedAt: true,
      updatedAt: true,
      translations: {
        select: { locale: true, title: true, summary: true, translator: true, updatedAt: true },
        orderBy: { locale: "asc" },
      },
    },
  });
  return rows.map(({ publishedAt, updatedAt, translations, ...row }) => ({
    ...row,
    publishedAt: publishedAt.toISOString().slice(0, 10),
    updatedAt: new Date(Math.max(updatedAt.getTime(), ...translations.map((t) => t.updatedAt.getTime()))).toISOString(),
    translations: translations.map(({ updatedAt: _updated, ...translation }) => translation),
  }));
}

/** What the Atom feeds and /sitemap.xml list: public articles only, newest first. */
export const listPublicArticles = unstable_cache(queryPublicArticles, ["public-articles"], {
  tags: [articleTags.all],
  revalidate: 300,
});
