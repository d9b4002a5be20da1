import "server-only";
import { cache } from "react";
import { findUnstorableText } from "@/lib/text/safe-text";
import { getReadableArticle, getReaderArticle, listArticleTags, listReadingGroups, listPublicArticles, searchArticles, type ArticleSearchResult } from "./data";
import type { Principal } from "@/lib/permissions/core";
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

/**
 * An article for this viewer (the reader APIs, the live stream, the /readings page): a public
 * article from the shared cache, else — signed in only — a group reading of theirs, read per
 * request (ADR 0019). Null, and so a 404, for anything they may not read.
 */
export async function loadReadableArticle(slug: string, principal: Principal) {
  const parsed = slugSchema.safeParse(slug);
  if (!parsed.success) return null;
  return (await getReaderArticle(parsed.data)) ?? (principal ? getReadableArticle(parsed.data, principal.id) : null);
}

/**
 * The /{locale}/readings/{slug} page's article: any article this viewer may read, per request
 * (never from the shared cache, ADR 0019). The page shows group readings and sends a public
 * article (a reading since promoted) to its public address.
 */
export const loadGroupReading = cache(async (slug: string, viewerId: string | null) => {
  const parsed = slugSchema.safeParse(slug);
  if (!parsed.success) return null;
  return getReadableArticle(parsed.data, viewerId);
});

export type LibrarySearch =
  | { valid: true; search: ArticleSearch; result: ArticleSearchResult; tags: string[]; groups: { id: string; name: string }[] }
  | { valid: false; tags: string[]; groups: { id: string; name: string }[] };

/**
 * The /{locale}/search page's data. The URL is parsed with the API's own schema; input it refuses
 * (too long, a repeated parameter, NUL or lone surrogates, an unknown sort) is an empty result
 * with a message on the page, never a database query and never a 500.
 */
export async function loadLibrarySearch(searchParams: Record<string, string | string[] | undefined>, viewerId: string | null): Promise<LibrarySearch> {
  const [tags, groups] = await Promise.all([listArticleTags(), listReadingGroups(viewerId)]);
  const raw: Record<string, string> = {};
  for (const [key, value] of Object.entries(searchParams)) {
    if (Array.isArray(value)) return { valid: false, tags, groups };
    if (value !== undefined) raw[key] = value;
  }
  if (findUnstorableText(raw)) return { valid: false, tags, groups };
  const parsed = articleSearchSchema.safeParse(raw);
  if (!parsed.success) return { valid: false, tags, groups };
  return { valid: true, search: parsed.data, result: await searchArticles(parsed.data, viewerId), tags, groups };
}
