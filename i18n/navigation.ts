import { redirect as nextRedirect } from "next/navigation";
import type { AppLocale } from "./routing";

// Localized paths and redirects, written out rather than taken from next-intl's createNavigation:
// that module references next-intl's client Link, and a client reference anywhere in a page's
// server graph ships with the page, bringing next/link (~4 KB gzipped) into every first load
// (ADR 0038). With `localePrefix: "always"` and no localized pathnames, a localized path is just
// the locale in front.

export type Href = string | { pathname: string; query?: Record<string, string | number | undefined>; hash?: string };

/** "/groups" (or { pathname, query, hash }) in `locale`: "/en/groups?…#…". */
export function getPathname({ href, locale }: { href: Href; locale: AppLocale }): string {
  const { pathname, query, hash } = typeof href === "string" ? { pathname: href, query: undefined, hash: undefined } : href;
  const path = pathname === "/" ? `/${locale}` : pathname.startsWith("/") ? `/${locale}${pathname}` : `/${locale}/${pathname}`;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) params.set(key, String(value));
  const search = params.size ? `?${params}` : "";
  return `${path}${search}${hash ? `#${hash}` : ""}`;
}

/** next/navigation's redirect to a localized path. */
export function redirect(args: { href: Href; locale: AppLocale }): never {
  return nextRedirect(getPathname(args));
}
