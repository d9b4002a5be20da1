"use client";

import { useTranslations } from "next-intl";
import type { MouseEvent } from "react";
import { routing, type AppLocale } from "@/i18n/routing";
import { languageName } from "@/lib/i18n/language-names";

/**
 * Plain links, not client-side navigation: the document request lets the proxy store the
 * choice in the locale cookie. The current paragraph anchor (#p-7) only exists in the browser,
 * so it is appended at click time.
 */
export function LocaleSwitcher({ current, hrefs }: { current: AppLocale; hrefs: Record<AppLocale, string> }) {
  const t = useTranslations("Header");

  function keepAnchor(event: MouseEvent<HTMLAnchorElement>) {
    const hash = window.location.hash;
    if (!hash || event.defaultPrevented || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    window.location.assign(event.currentTarget.href.split("#")[0] + hash);
  }

  return (
    <nav aria-label={t("languageNav")} className="locale-switcher">
      <ul>
        {routing.locales.map((locale) => (
          <li key={locale}>
            {locale === current ? (
              <span aria-current="true" lang={locale} className="locale-current">
                {languageName(locale)}
              </span>
            ) : (
              <a
                href={hrefs[locale]}
                hrefLang={locale}
                lang={locale}
                onClick={keepAnchor}
                title={t("switchTo", { language: languageName(locale) })}
                data-testid={`switch-locale-${locale}`}
              >
                {languageName(locale)}
              </a>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}
