import { createTranslator } from "next-intl";
import en from "@/messages/en.json";
import ja from "@/messages/ja.json";
import { APP_TIME_ZONE, routing, type AppLocale } from "@/i18n/routing";

const catalogs = { en, ja } satisfies Record<AppLocale, typeof en>;
type Messages = typeof en;
export type MessageNamespace = keyof Messages;

/**
 * Translations outside a page render (route handlers, API errors). Route handlers run without
 * next-intl's request config, and integration tests call them without Next at all, so this
 * reads the catalogues directly; the keys are typed from en.json.
 */
export function translatorFor<N extends MessageNamespace>(locale: AppLocale, namespace: N) {
  return createTranslator({ locale, messages: catalogs[locale] as Messages, namespace, timeZone: APP_TIME_ZONE });
}

export function isAppLocale(value: unknown): value is AppLocale {
  return typeof value === "string" && (routing.locales as readonly string[]).includes(value);
}
