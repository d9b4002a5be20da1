import { getFormatter, getTranslations } from "next-intl/server";
import type { AppLocale } from "@/i18n/routing";
import type { ArticleSummary } from "../data";
import { ArticleCardText } from "./article-card-text";
import { ArticleLanguages } from "./article-languages";

export async function ArticleList({ articles, locale }: { articles: ArticleSummary[]; locale: AppLocale }) {
  const t = await getTranslations({ locale, namespace: "Home" });
  const format = await getFormatter({ locale });
  if (articles.length === 0) return <p>{t("empty")}</p>;
  return (
    <ul className="article-list">
      {articles.map((article) => {
        return (
          <li key={article.slug} className="article-card" data-testid="article-card">
            <ArticleCardText article={article} locale={locale} />
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
