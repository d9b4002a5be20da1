import { z } from "zod";
import "@/lib/zod-jitless";
import { SLUG_MAX_LENGTH, SLUG_PATTERN } from "@/lib/content/slug";
import type { AppLocale } from "@/i18n/routing";

/** Slugs are lowercase ASCII words joined by hyphens; anything else is a 404 before any query. */
export const slugSchema = z.string().regex(SLUG_PATTERN).max(SLUG_MAX_LENGTH);

export const textModes = ["en", "ja", "both"] as const;
export type TextMode = (typeof textModes)[number];
export const textModeSchema = z.enum(textModes);

/** `?text=` from the URL: unknown or missing values fall back to the page's own language. */
export function resolveTextMode(requested: string | null | undefined, pageLocale: "en" | "ja"): TextMode {
  const parsed = textModeSchema.safeParse(requested);
  return parsed.success ? parsed.data : pageLocale;
}

export const articleMetaSchema = z.object({
  slug: slugSchema,
  originalLocale: z.enum(["en", "ja"]),
  source: z.string().min(1).max(200),
  sourceUrl: z.url().max(2000).optional(),
  publishedAt: z.iso.date(),
  translations: z.record(
    z.enum(["en", "ja"]),
    z.object({ summary: z.string().min(1).max(1000), translator: z.string().max(200).optional() }),
  ),
});
export type ArticleMeta = z.infer<typeof articleMetaSchema>;

/**
 * The public reader URL. The default text mode (the page's own language) has no query, so
 * there is one URL per page and mode; the proxy maps it to the internal /[mode] route.
 */
export function readerHref(locale: AppLocale, slug: string, mode?: TextMode): string {
  const base = `/${locale}/articles/${slug}`;
  return !mode || mode === locale ? base : `${base}?text=${mode}`;
}

/** The translation to show in a language: its own, else the original, else any. */
export function pickTranslation<T extends { locale: string }>(translations: T[], locale: string, originalLocale: string): T | undefined {
  return translations.find((t) => t.locale === locale) ?? translations.find((t) => t.locale === originalLocale) ?? translations[0];
}
