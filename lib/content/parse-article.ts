// Article content files are Markdown-ish text: a "# Title" line, then paragraphs separated by
// one or more blank lines. Paragraph N of every language file is the same paragraph, so the
// files must have the same number of paragraphs; alignment is by position, not by content.

export type ParsedArticleText = { title: string; paragraphs: string[] };

export class ContentFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ContentFormatError";
  }
}

export function parseArticleText(source: string, fileLabel = "article"): ParsedArticleText {
  // Normalise line endings and strip a BOM so files saved by any editor parse the same.
  const text = source.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const blocks = text
    .split(/\n[ \t]*\n+/)
    .map((block) => block.split("\n").map((line) => line.trim()).join(" ").trim())
    .filter((block) => block.length > 0);
  const [first, ...rest] = blocks;
  if (!first?.startsWith("# ")) {
    throw new ContentFormatError(`${fileLabel}: the first line must be the title, written as "# Title".`);
  }
  const title = first.slice(2).trim();
  if (!title) throw new ContentFormatError(`${fileLabel}: the title is empty.`);
  if (rest.length === 0) throw new ContentFormatError(`${fileLabel}: no paragraphs after the title.`);
  return { title, paragraphs: rest };
}

/** Pairs the paragraphs of every language by position; refuses files that do not align 1:1. */
export function alignParagraphs(
  texts: Record<string, ParsedArticleText>,
): { key: string; position: number; text: Record<string, string> }[] {
  const locales = Object.keys(texts);
  if (locales.length === 0) return [];
  const counts = locales.map((locale) => `${locale}: ${texts[locale]!.paragraphs.length}`);
  const expected = texts[locales[0]!]!.paragraphs.length;
  if (locales.some((locale) => texts[locale]!.paragraphs.length !== expected)) {
    throw new ContentFormatError(`Paragraph counts differ between languages (${counts.join(", ")}).`);
  }
  return Array.from({ length: expected }, (_, index) => ({
    key: paragraphKey(index + 1),
    position: index + 1,
    text: Object.fromEntries(locales.map((locale) => [locale, texts[locale]!.paragraphs[index]!])),
  }));
}

export function paragraphKey(position: number): string {
  return `p-${position}`;
}
