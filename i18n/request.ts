import { hasLocale } from "next-intl";
import { getRequestConfig } from "next-intl/server";
import { APP_TIME_ZONE, routing } from "./routing";

export default getRequestConfig(async ({ requestLocale }) => {
  const requested = await requestLocale;
  const locale = hasLocale(routing.locales, requested) ? requested : routing.defaultLocale;
  return {
    locale,
    messages: (await import(`../messages/${locale}.json`)).default,
    // A fixed zone keeps server and client renders identical (no hydration mismatch) whatever
    // zone the server runs in; most of our readers are in Japan.
    timeZone: APP_TIME_ZONE,
  };
});
