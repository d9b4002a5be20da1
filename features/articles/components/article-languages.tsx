import { getTranslations } from "next-intl/server";
import type { AppLocale } from "@/i18n/routing";
import { languageName } from "@/lib/i18n/language-names";

/** An article card's languages, the original marked: one rendering for the list and search. */
export async function ArticleLanguages({
  translations,
  originalLocale,
  locale,
}: {
  translations: { locale: string }[];
  originalLocale: string;
  locale: AppLocale;
}) {
  const t = await getTranslations({ locale, namespace: "Home" });
  return (
    <p className="article-card-languages">
      <span>{t("languages")}</span>
      {translations.map((tr) => (
        <span key={tr.locale} lang={tr.locale} className="badge" data-testid="language-badge">
          {languageName(tr.locale)}
          {tr.locale === originalLocale && <span lang={locale}> ({t("original")})</span>}
        </span>
      ))}
    </p>
  );
}
