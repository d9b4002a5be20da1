import { z } from "zod";
import "@/lib/zod-jitless";
import { EXPORT_FORMATS } from "./types";

// GET /api/export query (ADR 0030). Issue messages are keys under Export.errors in messages/*.json.

export { EXPORT_FORMATS, type ExportFormat } from "./types";
export const EXPORT_SCOPES = ["mine", "group"] as const;
export type ExportScope = (typeof EXPORT_SCOPES)[number];

/** Notes read per statement: a keyset page, so memory stays flat whatever the total. */
export const EXPORT_BATCH_SIZE = 500;
/** Annotations per embedded AnnotationPage of the JSON-LD export. */
export const JSONLD_PAGE_SIZE = 1000;

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,118}[a-z0-9])?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const exportQuerySchema = z
  .strictObject({
    format: z.enum(EXPORT_FORMATS, { error: "formatInvalid" }),
    article: z
      .string({ error: "articleInvalid" })
      .refine((value) => value === "all" || SLUG.test(value), { error: "articleInvalid" })
      .default("all"),
    scope: z.enum(EXPORT_SCOPES, { error: "scopeInvalid" }).default("mine"),
    group: z.string().regex(UUID, { error: "groupInvalid" }).optional(),
  })
  .superRefine((query, ctx) => {
    // A group export names its group; a personal one must not (an ignored id would hide a mistake).
    if (query.scope === "group" && !query.group) ctx.addIssue({ code: "custom", path: ["group"], message: "groupRequired" });
    if (query.scope === "mine" && query.group) ctx.addIssue({ code: "custom", path: ["group"], message: "groupUnexpected" });
  });
export type ExportQuery = z.infer<typeof exportQuerySchema>;
