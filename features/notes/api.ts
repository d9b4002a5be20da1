import "server-only";
import { revalidateTag } from "next/cache";
import type { z } from "zod";
import { getViewer, type Viewer } from "@/features/accounts/data";
import { loadReaderArticle } from "@/features/articles/loaders";
import { suspendedResponse } from "@/features/moderation/api";
import { takeToken } from "@/features/rate-limit/mutations";
import { requestLocale } from "@/lib/http/request-context";
import { fail, ok, readJson } from "@/lib/http/responses";
import { translatorFor } from "@/lib/i18n/translator";
import { anchorSelector } from "@/lib/text/anchoring";
import type { AppLocale } from "@/i18n/routing";
import {
  getNoteRevisions,
  getParagraphThreads,
  getVisibleNote,
  listArticleThreads,
  getNotesByIds,
  noteTags,
  type NoteDto,
} from "./data";
import { buildNoteOverlay } from "./overlay";
import { createNote, createReply, deleteNote, editNote, type MutationResult } from "./mutations";
import { createNoteSchema, createReplySchema, deleteNoteSchema, editNoteSchema, listNotesQuerySchema } from "./schema";

// The notes API: plain Request → Response functions behind thin route files, so integration
// tests exercise exactly what the browser calls. Each function authenticates, validates with
// zod, rate-limits writes and answers in the caller's language.

/** ~4 writes per second per user with bursts of 8, shared by every app instance. */
export const NOTE_WRITE_BUCKET = { capacity: 8, refillPerSecond: 4 };

type Context = { locale: AppLocale; t: ReturnType<typeof translatorFor<"Notes">>; viewer: Viewer | null };

async function context(request: Request): Promise<Context> {
  const locale = requestLocale(request);
  return { locale, t: translatorFor(locale, "Notes"), viewer: await getViewer(request.headers) };
}

const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

function notFound(t: Context["t"]) {
  return fail("not_found", t("errors.notFound"));
}

function validationFailure(t: Context["t"], error: z.ZodError): Response {
  const unexpected = error.issues.find((issue) => issue.code === "unrecognized_keys");
  if (unexpected) return fail("unexpected_field", t("errors.unexpectedField"));
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    (fieldErrors[field] ??= []).push(translateIssue(t, issue.message));
  }
  return fail("validation", Object.values(fieldErrors)[0]?.[0] ?? t("errors.invalid"), { fieldErrors });
}

const knownErrors = new Set([
  "bodyTooLong",
  "bodyRequired",
  "rangeRequired",
  "rangeNotAllowed",
  "rangeMismatch",
  "badRange",
  "badParagraph",
  "badIdempotencyKey",
  "badGroup",
]);

function translateIssue(t: Context["t"], key: string): string {
  return knownErrors.has(key) ? t(`errors.${key}` as "errors.bodyTooLong") : t("errors.invalid");
}

async function parseBody<S extends z.ZodType>(
  request: Request,
  schema: S,
  t: Context["t"],
): Promise<{ ok: false; response: Response } | { ok: true; data: z.infer<S> }> {
  const raw = await readJson(request);
  if (!raw.ok) return { ok: false, response: fail(raw.code, raw.code === "too_large" ? t("errors.tooLarge") : t("errors.invalidJson")) };
  const parsed = schema.safeParse(raw.value);
  if (!parsed.success) return { ok: false, response: validationFailure(t, parsed.error) };
  return { ok: true, data: parsed.data as z.infer<S> };
}

async function requireWriter(ctx: Context): Promise<Response | Viewer> {
  if (!ctx.viewer) return fail("unauthenticated", ctx.t("errors.unauthenticated"));
  const suspended = await suspendedResponse(ctx.viewer.id, ctx.locale);
  if (suspended) return suspended;
  const limit = await takeToken(`notes:user:${ctx.viewer.id}`, NOTE_WRITE_BUCKET);
  if (!limit.allowed) {
    return fail("rate_limited", ctx.t("errors.rateLimited", { seconds: limit.retryAfterSeconds }), { retryAfterSeconds: limit.retryAfterSeconds });
  }
  return ctx.viewer;
}

function respond(ctx: Context, result: MutationResult, createdStatus = 200): Response {
  if (result.ok) {
    if (result.note.visibility === "public") invalidatePublic(result.note.articleId);
    return ok({ note: result.note, replayed: createdStatus === 201 && !result.created }, result.created ? createdStatus : 200);
  }
  if (result.code === "not_found") return notFound(ctx.t);
  if (result.code === "conflict") return fail("conflict", ctx.t("errors.conflict"), { current: result.current });
  if (result.code === "locked") return fail("locked", ctx.t("errors.locked"));
  return fail("validation", translateIssue(ctx.t, result.message), { fieldErrors: { [result.field]: [translateIssue(ctx.t, result.message)] } });
}

/** Signed-out readers share one cached overlay per article; a public write marks it stale. */
function invalidatePublic(articleId: string) {
  try {
    revalidateTag(noteTags.article(articleId), "max");
  } catch {
    // Outside a Next request (scripts, tests) there is no cache to invalidate.
  }
}

// ---- reads -------------------------------------------------------------------------------------

/** GET /api/notes?article=slug[&paragraph=p-5 | filters] */
export async function listNotes(request: Request): Promise<Response> {
  const ctx = await context(request);
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = listNotesQuerySchema.safeParse(params);
  if (!parsed.success) return validationFailure(ctx.t, parsed.error);
  const query = parsed.data;
  const article = await loadReaderArticle(query.article);
  if (!article) return notFound(ctx.t);
  const viewerId = ctx.viewer?.id ?? null;

  if (query.paragraph) {
    const paragraph = article.paragraphs.find((p) => p.key === query.paragraph);
    if (!paragraph) return notFound(ctx.t);
    const notes = await getParagraphThreads(paragraph.id, viewerId);
    return ok({ notes: markOrphans(article, notes) });
  }

  let cursor: { createdAt: Date; id: string } | null = null;
  if (query.cursor) {
    const [at, id] = query.cursor.split("_");
    const date = new Date(at ?? "");
    if (!id || !isUuid(id) || Number.isNaN(date.getTime())) return fail("validation", ctx.t("errors.invalid"));
    cursor = { createdAt: date, id };
  }
  const page = await listArticleThreads(article.id, viewerId, query, cursor);
  // Orphans are listed on the first page only: they are few, and readers need them in one place.
  const overlay = query.cursor ? null : await buildNoteOverlay(article, viewerId);
  const orphans = overlay ? await getNotesByIds(overlay.orphanIds.slice(0, 100), viewerId) : [];
  return ok({ notes: markOrphans(article, page.notes), nextCursor: page.nextCursor, orphans: orphans.map((n) => ({ ...n, orphan: true })) });
}

type ArticleTexts = { paragraphs: { id: string; text: Record<string, string> }[] };

function markOrphans(article: ArticleTexts, notes: NoteDto[]) {
  return notes.map((note) => {
    if (!note.quote) return { ...note, orphan: false };
    const text = article.paragraphs.find((p) => p.id === note.paragraphId)?.text[note.locale];
    return { ...note, orphan: text === undefined || anchorSelector(text, note.quote) === null };
  });
}

/** GET /api/notes/{id} */
export async function getNote(request: Request, id: string): Promise<Response> {
  const ctx = await context(request);
  if (!isUuid(id)) return notFound(ctx.t);
  const note = await getVisibleNote(id, ctx.viewer?.id ?? null);
  return note ? ok({ note }) : notFound(ctx.t);
}

/** GET /api/notes/{id}/history */
export async function getNoteHistory(request: Request, id: string): Promise<Response> {
  const ctx = await context(request);
  if (!isUuid(id)) return notFound(ctx.t);
  const revisions = await getNoteRevisions(id, ctx.viewer?.id ?? null);
  return revisions ? ok({ revisions }) : notFound(ctx.t);
}

// ---- writes ------------------------------------------------------------------------------------

/** POST /api/notes — a new comment or annotation, or a reply when `parentId` is given. */
export async function postNote(request: Request): Promise<Response> {
  const ctx = await context(request);
  const writer = await requireWriter(ctx);
  if (writer instanceof Response) return writer;
  const raw = await readJson(request);
  if (!raw.ok) return fail(raw.code, raw.code === "too_large" ? ctx.t("errors.tooLarge") : ctx.t("errors.invalidJson"));
  const isReply = typeof raw.value === "object" && raw.value !== null && "parentId" in raw.value;
  if (isReply) {
    const parsed = createReplySchema.safeParse(raw.value);
    if (!parsed.success) return validationFailure(ctx.t, parsed.error);
    return respond(ctx, await createReply(writer, parsed.data), 201);
  }
  const parsed = createNoteSchema.safeParse(raw.value);
  if (!parsed.success) return validationFailure(ctx.t, parsed.error);
  return respond(ctx, await createNote(writer, parsed.data), 201);
}

/** PATCH /api/notes/{id} — body/tag edit from a known version. */
export async function patchNote(request: Request, id: string): Promise<Response> {
  const ctx = await context(request);
  const writer = await requireWriter(ctx);
  if (writer instanceof Response) return writer;
  if (!isUuid(id)) return notFound(ctx.t);
  const parsed = await parseBody(request, editNoteSchema, ctx.t);
  if (!parsed.ok) return parsed.response;
  return respond(ctx, await editNote(writer, id, parsed.data));
}

/** DELETE /api/notes/{id} — soft delete by the author. */
export async function removeNote(request: Request, id: string): Promise<Response> {
  const ctx = await context(request);
  const writer = await requireWriter(ctx);
  if (writer instanceof Response) return writer;
  if (!isUuid(id)) return notFound(ctx.t);
  let version: number | undefined;
  if (request.headers.get("content-length") !== "0" && request.body) {
    // Next hands route handlers a body stream even for a DELETE sent without one: empty means
    // "no version", not malformed JSON.
    const text = await request.text().catch(() => "");
    if (text.trim()) {
      const parsed = await parseBody(new Request(request.url, { method: "POST", headers: request.headers, body: text }), deleteNoteSchema, ctx.t);
      if (!parsed.ok) return parsed.response;
      version = parsed.data.version;
    }
  }
  return respond(ctx, await deleteNote(writer, id, version));
}
