// The article folder format (ADR 0006): `<slug>/meta.json` and one `<locale>.md` per language.
// It is both the seed's source and the import/export format, so writing a folder is the exact
// inverse of reading one: these functions produce the canonical bytes (2-space JSON in a fixed
// key order, "# Title", paragraphs separated by one blank line, one trailing newline). A folder
// already in this form (the seed is) survives export → import → export byte for byte.

export const META_FILE = "meta.json";
export const textFileName = (locale: string) => `${locale}.md`;

/** What an article folder holds, as the importer reads it and the database keeps it. */
export type ArticleFolderContent = {
  meta: {
    slug: string;
    originalLocale: string;
    source: string;
    sourceUrl?: string;
    author?: string;
    publishedAt: string;
    rightsNote?: string;
    tags?: string[];
    translations: Partial<Record<string, { summary: string; translator?: string }>>;
  };
  titles: Record<string, string>;
  paragraphs: { key: string; position: number; heading?: boolean; text: Record<string, string> }[];
};

/**
 * meta.json with its keys in the documented order, languages sorted, optional keys left out when
 * unset (no tags is no "tags" key). Objects are indented by two spaces, one key a line; arrays
 * (tags) stay on one line, as people write them.
 */
export function formatArticleMeta(meta: ArticleFolderContent["meta"]): string {
  const translations = Object.fromEntries(
    Object.keys(meta.translations)
      .sort()
      .map((locale) => {
        const t = meta.translations[locale]!;
        return [locale, { summary: t.summary, ...(t.translator !== undefined ? { translator: t.translator } : {}) }];
      }),
  );
  const ordered = {
    slug: meta.slug,
    originalLocale: meta.originalLocale,
    source: meta.source,
    ...(meta.sourceUrl !== undefined ? { sourceUrl: meta.sourceUrl } : {}),
    ...(meta.author !== undefined ? { author: meta.author } : {}),
    publishedAt: meta.publishedAt,
    ...(meta.rightsNote !== undefined ? { rightsNote: meta.rightsNote } : {}),
    ...(meta.tags?.length ? { tags: meta.tags } : {}),
    translations,
  };
  return `${formatJson(ordered, "")}\n`;
}

function formatJson(value: unknown, indent: string): string {
  if (Array.isArray(value)) return `[${value.map((item) => JSON.stringify(item)).join(", ")}]`;
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  const entries = Object.entries(value);
  if (entries.length === 0) return "{}";
  const inner = `${indent}  `;
  return `{\n${entries.map(([key, item]) => `${inner}${JSON.stringify(key)}: ${formatJson(item, inner)}`).join(",\n")}\n${indent}}`;
}

/** A language file: the inverse of parseArticleText for text already in canonical form. */
export function formatArticleText(title: string, paragraphs: string[]): string {
  return `${[`# ${title}`, ...paragraphs].join("\n\n")}\n`;
}

/**
 * The folder's files (name → text), paragraphs in position order, one .md per titled language.
 * Paragraph keys are not written: they are positional (ADR 0006), so importing the files gives
 * every paragraph back its key, and with it its id.
 */
export function articleFolderFiles(content: ArticleFolderContent): Record<string, string> {
  const ordered = [...content.paragraphs].sort((a, b) => a.position - b.position);
  const files: Record<string, string> = { [META_FILE]: formatArticleMeta(content.meta) };
  for (const locale of Object.keys(content.titles).sort()) {
    files[textFileName(locale)] = formatArticleText(
      content.titles[locale]!,
      // A heading row is a "## " paragraph (parseArticleText reads it back as one).
      ordered.map((p) => `${p.heading ? "## " : ""}${p.text[locale] ?? ""}`),
    );
  }
  return files;
}
