import { z } from "zod";
import "@/lib/zod-jitless";
import { SLUG_MAX_LENGTH, SLUG_PATTERN } from "@/lib/content/slug";
import type { AppLocale } from "@/i18n/routing";
import { textModes, type TextMode } from "./types";

/** Slugs are lowercase ASCII words joined by hyphens; anything else is a 404 before any query. */
export const slugSchema = z.string().regex(SLUG_PATTERN).max(SLUG_MAX_LENGTH);

export const textModeSchema = z.enum(textModes);

/** `?text=` from the URL: unknown or missing values fall back to the page's own language. */
export function resolveTextMode(requested: string | null | undefined, pageLocale: "en" | "ja"): TextMode {
  const parsed = textModeSchema.safeParse(requested);
  return parsed.success ? parsed.data : pageLocale;
}

/** Tags are short lowercase words joined by hyphens, like slugs: they travel in URLs (?tag=). */
export const TAG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

export const articleMetaSchema = z.object({
  slug: slugSchema,
  originalLocale: z.enum(["en", "ja"]),
  source: z.string().min(1).max(200),
  sourceUrl: z.url().max(2000).optional(),
  /** The article's byline and rights note (e.g. "© Kyodo News, quoted for study"); optional. */
  author: z.string().min(1).max(200).optional(),
  publishedAt: z.iso.date(),
  rightsNote: z.string().min(1).max(500).optional(),
  /** Topic tags the library filters on; absent means none. */
  tags: z.array(z.string().regex(TAG_PATTERN)).max(20).optional(),
  /**
   * The languages the article has. One may be missing (a translation not written yet: readers
   * see the available one); the original language must be there (checked with its text file).
   */
  translations: z
    .partialRecord(z.enum(["en", "ja"]), z.object({ summary: z.string().min(1).max(1000), translator: z.string().max(200).optional() }))
    .refine((translations) => Object.keys(translations).length > 0, { error: "at least one language is needed" }),
});
export type ArticleMeta = z.infer<typeof articleMetaSchema>;

/** The translation to show in a language: its own, else the original, else any. */
export function pickTranslation<T extends { locale: string }>(translations: T[], locale: string, originalLocale: string): T | undefined {
  return translations.find((t) => t.locale === locale) ?? translations.find((t) => t.locale === originalLocale) ?? translations[0];
}

// ── Library search (/{locale}/search and GET /api/articles). Every input is bounded here, so
// nothing unbounded reaches the one search statement in data.ts.

export const SEARCH_QUERY_MAX_LENGTH = 200;
export const SEARCH_PAGE_MAX = 1000;
export const SEARCH_PAGE_SIZE = 20;
/** Without `sort`: relevance when there is a query, else newest. */
export const searchSorts = ["relevance", "newest", "discussed"] as const;
export type SearchSort = (typeof searchSorts)[number];
/** `lang=ja`: a Japanese text exists; `both`: both languages exist. */
export const searchLanguages = ["en", "ja", "both"] as const;
export type SearchLanguage = (typeof searchLanguages)[number];

// An empty form field (`?tag=`) means "no filter", like a missing one.
const blankAsMissing = (value: unknown) => (value === "" ? undefined : value);

export const articleSearchSchema = z.object({
  q: z.preprocess(
    (value) => (typeof value === "string" ? value.trim() : value),
    z.string().max(SEARCH_QUERY_MAX_LENGTH, { error: "queryTooLong" }),
  ).optional().default(""),
  tag: z.preprocess(blankAsMissing, z.string().regex(TAG_PATTERN, { error: "badTag" }).optional()),
  /** A group's readings only (members: the filter cannot open a group, readableArticles still applies). */
  group: z.preprocess(blankAsMissing, z.uuid({ error: "badGroup" }).optional()),
  lang: z.preprocess(blankAsMissing, z.enum(searchLanguages, { error: "badLanguage" }).optional()),
  sort: z.preprocess(blankAsMissing, z.enum(searchSorts, { error: "badSort" }).optional()),
  page: z.preprocess(
    blankAsMissing,
    z.coerce.number({ error: "badPage" }).int({ error: "badPage" }).min(1, { error: "badPage" }).max(SEARCH_PAGE_MAX, { error: "badPage" }).optional().default(1),
  ),
});
export type ArticleSearch = z.infer<typeof articleSearchSchema>;

/** The search page's URL for a search (defaults left out, so one search has one URL). */
export function searchHref(locale: AppLocale, search: Partial<ArticleSearch>): string {
  const params = new URLSearchParams();
  if (search.q) params.set("q", search.q);
  if (search.tag) params.set("tag", search.tag);
  if (search.group) params.set("group", search.group);
  if (search.lang) params.set("lang", search.lang);
  if (search.sort) params.set("sort", search.sort);
  if (search.page && search.page > 1) params.set("page", String(search.page));
  const query = params.toString();
  return `/${locale}/search${query ? `?${query}` : ""}`;
}
