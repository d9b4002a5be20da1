import { isValidSlug } from "@/lib/content/slug";

/**
 * Maps the public reader URL (/{locale}/articles/{slug}?text=mode) to the internal route
 * /{locale}/articles/{slug}/{mode}. Unknown or missing modes fall back to the page's locale, so
 * `?text=garbage` shows the default text instead of an error. Returns null for other paths and
 * for slugs that cannot exist: those fall through to the uncached catch-all 404, so odd or
 * enormous slugs never become cache entries (or file names) of the cached reader route.
 */
export function readerRewritePath(pathname: string, text: string | null): string | null {
  const match = pathname.match(/^\/(en|ja)\/articles\/([^/]+)\/?$/);
  if (!match) return null;
  const [, locale, slug] = match;
  if (!isValidSlug(slug!)) return null;
  const mode = text === "en" || text === "ja" || text === "both" ? text : locale;
  return `/${locale}/articles/${slug}/${mode}`;
}
