import type { AppLocale } from "@/i18n/routing";
import type { TextMode } from "./schema";

/**
 * The public reader URL. The default text mode (the page's own language) has no query, so
 * there is one URL per page and mode; the proxy maps it to the internal /[mode] route.
 */
export function readerHref(locale: AppLocale, slug: string, mode?: TextMode): string {
  const base = `/${locale}/articles/${slug}`;
  return !mode || mode === locale ? base : `${base}?text=${mode}`;
}
