import "server-only";
import { cache } from "react";
import { getReaderArticle, listArticleSummaries, listPublicArticles } from "./data";
import { slugSchema } from "./schema";

// cache() lets generateMetadata and the page share one read per request.
export const loadArticleList = cache(() => listArticleSummaries());

/** What /sitemap.xml may name (data.ts: public articles only). */
export const loadPublicArticles = cache(() => listPublicArticles());

/** Null for slugs that cannot exist, so odd input ("..%2F", unicode) never reaches the database. */
export const loadReaderArticle = cache(async (slug: string) => {
  const parsed = slugSchema.safeParse(slug);
  if (!parsed.success) return null;
  return getReaderArticle(parsed.data);
});
