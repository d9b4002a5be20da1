import { getFormatter, getTranslations } from "next-intl/server";
import type { AppLocale } from "@/i18n/routing";
import type { SearchedArticle } from "../data";
import type { LibrarySearch } from "../loaders";
import { pickTranslation, SEARCH_QUERY_MAX_LENGTH, searchHref, searchLanguages, searchSorts, type ArticleSearch } from "../schema";
import { articleHref } from "../types";
import { ArticleCardText } from "./article-card-text";
import { ArticleLanguages } from "./article-languages";

// The library search. Plain GET forms and links: searching, filtering and paging work without
// JavaScript, and every result page has its own URL.

/** The home page's search box; the home page is cached, so this is static markup. */
export async function HomeSearchForm({ locale }: { locale: AppLocale }) {
  const t = await getTranslations({ locale, namespace: "Search" });
  return (
    <form className="library-search-home" role="search" method="get" action={`/${locale}/search`}>
      <label htmlFor="home-search-q">{t("homeSearchLabel")}</label>
      <input id="home-search-q" name="q" type="search" maxLength={SEARCH_QUERY_MAX_LENGTH} />
      <button type="submit" className="button">
        {t("homeSearchButton")}
      </button>
    </form>
  );
}

const sortLabels = { relevance: "sortRelevance", newest: "sortNewest", discussed: "sortDiscussed" } as const;
const langLabels = { en: "langEn", ja: "langJa", both: "langBoth" } as const;

export async function LibrarySearchPage({ locale, data }: { locale: AppLocale; data: LibrarySearch }) {
  const t = await getTranslations({ locale, namespace: "Search" });
  const tGroups = await getTranslations({ locale, namespace: "GroupReadings" });
  const search: Partial<ArticleSearch> = data.valid ? data.search : {};
  const pages = data.valid ? Math.max(1, Math.ceil(data.result.total / data.result.pageSize)) : 1;
  return (
    <>
      <h1>{t("heading")}</h1>
      <form className="form library-search-form" role="search" method="get" action={`/${locale}/search`}>
        <div className="field">
          <label htmlFor="search-q">{t("queryLabel")}</label>
          <input id="search-q" name="q" type="search" maxLength={SEARCH_QUERY_MAX_LENGTH} defaultValue={search.q ?? ""} />
        </div>
        <div className="library-search-filters">
          <div className="field">
            <label htmlFor="search-tag">{t("tagLabel")}</label>
            <select id="search-tag" name="tag" defaultValue={search.tag ?? ""}>
              <option value="">{t("anyTag")}</option>
              {data.tags.map((tag) => (
                <option key={tag} value={tag}>
                  {tag}
                </option>
              ))}
            </select>
          </div>
          {data.groups.length > 0 && (
            // Members only: their groups with readings; the filter narrows, it never opens a group.
            <div className="field">
              <label htmlFor="search-group">{tGroups("groupFilterLabel")}</label>
              <select id="search-group" name="group" defaultValue={search.group ?? ""}>
                <option value="">{tGroups("anyGroup")}</option>
                {data.groups.map((group) => (
                  <option key={group.id} value={group.id}>
                    {group.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div className="field">
            <label htmlFor="search-lang">{t("langLabel")}</label>
            <select id="search-lang" name="lang" defaultValue={search.lang ?? ""}>
              <option value="">{t("anyLang")}</option>
              {searchLanguages.map((lang) => (
                <option key={lang} value={lang}>
                  {t(langLabels[lang])}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="search-sort">{t("sortLabel")}</label>
            <select id="search-sort" name="sort" defaultValue={search.sort ?? ""}>
              <option value="">{t(search.q ? "sortRelevance" : "sortNewest")}</option>
              {searchSorts.map((sort) => (
                <option key={sort} value={sort}>
                  {t(sortLabels[sort])}
                </option>
              ))}
            </select>
          </div>
        </div>
        <button type="submit" className="button">
          {t("submit")}
        </button>
      </form>

      <p className="library-search-count" role="status" aria-live="polite" data-testid="search-count">
        {!data.valid
          ? t("invalid")
          : data.search.q
            ? t("resultsFor", { count: data.result.total, query: data.search.q })
            : t("results", { count: data.result.total })}
      </p>

      {data.valid && data.result.items.length > 0 && (
        <ul className="article-list">
          {data.result.items.map((article) => (
            <SearchResult key={article.slug} article={article} locale={locale} />
          ))}
        </ul>
      )}

      {data.valid && pages > 1 && (
        <nav className="pagination" aria-label={t("pagination")}>
          {data.search.page > 1 && (
            <a href={searchHref(locale, { ...data.search, page: data.search.page - 1 })} rel="prev">
              {t("previous")}
            </a>
          )}
          <span>{t("pageOf", { page: data.search.page, pages })}</span>
          {data.search.page < pages && (
            <a href={searchHref(locale, { ...data.search, page: data.search.page + 1 })} rel="next">
              {t("next")}
            </a>
          )}
        </nav>
      )}
    </>
  );
}

async function SearchResult({ article, locale }: { article: SearchedArticle; locale: AppLocale }) {
  const [t, home, continueReading, groupReadings, format] = await Promise.all([
    getTranslations({ locale, namespace: "Search" }),
    getTranslations({ locale, namespace: "Home" }),
    getTranslations({ locale, namespace: "ContinueReading" }),
    getTranslations({ locale, namespace: "GroupReadings" }),
    getFormatter({ locale }),
  ]);
  return (
    <li className="article-card" data-testid="search-result">
      <ArticleCardText article={{ ...article, groupId: article.group?.id ?? null }} locale={locale} />
      {article.group && (
        <p className="article-card-meta" data-testid="group-reading-mark">
          {groupReadings("searchMark", { group: article.group.name })}
        </p>
      )}
      <p className="article-card-meta">
        <time dateTime={article.publishedAt}>
          {home("published", {
            date: format.dateTime(new Date(`${article.publishedAt}T00:00:00Z`), { dateStyle: "long", timeZone: "UTC" }),
          })}
        </time>
        <span data-testid="paragraph-count">{home("paragraphs", { count: article.paragraphCount })}</span>
        <span data-testid="note-count">
          {t("notes", { count: article.noteCount })} ({t("weekNotes", { count: article.weekNoteCount })})
        </span>
      </p>
      <ArticleLanguages translations={article.translations} originalLocale={article.originalLocale} locale={locale} />
      {article.tags.length > 0 && (
        <p className="article-card-languages">
          <span>{t("tags")}</span>
          {article.tags.map((tag) => (
            <a key={tag} className="badge" href={searchHref(locale, { tag })}>
              {tag}
            </a>
          ))}
        </p>
      )}
      {article.continueAt && (
        <p className="article-card-continue">
          <a href={`${articleHref(locale, { slug: article.slug, groupId: article.group?.id ?? null })}#${article.continueAt.key}`} data-testid="continue-reading">
            {continueReading("link", { position: article.continueAt.position })}
            {/* Many cards carry this link: the title tells them apart in a screen reader's list of links. */}
            <span className="visually-hidden"> {continueReading("label", { title: pickTranslation(article.translations, locale, article.originalLocale)?.title ?? article.slug })}</span>
          </a>
        </p>
      )}
    </li>
  );
}
