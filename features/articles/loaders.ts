import "server-only";
import { cache } from "react";
import { findUnstorableText } from "@/lib/text/safe-text";
import { getReaderArticle, listArticleTags, listPublicArticles, searchArticles, type ArticleSearchResult } from "./data";
import { articleSearchSchema, slugSchema, type ArticleSearch } from "./schema";

// cache() lets generateMetadata and the page share one read per request.
export const loadArticleList = cache(() => listPublicArticles());

/** What /sitemap.xml may name (data.ts: public articles only). */
export const loadPublicArticles = cache(() => listPublicArticles());

/** Null for slugs that cannot exist, so odd input ("..%2F", unicode) never reaches the database. */
export const loadReaderArticle = cache(async (slug: string) => {
  const parsed = slugSchema.safeParse(slug);
  if (!parsed.success) return null;
  return getReaderArticle(parsed.data);
});

export type LibrarySearch =
  | { valid: true; search: ArticleSearch; result: ArticleSearchResult; tags: string[] }
  | { valid: false; tags: string[] };

/**
 * The /{locale}/search page's data. The URL is parsed with the API's own schema; input it refuses
 * (too long, a repeated parameter, NUL or lone surrogates, an unknown sort) is an empty result
 * with a message on the page, never a database query and never a 500.
 */
export async function loadLibrarySearch(searchParams: Record<string, string | string[] | undefined>, viewerId: string | null): Promise<LibrarySearch> {
  const tags = await listArticleTags();
  const raw: Record<string, string> = {};
  for (const [key, value] of Object.entries(searchParams)) {
    if (Array.isArray(value)) return { valid: false, tags };
    if (value !== undefined) raw[key] = value;
  }
  if (findUnstorableText(raw)) return { valid: false, tags };
  const parsed = articleSearchSchema.safeParse(raw);
  if (!parsed.success) return { valid: false, tags };
  return { valid: true, search: parsed.data, result: await searchArticles(parsed.data, viewerId), tags };
}
