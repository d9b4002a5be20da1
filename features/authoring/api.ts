import "server-only";
import type { z } from "zod";
import { convertHtml, convertMarkdown, convertPlainText, type ConvertedText } from "@/lib/content/convert-upload";
import type { ArticleDocument } from "@/lib/content/article-document";
import { defineEndpoint, type EndpointContext } from "@/lib/http/endpoint";
import { fail, ok } from "@/lib/http/responses";
import type { Principal } from "@/lib/permissions/core";
import type { Viewer } from "@/lib/auth/viewer";
import { getEditorView, listEditableArticles } from "./data";
import { createArticle, discardDraft, promoteArticle, publishArticle, saveDraft, unpublishArticle } from "./mutations";
import {
  AUTHORING_MAX_BYTES,
  convertSchema,
  createArticleSchema,
  draftDocumentSchema,
  MAX_ROWS,
  MAX_TEXT_BYTES,
  MAX_TITLE,
  publishSchema,
  saveDraftSchema,
  textBytes,
  UPLOAD_CONTROL_CHARS,
  uploadKind,
} from "./schema";
import type { AuthoringFailure } from "./types";

// The authoring API (ADR 0020): the editor's list, drafts, file conversion, publish, unpublish
// and promote, as endpoints of the one pipeline behind one-line route files under
// app/api/authoring. Authorization lives in data.ts / mutations.ts (what the viewer may not
// edit is a 404); the pipeline authenticates, checks the origin, refuses suspended writers,
// validates and rate-limits.

/** Autosave every few seconds while typing, plus uploads: bursts of 60, one a second. */
export const AUTHORING_WRITE_BUCKET = { capacity: 60, refillPerSecond: 1 };
const writer = {
  messages: "AuthoringApi",
  auth: "writer",
  writeLimit: { key: "authoring", bucket: AUTHORING_WRITE_BUCKET },
  maxBytes: AUTHORING_MAX_BYTES,
} as const;
const reader = { messages: "AuthoringApi", auth: "required" } as const;
const articleId = { id: "uuid" } as const;

type Ctx = Pick<EndpointContext<"AuthoringApi", string, unknown, unknown, "required">, "t" | "notFound">;
type LooseT = { has(key: string): boolean; (key: string, values?: Record<string, string | number>): string };
const loose = (t: Ctx["t"]) => t as unknown as LooseT;

const principalOf = (viewer: Viewer): NonNullable<Principal> => ({ id: viewer.id, role: viewer.role });

/** fail() with a status lib/http/responses.ts has no code for. */
function refuse(code: string, message: string, status: number, extra: Record<string, unknown> = {}): Response {
  const response = fail(code, message, extra);
  return new Response(response.body, { status, headers: response.headers });
}

/** A schema message key in the caller's language ("invalid" for anything that is not ours). */
function word(t: Ctx["t"], key: string): string {
  const lt = loose(t);
  return lt.has(`errors.${key}`) ? lt(`errors.${key}`) : lt("errors.invalid");
}

/**
 * A document checked against every bound. Validated here rather than by the pipeline so a
 * refusal names where it is (`issues[].path`, e.g. "rows.12.text.ja"): the editor can point at
 * the row. Text over the size limit is a 413, anything else a 422.
 */
function parseDocument(ctx: Ctx, value: unknown): { ok: true; document: ArticleDocument } | { ok: false; response: Response } {
  const parsed = draftDocumentSchema.safeParse(value);
  if (parsed.success) return { ok: true, document: parsed.data };
  const issues = parsed.error.issues.slice(0, 50).map((issue: z.core.$ZodIssue) => ({
    path: issue.path.map(String).join("."),
    message: word(ctx.t, issue.code === "unrecognized_keys" ? "unknownField" : issue.message),
  }));
  const tooLarge = parsed.error.issues.some((issue) => issue.message === "textTooLarge");
  const message = tooLarge ? word(ctx.t, "textTooLarge") : issues[0]!.message;
  const extra = { fieldErrors: { document: [...new Set(issues.map((issue) => issue.message))] }, issues };
  return { ok: false, response: tooLarge ? fail("too_large", message, extra) : fail("validation", message, extra) };
}

/** A mutation's refusal in the API's words. */
function failure(ctx: Ctx, result: AuthoringFailure): Response {
  const t = loose(ctx.t);
  switch (result.code) {
    case "not_found":
      return ctx.notFound();
    case "slug_taken": {
      const message = t("errors.slugTaken", { suggestion: result.suggestion });
      return refuse("slug_taken", message, 409, { suggestion: result.suggestion, fieldErrors: { slug: [message] } });
    }
    case "slug_fixed":
      return refuse("slug_fixed", t("errors.slugFixed"), 422, { fieldErrors: { slug: [t("errors.slugFixed")] } });
    case "stale_draft":
      return refuse("stale_draft", t("errors.staleDraft"), 409, { current: result.current });
    case "misaligned":
      return refuse("misaligned", t("errors.misaligned", { count: result.problems.length }), 422, { problems: result.problems });
    case "incomplete": {
      const problems = result.problems.map((problem) => ({ field: problem.field, message: word(ctx.t, problem.message) }));
      const fieldErrors = Object.fromEntries(problems.map((problem) => [problem.field, [problem.message]]));
      return refuse("incomplete", problems[0]!.message, 422, { problems, fieldErrors });
    }
    case "not_group_reading":
      return ctx.notFound();
  }
}

// ---- articles -----------------------------------------------------------------------------------

/** GET /api/authoring/articles — what the viewer may edit (empty for readers). */
export const getAuthoringArticles = defineEndpoint({ ...reader, summary: "The articles the caller may edit (none for readers)." }, async ({ viewer }) => {
  return ok({ items: await listEditableArticles(principalOf(viewer)) });
});

/** POST /api/authoring/articles — a new draft, public or a group reading. */
export const postAuthoringArticle = defineEndpoint({ ...writer, summary: "Start a new article as a draft, public or a group reading, from a bilingual document.", body: createArticleSchema }, async (ctx) => {
  const parsed = parseDocument(ctx, ctx.body.document);
  if (!parsed.ok) return parsed.response;
  const result = await createArticle(principalOf(ctx.viewer), { groupId: ctx.body.groupId ?? null, document: parsed.document });
  return result.ok ? ok({ id: result.id, slug: result.slug, version: result.version }, 201) : failure(ctx, result);
});

/** GET /api/authoring/articles/{id} — the article and its draft (the live text when none is stored). */
export const getAuthoringArticle = defineEndpoint({ ...reader, summary: "An article the caller may edit, with its draft (the live text when no draft is stored).", params: articleId }, async ({ viewer, params, notFound }) => {
  const view = await getEditorView(params.id, principalOf(viewer));
  return view ? ok(view) : notFound();
});

/** PUT /api/authoring/articles/{id}/draft — autosave; a stale version is a 409 with the current draft. */
export const putDraft = defineEndpoint({ ...writer, summary: "Autosave a draft from the version the caller last saw (409 with the current draft when stale).", params: articleId, body: saveDraftSchema }, async (ctx) => {
  const parsed = parseDocument(ctx, ctx.body.document);
  if (!parsed.ok) return parsed.response;
  const result = await saveDraft(principalOf(ctx.viewer), ctx.params.id, ctx.body.version, parsed.document);
  return result.ok ? ok({ version: result.version, savedAt: result.savedAt }) : failure(ctx, result);
});

/**
 * DELETE /api/authoring/articles/{id}/draft — back to the live text (an article never published
 * is deleted: `articleDeleted`). 200 with a body rather than 204: every answer is the JSON envelope.
 */
export const deleteDraft = defineEndpoint({ ...writer, summary: "Discard the draft, back to the live text (an article never published is deleted).", params: articleId }, async (ctx) => {
  const result = await discardDraft(principalOf(ctx.viewer), ctx.params.id);
  return result.ok ? ok({ articleDeleted: result.articleDeleted }) : failure(ctx, result);
});

/** POST /api/authoring/articles/{id}/publish */
export const postPublish = defineEndpoint({ ...writer, summary: "Publish the draft as the article's next revision, with a summary of the change.", params: articleId, body: publishSchema }, async (ctx) => {
  const result = await publishArticle(principalOf(ctx.viewer), ctx.params.id, ctx.body.version, ctx.body.summary);
  return result.ok ? ok({ revision: result.revision, slug: result.slug, stats: result.stats }) : failure(ctx, result);
});

/** POST /api/authoring/articles/{id}/unpublish */
export const postUnpublish = defineEndpoint({ ...writer, summary: "Take a published article off the site.", params: articleId }, async (ctx) => {
  const result = await unpublishArticle(principalOf(ctx.viewer), ctx.params.id);
  return result.ok ? ok({ status: result.status }) : failure(ctx, result);
});

/** POST /api/authoring/articles/{id}/promote — a group reading becomes public (editors and admins). */
export const postPromote = defineEndpoint({ ...writer, summary: "Editors and admins turn a group reading into a public article.", params: articleId }, async (ctx) => {
  const result = await promoteArticle(principalOf(ctx.viewer), ctx.params.id);
  return result.ok ? ok({ status: result.status, groupId: result.groupId }) : failure(ctx, result);
});

// ---- files --------------------------------------------------------------------------------------

const CONVERTERS = { md: convertMarkdown, txt: convertPlainText, html: convertHtml } as const;

/**
 * POST /api/authoring/convert — an uploaded .md, .txt or .html file's text as rows of one
 * language. The kind is decided by the extension and the declared type together; HTML is parsed
 * here and only its text comes back, so nothing of it is ever rendered as HTML.
 */
export const postConvert = defineEndpoint({ ...writer, summary: "The text of an uploaded .md, .txt or .html file as rows of one language (text only: nothing comes back as HTML).", body: convertSchema }, async (ctx) => {
  const { filename, type, text } = ctx.body;
  const kind = uploadKind(filename, type);
  if (!kind) return fail("unsupported_media_type", ctx.t("errors.wrongFileType"));
  if (UPLOAD_CONTROL_CHARS.test(text)) return fail("validation", ctx.t("errors.controlCharacters"), { fieldErrors: { text: [ctx.t("errors.controlCharacters")] } });
  let converted: ConvertedText = CONVERTERS[kind](text);
  if (converted.title && converted.title.length > MAX_TITLE) {
    converted = { title: null, rows: [{ heading: true, text: converted.title }, ...converted.rows] };
  }
  if (converted.rows.length > MAX_ROWS) {
    return fail("validation", ctx.t("errors.tooManyRows"), { fieldErrors: { text: [ctx.t("errors.tooManyRows")] } });
  }
  const bytes = textBytes(converted.rows.map((row) => ({ heading: row.heading, text: { en: row.text } })));
  if (bytes.en > MAX_TEXT_BYTES) return fail("too_large", ctx.t("errors.textTooLarge"));
  return ok({ title: converted.title, rows: converted.rows });
});
