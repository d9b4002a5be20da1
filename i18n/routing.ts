import { defineRouting } from "next-intl/routing";

export const routing = defineRouting({
  locales: ["en", "ja"],
  defaultLocale: "en",
  localePrefix: "always",
  // A year-long cookie so an explicit language choice outlives the browser session;
  // next-intl only writes it when the choice differs from Accept-Language.
  localeCookie: { maxAge: 60 * 60 * 24 * 365, sameSite: "lax" },
});

export type AppLocale = (typeof routing.locales)[number];

/** Dates are shown in Japan time on the server and the client alike (no hydration mismatch). */
export const APP_TIME_ZONE = "Asia/Tokyo";
