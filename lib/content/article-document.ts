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
