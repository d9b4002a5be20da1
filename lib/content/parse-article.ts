import { alignmentProblems, CONTENT_LOCALES, type AlignmentProblem, type ContentLocale, type DocumentRow } from "./article-document";

// Article content files are Markdown-ish text: a "# Title" line, then paragraphs separated by
// one or more blank lines. Paragraph N of every language file is the same paragraph, so the
// files must have the same number of paragraphs; alignment is by position, not by content.
// Paragraph identity across edits is not positional: publishing matches by content (ADR 0018).

/** headings[i]: paragraph i was written as a "## " line (absent when the file has no heading). */
export type ParsedArticleText = { title: string; paragraphs: string[]; headings?: boolean[] };

/** A heading row is written as a "## " paragraph in the language files. */
export const HEADING_PREFIX = "## ";

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
  const headings = rest.map((block) => block.startsWith(HEADING_PREFIX) && block.length > HEADING_PREFIX.length);
  const paragraphs = rest.map((block, index) => (headings[index] ? block.slice(HEADING_PREFIX.length).trim() : block));
  return { title, paragraphs, ...(headings.some(Boolean) ? { headings } : {}) };
}

/**
 * Pairs the paragraphs of every language by position into document rows, and refuses files that
 * break the alignment rule (alignmentProblems: the same rule publishing applies).
 */
export function alignParagraphs(texts: Partial<Record<ContentLocale, ParsedArticleText>>): DocumentRow[] {
  const locales = CONTENT_LOCALES.filter((locale) => texts[locale] !== undefined);
  const length = Math.max(0, ...locales.map((locale) => texts[locale]!.paragraphs.length));
  const rows: DocumentRow[] = Array.from({ length }, (_, index) => ({
    heading: locales.some((locale) => texts[locale]!.headings?.[index] === true),
    text: Object.fromEntries(locales.map((locale) => [locale, texts[locale]!.paragraphs[index] ?? ""])),
  }));
  const translations = Object.fromEntries(locales.map((locale) => [locale, { title: texts[locale]!.title, summary: "" }]));
  const problems = alignmentProblems({ meta: { translations }, rows });
  if (problems.length) throw new ContentFormatError(describeAlignmentProblems(problems));
  return rows;
}

/** One English sentence for the import's and the seed's refusals (the editor shows problems itself). */
export function describeAlignmentProblems(problems: AlignmentProblem[]): string {
  const counts = problems.find((p) => p.kind === "counts")?.counts;
  if (counts) {
    return `Paragraph counts differ between languages (${Object.entries(counts).map(([locale, n]) => `${locale}: ${n}`).join(", ")}).`;
  }
  return problems
    .map((p) => {
      switch (p.kind) {
        case "noLanguages":
          return "The article has no language.";
        case "noRows":
          return "The article has no paragraphs.";
        case "missingTitle":
          return `The ${p.locale} title is empty.`;
        case "emptyCell":
          return `Paragraph ${(p.row ?? 0) + 1} has no ${p.locale} text.`;
        case "counts":
          return "";
      }
    })
    .join(" ");
}
