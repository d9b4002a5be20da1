import { getTranslations } from "next-intl/server";
import type { AppLocale } from "@/i18n/routing";
import { articleHref, type TextMode } from "@/features/articles/types";
import { FuriganaLink } from "./furigana-link";

/**
 * Furigana off / on, as links like the text mode (?furigana=1 is its own cached page, ADR 0037).
 * Following one also remembers the choice for the reader's next articles (FuriganaLink).
 */
export async function FuriganaSwitch({
  locale,
  article,
  mode,
  on,
}: {
  locale: AppLocale;
  article: { slug: string; groupId: string | null };
  mode: TextMode;
  on: boolean;
}) {
  const t = await getTranslations({ locale, namespace: "Reader" });
  const options = [
    { value: false, label: t("furiganaOff") },
    { value: true, label: t("furiganaOn") },
  ];
  return (
    <nav className="text-mode furigana-switch" aria-label={t("furiganaLabel")}>
      <span className="text-mode-title" aria-hidden="true">
        {t("furigana")}
      </span>
      <ul>
        {options.map((option) => (
          <li key={String(option.value)}>
            <FuriganaLink href={articleHref(locale, article, mode, { furigana: option.value })} value={option.value} current={option.value === on}>
              {option.label}
            </FuriganaLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
