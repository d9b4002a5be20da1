// Zod-free article helpers: what client components import (check:features keeps zod, and so
// schema.ts, out of the browser's first load). schema.ts builds its schemas on these.
import type { AppLocale } from "@/i18n/routing";

export const textModes = ["en", "ja", "both"] as const;
export type TextMode = (typeof textModes)[number];

/**
 * The public reader URL. The default text mode (the page's own language) has no query, so
 * there is one URL per page and mode; the proxy maps it to the internal /[mode] route.
 */
export function readerHref(locale: AppLocale, slug: string, mode?: TextMode, options: ReaderOptions = {}): string {
  return withReaderQuery(`/${locale}/articles/${slug}`, locale, mode, options);
}

/** Reader options kept in the address besides the text mode. */
export type ReaderOptions = {
  /** Readings over the kanji: true → `furigana=1`; false → `furigana=0` (overrides a remembered choice); absent → nothing. */
  furigana?: boolean;
};

function withReaderQuery(base: string, locale: AppLocale, mode: TextMode | undefined, options: ReaderOptions): string {
  const query = new URLSearchParams();
  if (mode && mode !== locale) query.set("text", mode);
  if (options.furigana !== undefined) query.set("furigana", options.furigana ? "1" : "0");
  const search = query.toString();
  return search ? `${base}?${search}` : base;
}

/**
 * The link to any article a reader may open: public articles at their cached reader URL, group
 * readings at `/{locale}/readings/{slug}` (rendered per request for members only, ADR 0019). Use
 * it for every link that may point at a group reading; `readerHref` is for public articles only.
 */
export function articleHref(locale: AppLocale, article: { slug: string; groupId: string | null }, mode?: TextMode, options: ReaderOptions = {}): string {
  if (article.groupId === null) return readerHref(locale, article.slug, mode, options);
  return withReaderQuery(`/${locale}/readings/${article.slug}`, locale, mode, options);
}
