// What the export reads of a note and of its article. Plain data: the writers (lib/export and
// ./loaders.ts) never see a database row.

/**
 * The file formats. Here, not in schema.ts: the export control imports them in the browser, and
 * schema.ts would bring zod (~32 KB gzipped) into every page that shows the control.
 */
export const EXPORT_FORMATS = ["jsonld", "markdown", "csv", "readwise"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export type ExportNote = {
  id: string;
  articleId: string;
  articleSlug: string;
  paragraphKey: string;
  /** Reading order of the paragraph (Readwise "Location"); <= 0 for a paragraph a revision removed. */
  paragraphPosition: number;
  parentId: string | null;
  rootId: string | null;
  depth: number;
  kind: "comment" | "annotation";
  locale: string;
  visibility: "private" | "public" | "group";
  status: "visible" | "pending" | "hidden";
  group: { id: string; name: string } | null;
  tag: string | null;
  body: string;
  quote: { exact: string; prefix: string; suffix: string; start: number; end: number } | null;
  author: { id: string; name: string };
  createdAt: Date;
  editedAt: Date | null;
  via: string | null;
};

export type ExportArticle = {
  id: string;
  slug: string;
  /** locale → title. */
  titles: Record<string, string>;
  originalLocale: string;
  /** The article's byline (the source's author), if any. */
  byline: string | null;
  source: string;
  sourceUrl: string | null;
};

/** The keyset position after a note: where the next batch starts. */
export type ExportCursor = {
  slug: string;
  position: number;
  threadCreatedAt: Date;
  threadId: string;
  reply: number;
  createdAt: Date;
  id: string;
};
