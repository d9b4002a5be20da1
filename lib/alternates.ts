import type { Metadata } from "next";
import { routing, type AppLocale } from "@/i18n/routing";

/** canonical + hreflang links (and x-default) for a page that exists in every locale. */
export function localizedAlternates(
  locale: AppLocale,
  pathFor: (locale: AppLocale) => string,
  canonical = pathFor(locale),
): NonNullable<Metadata["alternates"]> {
  return {
    canonical,
    languages: {
      ...Object.fromEntries(routing.locales.map((l) => [l, pathFor(l)])),
      "x-default": pathFor(routing.defaultLocale),
    },
  };
}

/** The locale's Atom feed of public articles (app/[locale]/feed.xml). */
export function feedPath(locale: AppLocale): string {
  return `/${locale}/feed.xml`;
}

/** `alternates.types` linking the locale's Atom feed, so browsers and readers discover it. */
export function feedAlternate(locale: AppLocale, title: string): NonNullable<Metadata["alternates"]>["types"] {
  return { "application/atom+xml": [{ url: feedPath(locale), title }] };
}
