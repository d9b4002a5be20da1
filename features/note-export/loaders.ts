import "server-only";
import { ANNO_CONTEXT, TAIYAKU_CONTEXT, articleIriFor, toWebAnnotation } from "@/lib/annotations/web-annotation";
import type { AppLocale } from "@/i18n/routing";
import { CSV_BOM, csvRow } from "@/lib/export/csv";
import { blockquote, escapeMarkdownText, frontMatter, indentContinuation } from "@/lib/export/markdown";
import { ZipStreamWriter } from "@/lib/export/zip-stream";
import { translatorFor } from "@/lib/i18n/translator";
import { languageName } from "@/lib/i18n/language-names";
import { siteUrl } from "@/lib/site-url";
import { getExportArticle, getParagraphTexts, readExportBatch, type ExportSelection } from "./data";
import { EXPORT_BATCH_SIZE, JSONLD_PAGE_SIZE, type ExportFormat } from "./schema";
import type { ExportArticle, ExportCursor, ExportNote } from "./types";

// The export's writers (ADR 0030): each format is an async generator of text (or zip bytes)
// pulled by a ReadableStream, one keyset batch of notes at a time. Nothing holds more than one
// batch and the article it belongs to, so 100,000 notes export in the memory of 500, and a slow
// client slows the reads down (the stream pulls only when the response has room).

type Translator = ReturnType<typeof translatorFor<"Export">>;

export type ExportPlan = {
  format: ExportFormat;
  selection: ExportSelection;
  locale: AppLocale;
  /** What the collection / file is called (the article, the group, or "my notes"). */
  label: string;
  /** article=all: several articles, so Markdown becomes a zip of one file per article. */
  allArticles: boolean;
  exportedAt: Date;
  /** The export's own IRI (the JSON-LD collection id). */
  iri: string;
  /** Tests make these small to exercise several batches and pages with few notes. */
  batchSize?: number;
  pageSize?: number;
};

/** The notes in export order, one batch at a time. */
export async function* exportBatches(selection: ExportSelection, batchSize = EXPORT_BATCH_SIZE): AsyncGenerator<ExportNote[]> {
  let cursor: ExportCursor | null = null;
  for (;;) {
    const batch = await readExportBatch(selection, cursor, batchSize);
    if (batch.notes.length) yield batch.notes;
    if (batch.notes.length < batchSize || !batch.cursor) return;
    cursor = batch.cursor;
  }
}

/** Article metadata as the notes reach a new article (the order groups them by article). */
function articleLookup(viewerId: string) {
  let current: ExportArticle | null = null;
  return async (articleId: string): Promise<ExportArticle> => {
    if (current?.id === articleId) return current;
    // Readable: the notes' rule already required it. A null would only be a race with an unpublish.
    current = (await getExportArticle({ id: articleId }, viewerId)) ?? { id: articleId, slug: "", titles: {}, originalLocale: "en", byline: null, source: "", sourceUrl: null };
    return current;
  };
}

function origin(): string {
  return siteUrl().origin;
}

function titleIn(article: ExportArticle, locale: string): string {
  return article.titles[locale] ?? article.titles[article.originalLocale] ?? Object.values(article.titles)[0] ?? article.slug;
}

/** 2026-11-29 10:05 UTC: unambiguous in any language and sortable. */
function utc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

// ---- JSON-LD -----------------------------------------------------------------------------------

/**
 * A W3C AnnotationCollection with its AnnotationPages embedded. The model's paging properties
 * (`next`, `prev`, `last`) are IRIs, not objects (W3C model §5.2 and its test schemas), so `first`
 * is page 0 itself and the following pages travel in the same document as JSON-LD 1.1 included
 * nodes (`@included`, in order), each with its own `id`, `partOf`, `startIndex`, `prev`, `next`:
 * a consumer reads one file and walks the pages by id like a paged container. `total` and `last`
 * come after the pages: written once the pages are, they are exact.
 */
export async function* jsonLdExport(plan: ExportPlan): AsyncGenerator<string> {
  const site = origin();
  const collection = plan.iri;
  const pageSize = plan.pageSize ?? JSONLD_PAGE_SIZE;
  const pageIri = (index: number) => `${collection}#page-${index}`;
  yield `{"@context":${JSON.stringify([ANNO_CONTEXT, TAIYAKU_CONTEXT])},"id":${JSON.stringify(collection)},"type":"AnnotationCollection","label":${JSON.stringify(plan.label)},"generated":${JSON.stringify(plan.exportedAt.toISOString())}`;
  let count = 0;
  let pages = 0;
  for await (const batch of exportBatches(plan.selection, plan.batchSize)) {
    const parts: string[] = [];
    for (const note of batch) {
      if (count % pageSize === 0) {
        const page = count / pageSize;
        const head = {
          "@context": ANNO_CONTEXT,
          id: pageIri(page),
          type: "AnnotationPage",
          partOf: { id: collection, type: "AnnotationCollection", label: plan.label },
          startIndex: count,
          ...(page > 0 ? { prev: pageIri(page - 1) } : {}),
        };
        const opening = `${JSON.stringify(head).slice(0, -1)},"items":[`;
        if (page === 0) parts.push(`,"first":${opening}`);
        else parts.push(`],"next":${JSON.stringify(pageIri(page))}}${page === 1 ? ',"@included":[' : ","}${opening}`);
        pages += 1;
      } else parts.push(",");
      parts.push(JSON.stringify(toWebAnnotation(note, { siteUrl: site, articleSlug: note.articleSlug })));
      count += 1;
    }
    yield parts.join("");
  }
  // Close the last page's items and the page, then the included pages' list.
  const closing = pages ? `]}${pages > 1 ? "]" : ""}` : "";
  yield `${closing},"total":${count}${pages ? `,"last":${JSON.stringify(pageIri(pages - 1))}` : ""}}\n`;
}

/** The pages of a JSON-LD export in order: `first`, then the `@included` ones. */
export function exportedPages(collection: Record<string, unknown>): Record<string, unknown>[] {
  const first = collection.first;
  if (!first || typeof first !== "object") return [];
  const included = Array.isArray(collection["@included"]) ? (collection["@included"] as Record<string, unknown>[]) : [];
  return [first as Record<string, unknown>, ...included.filter((node) => node && node.type === "AnnotationPage")];
}

// ---- CSV ---------------------------------------------------------------------------------------

/** Hypothesis' export columns, then ours. Names stay English: tools match on them. */
export const CSV_COLUMNS = ["Created at", "Author", "Page", "URL", "Group", "Type", "Quote", "Comment", "Tags", "Paragraph", "Language", "Visibility", "Id", "Parent"] as const;

/** Hypothesis' vocabulary: a reply, a highlight (a quote without words), or an annotation. */
export function hypothesisType(note: Pick<ExportNote, "parentId" | "quote" | "body">): "Reply" | "Highlight" | "Annotation" {
  if (note.parentId) return "Reply";
  return note.quote && !note.body.trim() ? "Highlight" : "Annotation";
}

export async function* csvExport(plan: ExportPlan): AsyncGenerator<string> {
  const site = origin();
  const article = articleLookup(plan.selection.viewerId);
  yield CSV_BOM + csvRow(CSV_COLUMNS);
  for await (const batch of exportBatches(plan.selection, plan.batchSize)) {
    const lines: string[] = [];
    for (const note of batch) {
      const a = await article(note.articleId);
      lines.push(
        csvRow([
          note.createdAt.toISOString(),
          note.author.name,
          titleIn(a, note.locale),
          articleIriFor(site, note.locale, note.articleSlug),
          note.group?.name ?? "",
          hypothesisType(note),
          note.quote?.exact ?? "",
          note.body,
          note.tag ?? "",
          note.paragraphKey,
          note.locale,
          note.visibility,
          note.id,
          note.parentId ?? "",
        ]),
      );
    }
    yield lines.join("");
  }
}

/** Readwise's CSV import template (readwise.io/import_bulk): these headers, in this order. */
export const READWISE_COLUMNS = ["Highlight", "Title", "Author", "URL", "Note", "Location", "Date"] as const;

/**
 * Readwise: one row per highlight. Replies are conversation, not highlights: left out. A comment
 * on a whole paragraph highlights that paragraph's text. Tags use Readwise's inline `.tag` form.
 */
export async function* readwiseExport(plan: ExportPlan): AsyncGenerator<string> {
  const site = origin();
  const article = articleLookup(plan.selection.viewerId);
  yield CSV_BOM + csvRow(READWISE_COLUMNS);
  for await (const batch of exportBatches(plan.selection, plan.batchSize)) {
    const roots = batch.filter((note) => !note.parentId);
    const texts = await getParagraphTexts(roots.filter((n) => !n.quote).map((n) => ({ articleId: n.articleId, paragraphKey: n.paragraphKey, locale: n.locale })));
    const lines: string[] = [];
    for (const note of roots) {
      const a = await article(note.articleId);
      const highlight = note.quote?.exact ?? texts.get(`${note.articleId}:${note.paragraphKey}:${note.locale}`) ?? "";
      if (!highlight) continue;
      const text = [note.tag ? `.${note.tag}` : "", note.body.trim()].filter(Boolean).join(" ");
      lines.push(
        csvRow([
          highlight,
          titleIn(a, note.locale),
          a.byline ?? a.source,
          `${articleIriFor(site, note.locale, note.articleSlug)}#${note.paragraphKey}`,
          text,
          note.paragraphPosition > 0 ? note.paragraphPosition : null,
          note.createdAt.toISOString().slice(0, 19).replace("T", " "),
        ]),
      );
    }
    yield lines.join("");
  }
}

// ---- Markdown ----------------------------------------------------------------------------------

/** The top of one article's Markdown file. */
export function markdownHeader(article: ExportArticle, locale: string, exportedAt: Date, t: Translator): string {
  const site = origin();
  const title = titleIn(article, locale);
  const head = frontMatter({
    title,
    url: articleIriFor(site, article.titles[locale] ? locale : article.originalLocale, article.slug),
    source: article.source,
    source_url: article.sourceUrl,
    author: article.byline,
    exported: exportedAt.toISOString(),
  });
  return `${head}\n# ${escapeMarkdownText(title)}\n\n${t("markdown.intro")}\n`;
}

/**
 * One note in Markdown. A thread's first note is a section (paragraph link, quote, words, tags,
 * byline); replies are list items under it, indented by depth. `threadOpen`: the thread's
 * first note was written (a reply to a note outside the export gets a heading of its own).
 */
export function markdownNote(note: ExportNote, t: Translator, threadOpen: boolean): string {
  const site = origin();
  const link = `${articleIriFor(site, note.locale, note.articleSlug)}#${note.paragraphKey}`;
  const tags = note.tag ? `#${note.tag}` : "";
  const byline = t("markdown.byline", { author: note.author.name, date: utc(note.createdAt), language: languageName(note.locale), visibility: t(`visibility.${note.visibility}`) });
  const marker = `<!-- taiyaku:note ${note.id} -->`;
  if (!note.parentId) {
    const parts = [`\n## [${t("markdown.paragraph", { number: Math.max(note.paragraphPosition, 0), key: note.paragraphKey })}](${link})`, marker];
    if (note.quote) parts.push(blockquote(escapeMarkdownText(note.quote.exact)));
    if (note.body.trim()) parts.push(note.body.trim());
    if (tags) parts.push(tags);
    parts.push(`*${byline}*`);
    return `${parts.join("\n\n")}\n`;
  }
  const indent = "  ".repeat(Math.max(note.depth - 1, 0));
  const heading = threadOpen ? "" : `\n## [${t("markdown.paragraph", { number: Math.max(note.paragraphPosition, 0), key: note.paragraphKey })}](${link})\n\n*${t("markdown.replyElsewhere")}*\n`;
  const inner = `${indent}  `;
  const body = [note.body.trim(), tags].filter(Boolean).join("\n\n");
  return `${heading}\n${indent}- ${marker} *${byline}*${body ? `\n${inner}${indentContinuation(body, inner)}` : ""}\n`;
}

/** The notes as Markdown text, with a marker where a new article begins (the writer starts its file there). */
async function* markdownNotes(plan: ExportPlan, t: Translator): AsyncGenerator<string | { article: ExportArticle }> {
  const article = articleLookup(plan.selection.viewerId);
  let currentArticle: string | null = null;
  let openThread: string | null = null;
  for await (const batch of exportBatches(plan.selection, plan.batchSize)) {
    let parts: string[] = [];
    for (const note of batch) {
      if (note.articleId !== currentArticle) {
        currentArticle = note.articleId;
        openThread = null;
        if (parts.length) yield parts.join("");
        parts = [];
        yield { article: await article(note.articleId) };
      }
      const thread = note.rootId ?? note.id;
      parts.push(markdownNote(note, t, openThread === thread));
      openThread = thread;
    }
    if (parts.length) yield parts.join("");
  }
}

/** One article: a single Markdown file. */
export async function* markdownExport(plan: ExportPlan, article: ExportArticle): AsyncGenerator<string> {
  const t = translatorFor(plan.locale, "Export");
  yield markdownHeader(article, plan.locale, plan.exportedAt, t);
  for await (const part of markdownNotes(plan, t)) if (typeof part === "string") yield part;
}

/** Several articles: a zip with one `{slug}.md` per article, deflated as it is written. */
export async function* markdownZipExport(plan: ExportPlan): AsyncGenerator<Uint8Array> {
  const t = translatorFor(plan.locale, "Export");
  const zip = new ZipStreamWriter();
  for await (const part of markdownNotes(plan, t)) {
    if (typeof part === "string") zip.write(part);
    else {
      zip.startFile(`${part.article.slug || part.article.id}.md`);
      zip.write(markdownHeader(part.article, plan.locale, plan.exportedAt, t));
    }
    yield* zip.take();
  }
  zip.end();
  yield* zip.take();
}
