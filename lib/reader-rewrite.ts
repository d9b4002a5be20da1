import { isValidSlug } from "@/lib/content/slug";

/** The internal route segment's suffix for the furigana variant of a text mode. */
export const FURIGANA_SUFFIX = "-furigana";

/** The cookie that remembers a reader's furigana choice (set by the toggle, read by the proxy). */
export const FURIGANA_COOKIE = "taiyaku-furigana";

/**
 * `?furigana=` and the remembered choice → whether the page shows furigana, and whether the
 * address should first say so: a reader who turned furigana on gets `?furigana=1` added, so the
 * cached page for an address is the same for everyone (no cookie-dependent HTML).
 */
export function furiganaChoice(param: string | null, cookie: string | undefined): { on: boolean; addToUrl: boolean } {
  if (param === "1") return { on: true, addToUrl: false };
  if (param !== null) return { on: false, addToUrl: false };
  return cookie === "1" ? { on: true, addToUrl: true } : { on: false, addToUrl: false };
}

/**
 * Maps the public reader URL (/{locale}/articles/{slug}?text=mode) to the internal route
 * /{locale}/articles/{slug}/{mode}, or /{mode}-furigana with readings over the kanji (ADR 0037). Unknown or missing modes fall back to the page's locale, so
 * `?text=garbage` shows the default text instead of an error. Returns null for other paths and
 * for slugs that cannot exist: those fall through to the uncached catch-all 404, so odd or
 * enormous slugs never become cache entries (or file names) of the cached reader route.
 */
export function readerRewritePath(pathname: string, text: string | null, furigana = false): string | null {
  const match = pathname.match(/^\/(en|ja)\/articles\/([^/]+)\/?$/);
  if (!match) return null;
  const [, locale, slug] = match;
  if (!isValidSlug(slug!)) return null;
  const mode = text === "en" || text === "ja" || text === "both" ? text : locale;
  return `/${locale}/articles/${slug}/${mode}${furigana ? FURIGANA_SUFFIX : ""}`;
}
