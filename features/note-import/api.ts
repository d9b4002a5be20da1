import "server-only";
import { defineEndpoint } from "@/lib/http/endpoint";
import { fail, ok } from "@/lib/http/responses";
import { importAnnotations, type PlanLine } from "./mutations";
import { importBodySchema, importQuerySchema } from "./schema";
import { type ImportReport, MAX_IMPORT_BYTES, MAX_REPORT_LINES, type ReportLine } from "./types";

/**
 * One import per user every 20 seconds (a burst of two): a file may hold 50,000 annotations, and
 * the next import of the same file would only report duplicates.
 */
export const IMPORT_BUCKET = { capacity: 2, refillPerSecond: 1 / 20 };

/** POST /api/import[?group=<uuid>] — a W3C Web Annotation JSON-LD file into the caller's notes (ADR 0031). */
export const postImport = defineEndpoint(
  {
    summary: "Imports a W3C Web Annotation JSON-LD file (an annotation, a list, a page or a collection; Hypothesis exports too) into the caller's private notes or a group's, all or nothing, and reports what was imported, skipped and not anchored.",
    messages: "Import",
    auth: "writer",
    tokens: "write",
    jsonLd: true,
    maxBytes: MAX_IMPORT_BYTES,
    writeLimit: { key: "import", bucket: IMPORT_BUCKET },
    query: importQuerySchema,
    body: importBodySchema,
  },
  async ({ viewer, query, body, t, notFound }) => {
    const outcome = await importAnnotations(viewer, body, { groupId: query.group ?? null });
    if (!outcome.ok) {
      if (outcome.code === "not_found") return notFound();
      if (outcome.code === "conflict") return fail("conflict", t("errors.conflict"));
      if (outcome.code === "email_unverified") {
        const message = t("errors.emailUnverified");
        return fail("validation", message, { fieldErrors: { group: [message] } });
      }
      const message = t("errors.malformed", { errors: outcome.errors.join(" · ") });
      return fail("validation", message, { errors: outcome.errors, fieldErrors: { form: [message] } });
    }
    const line = <R extends string>(item: PlanLine<R>): ReportLine<R> => ({
      index: item.index,
      id: item.id,
      code: item.code,
      reason: t(`reasons.${item.code}` as "reasons.duplicate", { detail: item.detail ?? "" }),
    });
    const report: ImportReport = {
      imported: outcome.imported,
      skipped: outcome.skipped.slice(0, MAX_REPORT_LINES).map(line),
      notAnchored: outcome.notAnchored.slice(0, MAX_REPORT_LINES).map(line),
      totals: { read: outcome.read, skipped: outcome.skipped.length, notAnchored: outcome.notAnchored.length },
    };
    return ok(report);
  },
);
