import { z } from "zod";
import "@/lib/zod-jitless";
import { parseKeysetCursor } from "@/lib/http/cursor";
import { MAX_BODY_LENGTH, MAX_QUOTE_LENGTH, noteKinds, noteTags, noteVisibilities, textLocales } from "./types";

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

export const mentionQuerySchema = z.object({
  groupId: z.uuid(),
  q: z.string().trim().max(80).default(""),
});

export type CreateNoteInput = z.infer<typeof createNoteSchema>;
export type CreateReplyInput = z.infer<typeof createReplySchema>;
export type EditNoteInput = z.infer<typeof editNoteSchema>;
export type AnswerInput = z.infer<typeof answerSchema>;
export type ListNotesQuery = z.infer<typeof listNotesQuerySchema>;
