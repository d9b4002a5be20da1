import "server-only";
import { z } from "zod";
import { loadReadableArticle } from "@/features/articles/loaders";
import { invalidatePublicNotes } from "@/lib/cache-tags";
import { defineEndpoint, type EndpointContext } from "@/lib/http/endpoint";
import { fail, ok } from "@/lib/http/responses";
import { parseLayers } from "@/lib/layers";
import { anchorSelector } from "@/lib/text/anchoring";
import {
  getNoteRevisions,
  getParagraphThreads,
  getViewerGroups,
  getVisibleNote,
  listArticleThreads,
  getNotesByIds,
  getPublicArticleThreads,
  searchGroupMembers,
} from "./data";
import { buildNoteOverlay } from "./loaders";
import {
  createNote,
  createReply,
  deleteNote,
  editNote,
  markAnswer,
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
  listNotesQuerySchema,
  mentionQuerySchema,
  parseNoteCursor,
  unanswerSchema,
} from "./schema";
import type { NoteDto } from "./types";

// The notes API: endpoints of the one pipeline (lib/http/endpoint.ts) behind thin route files,
// so integration tests exercise exactly what the browser calls. The pipeline authenticates,
// checks the origin, validates and rate-limits; these functions only do the notes' work.
// Personal API tokens (ADR 0027) open list/get/history (read scope) and create/edit/delete,
// reactions and answers (write scope); flags too (features/moderation/api.ts).

/** ~4 writes per second per user with bursts of 8, shared by every app instance. */
export const NOTE_WRITE_BUCKET = { capacity: 8, refillPerSecond: 4 };
const writer = { messages: "Notes", auth: "writer", writeLimit: { key: "notes", bucket: NOTE_WRITE_BUCKET } } as const;
const noteId = { id: "uuid" } as const;

type Ctx = EndpointContext<"Notes", string, unknown, unknown, "writer">;

function respond(ctx: Pick<Ctx, "t" | "notFound">, result: MutationResult, createdStatus = 200): Response {
  if (result.ok) {
    // Signed-out readers share cached public notes per article: a public write marks them stale.
    // Expired on every instance: the next page view anywhere shows the write (lib/cache-tags.ts).
    if (result.note.visibility === "public") invalidatePublicNotes(result.note.articleId);
    return ok({ note: result.note, replayed: createdStatus === 201 && !result.created }, result.created ? createdStatus : 200);
  }
  if (result.code === "not_found") return ctx.notFound();
  if (result.code === "conflict") return fail("conflict", ctx.t("errors.conflict"), { current: result.current });
  if (result.code === "locked") return fail("locked", ctx.t("errors.locked"));
  const message = ctx.t.has(`errors.${result.message}` as "errors.invalid") ? ctx.t(`errors.${result.message}` as "errors.invalid") : ctx.t("errors.invalid");
  return fail("validation", message, { fieldErrors: { [result.field]: [message] } });
}

// ---- reads -------------------------------------------------------------------------------------

/** GET /api/notes?article=slug[&paragraph=p-5 | filters] */
export const listNotes = defineEndpoint({ summary: "The notes of an article the caller may see: the threads of one paragraph, or the article's threads filtered and paged (orphaned notes on the first page).", messages: "Notes", auth: "optional", tokens: "read", query: listNotesQuerySchema }, async ({ query, viewer, notFound }) => {
  const article = await loadReadableArticle(query.article, viewer);
  if (!article) return notFound();
  const viewerId = viewer?.id ?? null;
  // Layers narrow what the reader sees; group ids the viewer is not in are ignored, and the
  // visibility rule still applies underneath.
  const layers = viewerId && query.layers ? parseLayers(query.layers, (await getViewerGroups(viewerId)).map((g) => g.id)) : null;

  if (query.paragraph) {
    const paragraph = article.paragraphs.find((p) => p.key === query.paragraph);
    if (!paragraph) return notFound();
    const page = await getParagraphThreads(paragraph.id, viewerId, layers, query.cursor);
    return ok({ notes: markOrphans(article, page.notes), nextCursor: page.nextCursor, total: page.total });
  }

  // The schema already refused cursors that do not parse.
  const cursor = query.cursor ? parseNoteCursor(query.cursor) : null;
  const page = viewerId || cursor ? await listArticleThreads(article.id, viewerId, query, cursor, layers) : await getPublicArticleThreads(article.id, query);
  // Orphans are listed on the first page only: they are few, and readers need them in one place.
  const overlay = query.cursor ? null : await buildNoteOverlay(article, viewerId, { layers });
  const orphans = overlay ? await getNotesByIds(overlay.orphanIds.slice(0, 100), viewerId) : [];
  return ok({ notes: markOrphans(article, page.notes), nextCursor: page.nextCursor, orphans: orphans.map((n) => ({ ...n, orphan: true })) });
});

type ArticleTexts = { paragraphs: { id: string; text: Record<string, string> }[] };

function markOrphans(article: ArticleTexts, notes: NoteDto[]) {
  return notes.map((note) => {
    // A revision left it without its passage: not attached to the text, even where its words recur.
    if (note.passageChangedIn !== undefined) return { ...note, orphan: note.quote !== null };
    if (!note.quote) return { ...note, orphan: false };
    const text = article.paragraphs.find((p) => p.id === note.paragraphId)?.text[note.locale];
    return { ...note, orphan: text === undefined || anchorSelector(text, note.quote) === null };
  });
}

/** GET /api/notes/{id} */
export const getNote = defineEndpoint({ summary: "One note the caller may see (404 for anything they may not).", messages: "Notes", auth: "optional", tokens: "read", params: noteId }, async ({ params, viewer, notFound }) => {
  const note = await getVisibleNote(params.id, viewer?.id ?? null);
  return note ? ok({ note }) : notFound();
});

/** GET /api/notes/{id}/history */
export const getNoteHistory = defineEndpoint({ summary: "A note's edit history (its earlier bodies and tags), for those who may see the note.", messages: "Notes", auth: "optional", tokens: "read", params: noteId }, async ({ params, viewer, notFound }) => {
  const revisions = await getNoteRevisions(params.id, viewer?.id ?? null);
  return revisions ? ok({ revisions }) : notFound();
});

// ---- writes ------------------------------------------------------------------------------------

/** POST /api/notes — a new comment or annotation, or a reply when `parentId` is given. */
// Any JSON object here: which schema applies depends on whether it is a reply (checked inside).
export const postNote = defineEndpoint({ ...writer, summary: "Write a note on a paragraph (a comment or an annotation of a quote) or, with `parentId`, a reply; the same `idempotencyKey` replays instead of writing twice.", tokens: "write", body: z.record(z.string(), z.unknown()), documentedBody: z.union([createNoteSchema, createReplySchema]) }, async (ctx) => {
  const input = ctx.body;
  if ("parentId" in input) return respond(ctx, await createReply(ctx.viewer, ctx.validate(createReplySchema, input)), 201);
  return respond(ctx, await createNote(ctx.viewer, ctx.validate(createNoteSchema, input)), 201);
});

/** PATCH /api/notes/{id} — body/tag edit from a known version. */
export const patchNote = defineEndpoint({ ...writer, summary: "Edit the body and tags of the caller's note from the version they last saw (409 with the current note when stale).", tokens: "write", params: noteId, body: editNoteSchema }, async (ctx) =>
  respond(ctx, await editNote(ctx.viewer, ctx.params.id, ctx.body)),
);

/** DELETE /api/notes/{id} — soft delete by the author; `{version}` optional. */
export const removeNote = defineEndpoint({ ...writer, summary: "Delete the caller's own note (soft delete); an optional `version` refuses to delete a newer edit.", tokens: "write", params: noteId, body: deleteNoteSchema, bodyOptional: true }, async (ctx) =>
  respond(ctx, await deleteNote(ctx.viewer, ctx.params.id, ctx.body.version), 200),
);

// ---- reactions, answers ------------------------------------------------------------------------

/** PUT /api/notes/{id}/reaction (helpful) · DELETE to take it back. */
export const putReaction = defineEndpoint({ ...writer, summary: "Mark a note helpful (one mark per reader; repeating it changes nothing).", tokens: "write", params: noteId }, async (ctx) => respond(ctx, await setHelpful(ctx.viewer, ctx.params.id, true)));
export const removeReaction = defineEndpoint({ ...writer, summary: "Take back the caller's helpful mark on a note.", tokens: "write", params: noteId }, async (ctx) => respond(ctx, await setHelpful(ctx.viewer, ctx.params.id, false)));

/** PUT /api/notes/{id}/answer { replyId, version } — the question's author marks its answer. */
export const putAnswer = defineEndpoint({ ...writer, summary: "The author of a question marks one of its replies as the answer.", tokens: "write", params: noteId, body: answerSchema }, async (ctx) =>
  respond(ctx, await markAnswer(ctx.viewer, ctx.params.id, ctx.body)),
);

/** DELETE /api/notes/{id}/answer { version } — back to an open question. */
export const removeAnswer = defineEndpoint({ ...writer, summary: "The author of a question takes its answer mark back: an open question again.", tokens: "write", params: noteId, body: unanswerSchema, bodyOptional: true }, async (ctx) =>
  respond(ctx, await unmarkAnswer(ctx.viewer, ctx.params.id, ctx.body.version)),
);

// ---- mentions ----------------------------------------------------------------------------------

/** GET /api/notes/mentions?groupId=&q= — members of one of my groups, for @mention autocomplete. */
export const listMentionCandidates = defineEndpoint(
  { summary: "Members of one of the caller's groups whose names match `q`, for @mention autocomplete.", messages: "Notes", auth: "required", query: mentionQuerySchema },
  async ({ viewer, query, notFound }) => {
    const members = await searchGroupMembers(viewer.id, query.groupId, query.q);
    return members ? ok({ members }) : notFound();
  },
);
