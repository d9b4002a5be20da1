import "server-only";
import { revalidateTag } from "next/cache";
import type { z } from "zod";
import { getViewer, type Viewer } from "@/features/accounts/data";
import { loadReaderArticle } from "@/features/articles/loaders";
import { suspendedResponse } from "@/features/moderation/api";
import type { Suspension } from "@/features/moderation/data";
import { takeToken } from "@/features/rate-limit/mutations";
import { isUuid } from "@/lib/ids";
import { readCookie, requestLocale } from "@/lib/http/request-context";
import { fail, ok, readJson } from "@/lib/http/responses";
import { translatorFor } from "@/lib/i18n/translator";
import { anchorSelector } from "@/lib/text/anchoring";
import type { AppLocale } from "@/i18n/routing";
import {
  countUnreadNotifications,
  getNoteRevisions,
  getParagraphThreads,
  getReaderOverlayData,
  getViewerGroups,
  getVisibleNote,
  listArticleThreads,
  listNotifications,
  getNotesByIds,
  noteTags,
  searchGroupMembers,
  type NoteDto,
} from "./data";
import { buildHighlightRepaint, buildNoteOverlay, type HighlightRepaint } from "./overlay";
import {
  createNote,
  createReply,
  openReadingSession,
  deleteNote,
  editNote,
  markAllNotificationsRead,
  markAnswer,
  markNotificationRead,
  setHelpful,
  unmarkAnswer,
  type MutationResult,
} from "./mutations";
import {
  answerSchema,
  createNoteSchema,
  createReplySchema,
  deleteNoteSchema,
  editNoteSchema,
  highlightsQuerySchema,
  LAYERS_COOKIE,
  listNotesQuerySchema,
  mentionQuerySchema,
  openReadingSchema,
  parseLayers,
  serializeLayers,
  unanswerSchema,
} from "./schema";

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
  "ownReaction",
  "notAQuestion",
  "answerNotInThread",
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

// ---- the reader's own layer over the cached page (ADR 0012) -----------------------------------

/** What a signed-in reader's page adds to the cached article page, fetched once it loads. */
export type ReaderState = {
  viewer: { id: string; name: string };
  counts: Record<string, number>;
  openQuestions: Record<string, number>;
  unread: Record<string, number>;
  highlights: HighlightRepaint;
  groups: { id: string; name: string }[];
  /** The active layers as the API takes them ("" = every layer). */
  layers: string;
  suspension: Suspension | null;
};

/**
 * POST /api/articles/{slug}/reading: a signed-in reader opened the article (or changed layers).
 * Records the visit (after reading the previous one, which the "new since" markers compare
 * against) and answers with everything the cached page cannot know: counts including their
 * private and group notes, their highlights, layers, groups and any suspension. A POST because
 * it writes the visit; signed-out callers get `state: null` (their page is already complete).
 */
export async function openReading(request: Request, slug: string): Promise<Response> {
  const ctx = await context(request);
  const parsed = await parseBody(request, openReadingSchema, ctx.t);
  if (!parsed.ok) return parsed.response;
  const article = await loadReaderArticle(slug);
  if (!article) return notFound(ctx.t);
  if (!ctx.viewer) return ok({ state: null });
  const viewer = ctx.viewer;
  const { since, groups, suspension } = await openReadingSession(viewer.id, article.id);
  const layers = parseLayers(readCookie(request, LAYERS_COOKIE), groups.map((g) => g.id));
  const ownSince = parsed.data.renderedAt === undefined ? null : new Date(parsed.data.renderedAt);
  const { scope, redrawParagraphIds, ...counts } = await getReaderOverlayData(article.id, viewer.id, { layers, since, ownSince });
  const highlights = await buildHighlightRepaint(article, viewer.id, {
    layers,
    scope,
    paragraphIds: [...redrawParagraphIds, ...(parsed.data.paragraphs ?? [])],
  });
  const state: ReaderState = {
    viewer: { id: viewer.id, name: viewer.name },
    ...counts,
    highlights,
    groups: groups.map(({ id, name }) => ({ id, name })),
    layers: serializeLayers(layers),
    suspension,
  };
  return ok({ state });
}

/**
 * GET /api/articles/{slug}/highlights?paragraphs=<id>,…: the highlights of these paragraphs as
 * this reader sees them (their layers applied), for repainting after a write or a live note.
 */
export async function getHighlights(request: Request, slug: string): Promise<Response> {
  const ctx = await context(request);
  const parsed = highlightsQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return validationFailure(ctx.t, parsed.error);
  const article = await loadReaderArticle(slug);
  if (!article) return notFound(ctx.t);
  const viewerId = ctx.viewer?.id ?? null;
  const raw = viewerId ? readCookie(request, LAYERS_COOKIE) : null;
  const layers = raw ? parseLayers(raw, (await getViewerGroups(viewerId)).map((g) => g.id)) : null;
  const repaint = await buildHighlightRepaint(article, viewerId, { layers, paragraphIds: parsed.data.paragraphs });
  return ok({ highlights: repaint });
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
  // Layers narrow what the reader sees; group ids the viewer is not in are ignored, and the
  // visibility rule still applies underneath.
  const layers = viewerId && query.layers ? parseLayers(query.layers, (await getViewerGroups(viewerId)).map((g) => g.id)) : null;

  if (query.paragraph) {
    const paragraph = article.paragraphs.find((p) => p.key === query.paragraph);
    if (!paragraph) return notFound(ctx.t);
    const notes = await getParagraphThreads(paragraph.id, viewerId, layers);
    return ok({ notes: markOrphans(article, notes) });
  }

  let cursor: { createdAt: Date; id: string } | null = null;
  if (query.cursor) {
    const [at, id] = query.cursor.split("_");
    const date = new Date(at ?? "");
    if (!id || !isUuid(id) || Number.isNaN(date.getTime())) return fail("validation", ctx.t("errors.invalid"));
    cursor = { createdAt: date, id };
  }
  const page = await listArticleThreads(article.id, viewerId, query, cursor, layers);
  // Orphans are listed on the first page only: they are few, and readers need them in one place.
  const overlay = query.cursor ? null : await buildNoteOverlay(article, viewerId, { layers });
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

/** Reads an optional JSON body of a DELETE (Next hands route handlers an empty stream). */
async function optionalBody(request: Request): Promise<string> {
  if (request.headers.get("content-length") === "0" || !request.body) return "";
  return (await request.text().catch(() => "")).trim();
}

// ---- reactions, answers ------------------------------------------------------------------------

/** PUT /api/notes/{id}/reaction (helpful) · DELETE to take it back. */
export async function putReaction(request: Request, id: string, helpful: boolean): Promise<Response> {
  const ctx = await context(request);
  const writer = await requireWriter(ctx);
  if (writer instanceof Response) return writer;
  if (!isUuid(id)) return notFound(ctx.t);
  return respond(ctx, await setHelpful(writer, id, helpful));
}

/** PUT /api/notes/{id}/answer { replyId, version } — the question's author marks its answer. */
export async function putAnswer(request: Request, id: string): Promise<Response> {
  const ctx = await context(request);
  const writer = await requireWriter(ctx);
  if (writer instanceof Response) return writer;
  if (!isUuid(id)) return notFound(ctx.t);
  const parsed = await parseBody(request, answerSchema, ctx.t);
  if (!parsed.ok) return parsed.response;
  return respond(ctx, await markAnswer(writer, id, parsed.data));
}

/** DELETE /api/notes/{id}/answer { version } — back to an open question. */
export async function removeAnswer(request: Request, id: string): Promise<Response> {
  const ctx = await context(request);
  const writer = await requireWriter(ctx);
  if (writer instanceof Response) return writer;
  if (!isUuid(id)) return notFound(ctx.t);
  const text = await optionalBody(request);
  const parsed = await parseBody(new Request(request.url, { method: "POST", headers: request.headers, body: text || "null" }), unanswerSchema, ctx.t);
  if (!parsed.ok) return parsed.response;
  return respond(ctx, await unmarkAnswer(writer, id, parsed.data.version));
}

// ---- mentions ----------------------------------------------------------------------------------

/** GET /api/notes/mentions?groupId=&q= — members of one of my groups, for @mention autocomplete. */
export async function listMentionCandidates(request: Request): Promise<Response> {
  const ctx = await context(request);
  if (!ctx.viewer) return fail("unauthenticated", ctx.t("errors.unauthenticated"));
  const parsed = mentionQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return validationFailure(ctx.t, parsed.error);
  const members = await searchGroupMembers(ctx.viewer.id, parsed.data.groupId, parsed.data.q);
  return members ? ok({ members }) : notFound(ctx.t);
}

// ---- notifications -----------------------------------------------------------------------------

/** GET /api/notifications — newest first, only for notes the user can still see. */
export async function getNotifications(request: Request): Promise<Response> {
  const ctx = await context(request);
  if (!ctx.viewer) return fail("unauthenticated", ctx.t("errors.unauthenticated"));
  const [notifications, unread] = await Promise.all([listNotifications(ctx.viewer.id), countUnreadNotifications(ctx.viewer.id)]);
  return ok({ notifications, unread });
}

/** POST /api/notifications/{id}/read, or /api/notifications/read-all with id "all". */
export async function readNotification(request: Request, id: string): Promise<Response> {
  const ctx = await context(request);
  if (!ctx.viewer) return fail("unauthenticated", ctx.t("errors.unauthenticated"));
  if (id === "all") return ok({ marked: await markAllNotificationsRead(ctx.viewer.id) });
  if (!isUuid(id)) return notFound(ctx.t);
  return (await markNotificationRead(ctx.viewer.id, id)) ? ok({ marked: 1 }) : notFound(ctx.t);
}
