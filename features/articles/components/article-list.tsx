import { getFormatter, getTranslations } from "next-intl/server";
import { PhraseText } from "@/components/phrase-text";
import { Link } from "@/i18n/navigation";
import type { AppLocale } from "@/i18n/routing";
import type { ArticleSummary } from "../data";
import { ArticleLanguages } from "./article-languages";

export async function ArticleList({ articles, locale }: { articles: ArticleSummary[]; locale: AppLocale }) {
  const t = await getTranslations({ locale, namespace: "Home" });
  const format = await getFormatter({ locale });
  if (articles.length === 0) return <p>{t("empty")}</p>;
  return (
    <ul className="article-list">
      {articles.map((article) => {
        // Prefer the reader's language; fall back to the original when no translation exists.
        const shown =
          article.translations.find((tr) => tr.locale === locale) ??
          article.translations.find((tr) => tr.locale === article.originalLocale) ??
          article.translations[0];
        const lang = shown?.locale ?? article.originalLocale;
        return (
          <li key={article.slug} className="article-card" data-testid="article-card">
            <h2 className="article-card-title" lang={lang}>
              <Link href={`/articles/${article.slug}`} locale={locale}>
                <PhraseText text={shown?.title ?? article.slug} locale={lang} />
              </Link>
            </h2>
            {shown?.summary && (
              <p className="article-card-summary" lang={lang}>
                <PhraseText text={shown.summary} locale={lang} />
              </p>
            )}
            <p className="article-card-meta">
              <span>{t("source", { source: article.source })}</span>
              <time dateTime={article.publishedAt}>
                {t("published", {
                  date: format.dateTime(new Date(`${article.publishedAt}T00:00:00Z`), { dateStyle: "long", timeZone: "UTC" }),
                })}
              </time>
              <span data-testid="paragraph-count">{t("paragraphs", { count: article.paragraphCount })}</span>
            </p>
            <ArticleLanguages translations={article.translations} originalLocale={article.originalLocale} locale={locale} />
          </li>
        );
      })}
    </ul>
  );
}
