// The one shape of an article's content outside the live tables: an editor's draft
// (article_draft.document), what publishing applies, what a revision keeps (article_revision.
// snapshot), and what the import turns an article folder into. Languages are aligned row by row:
// row N of every language is paragraph N.

export type ContentLocale = "en" | "ja";
export const CONTENT_LOCALES: readonly ContentLocale[] = ["en", "ja"];

export type DocumentTranslation = { title: string; summary: string; translator?: string };

export type DocumentMeta = {
  slug: string;
  originalLocale: ContentLocale;
  source: string;
  sourceUrl?: string;
  /** The article's byline. */
  author?: string;
  /** The source's publication date, YYYY-MM-DD. */
  publishedAt: string;
  rightsNote?: string;
  tags: string[];
  /** The languages the article has; a language without a translation has no text yet. */
  translations: Partial<Record<ContentLocale, DocumentTranslation>>;
};

export type DocumentRow = {
  /**
   * The paragraph key this row came from when it was loaded from the live article (a hint for
   * the editor's UI only: publishing matches paragraphs by content, ADR 0018).
   */
  key?: string;
  heading: boolean;
  /** One entry per language of meta.translations; "" is an empty cell (misaligned). */
  text: Partial<Record<ContentLocale, string>>;
};

export type ArticleDocument = { meta: DocumentMeta; rows: DocumentRow[] };

/** A revision's copy of the text as published: rows with the keys publishing assigned. */
export type RevisionSnapshot = {
  meta: DocumentMeta;
  paragraphs: { key: string; heading: boolean; text: Partial<Record<ContentLocale, string>> }[];
};

/**
 * Why a document cannot be published (or imported) as it is; row is a 0-based index into rows.
 * - noLanguages: meta.translations is empty;
 * - noRows: there is no paragraph;
 * - missingTitle: a language has no title;
 * - emptyCell: a language of meta.translations has no text in a row (the rows would misalign);
 * - counts: the languages have different numbers of non-empty paragraphs (counts per language).
 */
export type AlignmentProblem = {
  kind: "noLanguages" | "noRows" | "missingTitle" | "emptyCell" | "counts";
  row?: number;
  locale?: ContentLocale;
  counts?: Partial<Record<ContentLocale, number>>;
};

/** The languages a document has (those of meta.translations), in CONTENT_LOCALES order. */
export function documentLocales(document: { meta: Pick<DocumentMeta, "translations"> }): ContentLocale[] {
  return CONTENT_LOCALES.filter((locale) => document.meta.translations[locale] !== undefined);
}

/**
 * The one alignment rule, for publishing and for the import alike: every language of
 * meta.translations has a title and a non-empty text in every row. An empty list means the
 * document may be published. A document with one language is aligned by definition.
 */
export function alignmentProblems(document: { meta: Pick<DocumentMeta, "translations">; rows: DocumentRow[] }): AlignmentProblem[] {
  const locales = documentLocales(document);
  const problems: AlignmentProblem[] = [];
  if (locales.length === 0) problems.push({ kind: "noLanguages" });
  if (document.rows.length === 0) problems.push({ kind: "noRows" });
  for (const locale of locales) {
    if (!document.meta.translations[locale]!.title.trim()) problems.push({ kind: "missingTitle", locale });
  }
  const counts: Partial<Record<ContentLocale, number>> = Object.fromEntries(locales.map((locale) => [locale, 0]));
  document.rows.forEach((row, index) => {
    for (const locale of locales) {
      if (row.text[locale]?.trim()) counts[locale]! += 1;
      else problems.push({ kind: "emptyCell", row: index, locale });
    }
  });
  if (new Set(Object.values(counts)).size > 1) problems.push({ kind: "counts", counts });
  return problems;
}
