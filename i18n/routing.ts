import { defineRouting } from "next-intl/routing";

export const routing = defineRouting({
  locales: ["en", "ja"],
  defaultLocale: "en",
  localePrefix: "always",
  // A year-long cookie so an explicit language choice outlives the browser session;
  // next-intl only writes it when the choice differs from Accept-Language.
  localeCookie: { maxAge: 60 * 60 * 24 * 365, sameSite: "lax" },
  // No hreflang `Link` header: next-intl builds it from the request's origin, so behind another
  // host than SITE_URL it contradicts the pages' own canonical and hreflang <link>s (SITE_URL,
  // lib/site-url.ts) and search engines (Lighthouse's canonical audit) see two sets.
  alternateLinks: false,
});

export type AppLocale = (typeof routing.locales)[number];

/** Dates are shown in Japan time on the server and the client alike (no hydration mismatch). */
export const APP_TIME_ZONE = "Asia/Tokyo";
