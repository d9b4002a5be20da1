import { getTranslations } from "next-intl/server";
import type { AppLocale } from "@/i18n/routing";
import { articleHref, type TextMode } from "../types";

/** Links, not buttons: each mode is its own shareable URL (?text=en|ja|both). */
export async function TextModeSwitch({
  locale,
  slug,
  groupId = null,
  mode,
  previewHref,
  furigana,
}: {
  locale: AppLocale;
  slug: string;
  /** A group reading's links stay on its members-only address (articleHref). */
  groupId?: string | null;
  mode: TextMode;
  /** The editor's preview links to itself (`?text=` on its own address), not to the reader. */
  previewHref?: string;
  /** Kept when switching the text mode (?furigana=1). */
  furigana?: boolean;
}) {
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
              href={previewHref ? `${previewHref}?text=${option.mode}` : articleHref(locale, { slug, groupId }, option.mode, furigana ? { furigana: true } : {})}
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
