import { z } from "zod";
import "@/lib/zod-jitless";
import { parseKeysetCursor } from "@/lib/http/cursor";

export const noteTags = ["question", "vocabulary", "translation", "insight"] as const;
export type NoteTag = (typeof noteTags)[number];
export const noteKinds = ["comment", "annotation"] as const;
export type NoteKind = (typeof noteKinds)[number];
export const noteVisibilities = ["private", "public", "group"] as const;
export type NoteVisibility = (typeof noteVisibilities)[number];
export const textLocales = ["en", "ja"] as const;

export const MAX_BODY_LENGTH = 10_000;
/** Longest passage one annotation may quote (a whole paragraph fits). */
export const MAX_QUOTE_LENGTH = 4_000;

const body = z.string().trim().max(MAX_BODY_LENGTH, { error: "bodyTooLong" });
/** Client-generated per form submission; a retry or double click repeats it (idempotent create). */
const idempotencyKey = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, { error: "badIdempotencyKey" });

/**
 * User ids the composer picked from the group's member list. Only ids of members of the note's
 * group are kept by the server; anything else is silently plain text (no hint who exists).
 */
const mentions = z.array(z.string().min(1).max(64)).max(20).optional();

// Only what the client chooses is accepted; author, version, timestamps, prefix/suffix and
// thread placement are decided by the server. `.strict()` refuses anything else (authorId,
// deletedAt, role…) instead of silently dropping it, so a tampering client learns nothing works.
export const rangeSchema = z
  .object({
    start: z.int().min(0).max(100_000),
    end: z.int().min(1).max(100_000),
    exact: z.string().min(1).max(MAX_QUOTE_LENGTH),
  })
  .strict()
  .refine((range) => range.end > range.start, { error: "badRange", path: ["end"] });

export const createNoteSchema = z
  .object({
    paragraphId: z.uuid({ error: "badParagraph" }),
    locale: z.enum(textLocales),
    kind: z.enum(noteKinds),
    visibility: z.enum(noteVisibilities),
    body,
    tag: z.enum(noteTags).nullable().default(null),
    range: rangeSchema.optional(),
    /** Required with visibility "group": the author must be a member. */
    groupId: z.uuid({ error: "badGroup" }).optional(),
    mentions,
    idempotencyKey,
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.visibility === "group" && !input.groupId) ctx.addIssue({ code: "custom", message: "badGroup", path: ["groupId"] });
    if (input.visibility !== "group" && input.groupId) ctx.addIssue({ code: "custom", message: "badGroup", path: ["groupId"] });
    if (input.kind === "annotation" && !input.range) ctx.addIssue({ code: "custom", message: "rangeRequired", path: ["range"] });
    if (input.kind === "comment" && input.range) ctx.addIssue({ code: "custom", message: "rangeNotAllowed", path: ["range"] });
    if (input.kind === "comment" && !input.body) ctx.addIssue({ code: "custom", message: "bodyRequired", path: ["body"] });
  });

export const createReplySchema = z
  .object({
    parentId: z.uuid({ error: "notFound" }),
    /** The text language the reader was looking at when replying. */
    locale: z.enum(textLocales),
    body: body.min(1, { error: "bodyRequired" }),
    mentions,
    idempotencyKey,
  })
  .strict();

export const editNoteSchema = z
  .object({
    body,
    tag: z.enum(noteTags).nullable().optional(),
    /** The version the editor started from; a mismatch is a 409, never a silent overwrite. */
    version: z.int().min(1),
  })
  .strict();

export const deleteNoteSchema = z.object({ version: z.int().min(1).optional() }).strict();

/** A keyset cursor: the last note of a page (lib/http/cursor.ts). */
export const parseNoteCursor = parseKeysetCursor;

export const listNotesQuerySchema = z.object({
  article: z.string().min(1).max(120),
  paragraph: z.string().regex(/^p-\d{1,4}$/).optional(),
  author: z.enum(["everyone", "mine"]).default("everyone"),
  kind: z.enum(noteKinds).optional(),
  tag: z.enum(noteTags).optional(),
  locale: z.enum(textLocales).optional(),
  cursor: z
    .string()
    .max(100)
    .refine((value) => parseNoteCursor(value) !== null, { error: "invalid" })
    .optional(),
  /** Comma list of layers (see parseLayers); absent = every layer. */
  layers: z.string().max(2_000).optional(),
});

export const answerSchema = z.object({ replyId: z.uuid({ error: "notFound" }), version: z.int().min(1) }).strict();
export const unanswerSchema = z.object({ version: z.int().min(1) }).strict();

/** GET /api/articles/{slug}/highlights?paragraphs=<id>,<id>: the paragraphs to repaint. */
export const highlightsQuerySchema = z.object({
  paragraphs: z
    .string()
    .max(2_000)
    .transform((value) => value.split(",").filter(Boolean))
    .pipe(z.array(z.uuid()).min(1).max(50)),
});

/**
 * POST /api/articles/{slug}/reading: when the cached page read its notes (ms since the epoch: the
 * reader's own highlights written since are redrawn) and the paragraphs the page already redrew
 * after a write, so a reload of the state keeps them current; anything else is refused.
 */
export const openReadingSchema = z
  .object({ renderedAt: z.int().min(0).max(8_640_000_000_000_000).optional(), paragraphs: z.array(z.uuid()).max(50).optional() })
  .strict();

export const mentionQuerySchema = z.object({
  groupId: z.uuid(),
  q: z.string().trim().max(80).default(""),
});

// ---- layers ------------------------------------------------------------------------------------

/** The cookie the reader's layer switcher writes and the reader API (POST …/reading, GET …/highlights) reads. */
export const LAYERS_COOKIE = "taiyaku.layers";

/**
 * Which layers of notes a signed-in reader shows: public notes, their own (private or public,
 * not group) notes, and notes of chosen groups. null means "everything I can see". Layers only
 * narrow the visibility rule, never widen it.
 */
export type Layers = { public: boolean; mine: boolean; groupIds: string[] };

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * "public,mine,g:<uuid>" → Layers. Group ids not in `myGroupIds` are dropped (a stale cookie or
 * a tampering client); unknown tokens are ignored. "none" is the explicit empty choice.
 */
export function parseLayers(raw: string | null | undefined, myGroupIds: readonly string[]): Layers | null {
  if (raw === null || raw === undefined || raw.trim() === "") return null;
  const mine = new Set(myGroupIds.map((id) => id.toLowerCase()));
  const layers: Layers = { public: false, mine: false, groupIds: [] };
  for (const token of raw.split(",").map((part) => part.trim()).slice(0, 100)) {
    if (token === "public") layers.public = true;
    else if (token === "mine") layers.mine = true;
    else if (token.startsWith("g:")) {
      const id = token.slice(2).toLowerCase();
      if (uuidPattern.test(id) && mine.has(id) && !layers.groupIds.includes(id)) layers.groupIds.push(id);
    }
  }
  return layers;
}

export function serializeLayers(layers: Layers | null): string {
  if (!layers) return "";
  const tokens = [...(layers.public ? ["public"] : []), ...(layers.mine ? ["mine"] : []), ...layers.groupIds.map((id) => `g:${id}`)];
  return tokens.length ? tokens.join(",") : "none";
}

export type CreateNoteInput = z.infer<typeof createNoteSchema>;
export type CreateReplyInput = z.infer<typeof createReplySchema>;
export type EditNoteInput = z.infer<typeof editNoteSchema>;
export type AnswerInput = z.infer<typeof answerSchema>;
export type ListNotesQuery = z.infer<typeof listNotesQuerySchema>;
