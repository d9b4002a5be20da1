import { getFormatter, getTranslations } from "next-intl/server";
import type { AppLocale } from "@/i18n/routing";
import { languageName } from "@/lib/i18n/language-names";
import { articleHref } from "@/features/articles/types";
import { vocabularySorts, type VocabularyQuery } from "../schema";
import type { VocabularyEntry } from "../types";

/**
 * The word list: filters as a plain GET form (works before and without JavaScript), export links
 * carrying the same filters, and one entry per term with its reading, meaning and sentences.
 */
export async function VocabularyList({
  locale,
  entries,
  articles,
  query,
}: {
  locale: AppLocale;
  entries: VocabularyEntry[];
  articles: { slug: string; title: string }[];
  query: VocabularyQuery;
}) {
  const t = await getTranslations({ locale, namespace: "Vocabulary" });
  const format = await getFormatter({ locale });
  const filters = new URLSearchParams();
  if (query.article) filters.set("article", query.article);
  if (query.lang) filters.set("lang", query.lang);
  if (query.sort !== "newest") filters.set("sort", query.sort);
  const exportHref = (fileFormat: "anki" | "csv") => `/api/vocabulary/export?${new URLSearchParams([["format", fileFormat], ...filters])}`;

  return (
    <>
      <form className="vocabulary-filters" method="get" action={`/${locale}/vocabulary`}>
        <label>
          {t("filterArticle")}
          <select name="article" defaultValue={query.article ?? ""}>
            <option value="">{t("allArticles")}</option>
            {articles.map((article) => (
              <option key={article.slug} value={article.slug}>
                {article.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("filterLanguage")}
          <select name="lang" defaultValue={query.lang ?? ""}>
            <option value="">{t("allLanguages")}</option>
            <option value="en">{languageName("en")}</option>
            <option value="ja">{languageName("ja")}</option>
          </select>
        </label>
        <label>
          {t("sort")}
          <select name="sort" defaultValue={query.sort}>
            {vocabularySorts.map((sort) => (
              <option key={sort} value={sort}>
                {t(`sorts.${sort}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button-small">
          {t("apply")}
        </button>
      </form>

      <p className="vocabulary-count" data-testid="vocabulary-count">
        {t("count", { count: entries.length })}
      </p>
      {entries.length > 0 && (
        <p className="vocabulary-export">
          <a href={exportHref("anki")} download data-testid="vocabulary-export-anki">
            {t("exportAnki")}
          </a>{" "}
          <a href={exportHref("csv")} download data-testid="vocabulary-export-csv">
            {t("exportCsv")}
          </a>
        </p>
      )}

      {entries.length === 0 ? (
        <p className="empty">{t("empty")}</p>
      ) : (
        <ul className="vocabulary-list">
          {entries.map((entry) => (
            <li key={entry.noteId} className="vocabulary-entry" data-testid="vocabulary-entry">
              <p className="vocabulary-term">
                <span lang={entry.locale} className="vocabulary-word">
                  {entry.term ?? t("wholeParagraph")}
                </span>
                {entry.reading && (
                  <span lang="ja" className="vocabulary-reading" data-testid="vocabulary-reading">
                    {entry.reading}
                  </span>
                )}
              </p>
              {/* The reader's own words, in whatever language they wrote them: no lang claimed. */}
              <p className="vocabulary-meaning">{entry.meaning}</p>
              {entry.sentence && (
                <p className="vocabulary-sentence" lang={entry.locale}>
                  {entry.sentence}
                </p>
              )}
              {entry.otherSentence && (
                <p className="vocabulary-sentence vocabulary-other" lang={entry.otherSentence.locale}>
                  {entry.otherSentence.text}
                </p>
              )}
              <p className="vocabulary-source">
                <a href={`${articleHref(locale, entry.article, entry.locale === "en" || entry.locale === "ja" ? entry.locale : undefined)}#${entry.paragraph.key}`}>
                  {t("source", { title: entry.article.title, number: entry.paragraph.position })}
                </a>{" "}
                · <time dateTime={entry.createdAt}>{format.dateTime(new Date(entry.createdAt), { dateStyle: "medium" })}</time>
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
