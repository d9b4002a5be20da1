import { getTranslations } from "next-intl/server";
import type { AppLocale } from "@/i18n/routing";
import { readerHref, type TextMode } from "../schema";

/** Links, not buttons: each mode is its own shareable URL (?text=en|ja|both). */
export async function TextModeSwitch({ locale, slug, mode }: { locale: AppLocale; slug: string; mode: TextMode }) {
  const t = await getTranslations({ locale, namespace: "Reader" });
  const options: { mode: TextMode; label: string; lang?: string }[] = [
    { mode: "en", label: t("modeEn"), lang: "en" },
    { mode: "ja", label: t("modeJa"), lang: "ja" },
    { mode: "both", label: t("modeBoth") },
  ];
  return (
    <nav className="text-mode" aria-label={t("textModeLabel")}>
      <span className="text-mode-title" aria-hidden="true">
        {t("textMode")}
      </span>
      <ul>
        {options.map((option) => (
          <li key={option.mode}>
            <a
              href={readerHref(locale, slug, option.mode)}
              lang={option.lang}
              aria-current={option.mode === mode ? "page" : undefined}
              data-testid={`text-mode-${option.mode}`}
            >
              {option.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
