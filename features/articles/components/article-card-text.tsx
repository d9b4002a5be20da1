import { PhraseText } from "@/components/phrase-text";
import { Link } from "@/components/link";
import type { AppLocale } from "@/i18n/routing";
import { pickTranslation } from "../schema";
import { articleHref } from "../types";

/**
 * An article card's title (linking to the reader) and summary, in the reader's language when the
 * article has it, else the original: one rendering for the home list and the search results.
 */
export function ArticleCardText({
  article,
  locale,
}: {
  article: { slug: string; groupId?: string | null; originalLocale: string; translations: { locale: string; title: string; summary: string }[] };
  locale: AppLocale;
}) {
  const shown = pickTranslation(article.translations, locale, article.originalLocale);
  const lang = shown?.locale ?? article.originalLocale;
  return (
    <>
      <h2 className="article-card-title" lang={lang}>
        {article.groupId ? (
          // A group reading lives at its members-only address (ADR 0019).
          <a href={articleHref(locale, { slug: article.slug, groupId: article.groupId })}>
            <PhraseText text={shown?.title ?? article.slug} locale={lang} />
          </a>
        ) : (
          <Link href={`/articles/${article.slug}`} locale={locale}>
            <PhraseText text={shown?.title ?? article.slug} locale={lang} />
          </Link>
        )}
      </h2>
      {shown?.summary && (
        <p className="article-card-summary" lang={lang}>
          <PhraseText text={shown.summary} locale={lang} />
        </p>
      )}
    </>
  );
}
