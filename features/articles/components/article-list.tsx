import { getFormatter, getTranslations } from "next-intl/server";
import type { AppLocale } from "@/i18n/routing";
import type { ArticleSummary } from "../data";
import { searchHref } from "../schema";
import { ArticleCardText } from "./article-card-text";
import { ArticleLanguages } from "./article-languages";
import { ContinueReadingLinks } from "./continue-reading-links";

/**
 * Cards on the home page: the newest ones. The whole library is the search page's list (paged,
 * /{locale}/search?sort=newest); a home page of every card would grow without bound (1,000
 * articles are 2.7 MB of HTML).
 */
export const HOME_LIST_SIZE = 30;

export async function ArticleList({ articles: all, locale }: { articles: ArticleSummary[]; locale: AppLocale }) {
  const t = await getTranslations({ locale, namespace: "Home" });
  const more = await getTranslations({ locale, namespace: "LibraryList" });
  const articles = all.slice(0, HOME_LIST_SIZE);
  const format = await getFormatter({ locale });
  if (articles.length === 0) return <p>{t("empty")}</p>;
  return (
    <>
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
              <div className="article-card-footer">
                <ArticleLanguages translations={article.translations} originalLocale={article.originalLocale} locale={locale} />
                {/* Filled after load for a signed-in reader ("continue reading at ¶N"): the page is cached for everyone. */}
                <span className="article-card-continue-slot" data-continue-slot={article.slug} />
              </div>
            </li>
          );
        })}
      </ul>
      {all.length > articles.length && (
        <p className="article-list-more">
          <a href={searchHref(locale, { sort: "newest" })} data-testid="all-articles">
            {more("allArticles", { count: all.length })}
          </a>
        </p>
      )}
      <ContinueReadingLinks />
    </>
  );
}
