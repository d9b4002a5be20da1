import "server-only";
import { defineEndpoint } from "@/lib/http/endpoint";
import { attachmentDisposition } from "@/lib/export/content-disposition";
import { getLogger } from "@/lib/log";
import { siteUrl } from "@/lib/site-url";
import { countExportNotes, getExportArticle, getExportGroup, type ExportSelection } from "./data";
import { csvExport, jsonLdExport, markdownExport, markdownZipExport, readwiseExport, type ExportPlan } from "./loaders";
import { exportQuerySchema, type ExportFormat } from "./schema";

// GET /api/export (ADR 0030): the caller's notes, or a group's, as a file, streamed. The count
// comes first (X-Export-Total, for the UI's progress bar), then the body is written batch by
// batch as the client reads it. Personal API tokens with the read scope may call it.

const CONTENT_TYPES: Record<ExportFormat | "zip", string> = {
  jsonld: 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"; charset=utf-8',
  markdown: "text/markdown; charset=utf-8",
  zip: "application/zip",
  csv: "text/csv; charset=utf-8; header=present",
  readwise: "text/csv; charset=utf-8; header=present",
};
const EXTENSIONS: Record<ExportFormat | "zip", string> = { jsonld: "jsonld", markdown: "md", zip: "zip", csv: "csv", readwise: "csv" };

/** Characters a file name may not hold on common systems, and controls. */
const FILE_NAME_UNSAFE = /[\\/:*?"<>|\p{Cc}]+/gu;

export const exportNotes = defineEndpoint(
  {
    summary: "Exports the caller's notes (or a group's, for its members) as W3C JSON-LD, Markdown, CSV or a Readwise CSV, streamed.",
    messages: "Export",
    auth: "required",
    tokens: "read",
    query: exportQuerySchema,
    produces: ["application/ld+json", "text/markdown", "application/zip", "text/csv"],
  },
  async ({ query, viewer, locale, t, notFound, requestId }) => {
    const group = query.scope === "group" && query.group ? await getExportGroup(query.group, viewer.id) : null;
    if (query.scope === "group" && !group) return notFound();
    const article = query.article === "all" ? null : await getExportArticle({ slug: query.article }, viewer.id);
    if (query.article !== "all" && !article) return notFound();

    const exportedAt = new Date();
    const selection: ExportSelection = { viewerId: viewer.id, scope: query.scope, groupId: group?.id ?? null, articleId: article?.id ?? null, until: exportedAt };
    const counts = await countExportNotes(selection);
    const title = article ? (article.titles[locale] ?? article.titles[article.originalLocale] ?? article.slug) : "";
    const label = group
      ? article
        ? t("label.groupArticle", { group: group.name, title })
        : t("label.groupAll", { group: group.name })
      : article
        ? t("label.mineArticle", { title })
        : t("label.mineAll");
    const canonical = new URLSearchParams({ format: query.format, article: query.article, scope: query.scope, ...(group ? { group: group.id } : {}) });
    const plan: ExportPlan = {
      format: query.format,
      selection,
      locale,
      label,
      allArticles: article === null,
      exportedAt,
      iri: `${siteUrl().origin}/api/export?${canonical}`,
    };

    const kind: ExportFormat | "zip" = query.format === "markdown" && !article ? "zip" : query.format;
    const source: AsyncGenerator<string | Uint8Array> =
      kind === "jsonld"
        ? jsonLdExport(plan)
        : kind === "csv"
          ? csvExport(plan)
          : kind === "readwise"
            ? readwiseExport(plan)
            : kind === "zip"
              ? markdownZipExport(plan)
              : markdownExport(plan, article!);

    const who = group ? group.name.replace(FILE_NAME_UNSAFE, "-").trim() || "group" : "mine";
    const fileName = `taiyaku-notes-${article?.slug ?? "all"}-${who}-${exportedAt.toISOString().slice(0, 10)}${query.format === "readwise" ? "-readwise" : ""}.${EXTENSIONS[kind]}`;
    return new Response(streamOf(source, requestId), {
      headers: {
        "content-type": CONTENT_TYPES[kind],
        "content-disposition": attachmentDisposition(fileName),
        "x-export-total": String(counts.notes),
        "x-export-articles": String(counts.articles),
        // Whose notes these are depends on the caller: never stored by a shared cache.
        "cache-control": "private, no-store",
        vary: "Cookie",
        "x-content-type-options": "nosniff",
      },
    });
  },
);

/**
 * A pull-driven byte stream over the writer: the next batch is read only when the consumer has
 * taken the previous chunk (highWaterMark 1), so a slow download holds one batch, not the export.
 */
export function streamOf(source: AsyncGenerator<string | Uint8Array>, requestId = ""): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          for (;;) {
            const { value, done } = await source.next();
            if (done) {
              controller.close();
              return;
            }
            const bytes = typeof value === "string" ? encoder.encode(value) : value;
            if (bytes.byteLength) {
              controller.enqueue(bytes);
              return;
            }
          }
        } catch (error) {
          // The status line is long gone: the client sees a broken download, the log says why.
          getLogger().error({ err: error, requestId }, "export stream failed");
          controller.error(error);
        }
      },
      async cancel() {
        await source.return(undefined);
      },
    },
    { highWaterMark: 1 },
  );
}
