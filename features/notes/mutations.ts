import "server-only";
import { getPrisma } from "@/lib/db/prisma";
import { Prisma } from "@/lib/generated/prisma/client";
import { describeRange } from "@/lib/text/anchoring";
import { sliceCodePoints } from "@/lib/text/code-points";
import { activeSuspensionSql, type Suspension } from "@/features/moderation/data";
import { getVisibleNote, noteSelectFor, toNoteDto, visibleTo, type NoteDto, type ViewerGroup } from "./data";
import type { AnswerInput, CreateNoteInput, CreateReplyInput, EditNoteInput } from "./schema";

export type MutationResult =
  | { ok: true; note: NoteDto; created: boolean }
  | { ok: false; code: "not_found" }
  | { ok: false; code: "validation"; field: string; message: string }
  | { ok: false; code: "conflict"; current: NoteDto }
  | { ok: false; code: "locked" };

type Author = { id: string };


/**
 * A new paragraph comment or text annotation. The quote's prefix/suffix are recomputed from the
 * stored paragraph text: the client only says where the selection is, and the server checks
 * that the text there is what the client saw.
 */
export async function createNote(author: Author, input: CreateNoteInput): Promise<MutationResult> {
  const prisma = getPrisma();
  // No replay lookup up front: a repeated key is rare, and the unique index on
  // (author, client_key) catches it in insertOnce for one query less on every create.
  const paragraph = await prisma.paragraph.findFirst({
    where: { id: input.paragraphId, position: { gt: 0 } },
    select: { id: true, articleId: true, texts: { where: { locale: input.locale }, select: { text: true } } },
  });
  const text = paragraph?.texts[0]?.text;
  if (!paragraph || text === undefined) return { ok: false, code: "not_found" };
  // A group note needs a live group the author belongs to; anything else is a 404 (no hint
  // that the group exists).
  let status: "visible" | "pending" = "visible";
  if (input.visibility === "group") {
    const member = await prisma.groupMember.findFirst({
      where: { groupId: input.groupId, userId: author.id, group: { deletedAt: null } },
      select: { role: true, group: { select: { preModeration: true } } },
    });
    if (!member) return { ok: false, code: "not_found" };
    // Pre-moderated groups hold plain members' notes until a group moderator approves them.
    if (member.group.preModeration && member.role === "member") status = "pending";
  }

  let quote: { quoteExact: string; quotePrefix: string; quoteSuffix: string; posStart: number; posEnd: number } | null = null;
  if (input.kind === "annotation" && input.range) {
    if (sliceCodePoints(text, input.range.start, input.range.end) !== input.range.exact) {
      return { ok: false, code: "validation", field: "range", message: "rangeMismatch" };
    }
    const selector = describeRange(text, input.range.start, input.range.end);
    quote = { quoteExact: selector.exact, quotePrefix: selector.prefix, quoteSuffix: selector.suffix, posStart: selector.start, posEnd: selector.end };
  }

  const result = await insertOnce(author.id, input.idempotencyKey, {
    articleId: paragraph.articleId,
    paragraphId: paragraph.id,
    locale: input.locale,
    authorId: author.id,
    kind: input.kind,
    visibility: input.visibility,
    groupId: input.visibility === "group" ? input.groupId : null,
    status,
    body: input.body,
    tag: input.tag,
    clientKey: input.idempotencyKey,
    ...quote,
  });
  if (result.ok && result.created) await notifyMentions(result.note, author.id, input.mentions);
  return result;
}

/** A reply joins its parent's thread and inherits the thread's visibility and paragraph. */
export async function createReply(author: Author, input: CreateReplyInput): Promise<MutationResult> {
  const replay = await findByIdempotencyKey(author.id, input.idempotencyKey);
  if (replay) return { ok: true, note: replay, created: false };
  const parent = await getPrisma().note.findFirst({
    where: { id: input.parentId, deletedAt: null, ...visibleTo(author.id) },
    select: { id: true, rootId: true, depth: true, articleId: true, paragraphId: true, visibility: true, groupId: true, authorId: true, lockedAt: true },
  });
  if (!parent) return { ok: false, code: "not_found" };
  // Moderators lock a thread on its first note.
  const root = parent.rootId ? await getPrisma().note.findUnique({ where: { id: parent.rootId }, select: { lockedAt: true } }) : parent;
  if (root?.lockedAt) return { ok: false, code: "locked" };
  const result = await insertOnce(author.id, input.idempotencyKey, {
    articleId: parent.articleId,
    paragraphId: parent.paragraphId,
    locale: input.locale,
    authorId: author.id,
    kind: "comment",
    visibility: parent.visibility,
    groupId: parent.groupId,
    parentId: parent.id,
    rootId: parent.rootId ?? parent.id,
    depth: parent.depth + 1,
    body: input.body,
    clientKey: input.idempotencyKey,
  });
  if (result.ok && result.created) {
    if (parent.authorId !== author.id) {
      await getPrisma().notification.createMany({
        data: [{ userId: parent.authorId, kind: "reply", noteId: result.note.id, actorId: author.id }],
        skipDuplicates: true,
      });
    }
    await notifyMentions(result.note, author.id, input.mentions);
  }
  return result;
}

/**
 * @mentions exist only in group notes, and only for current members of the note's group (not
 * the author): those get a NoteMention row (by user id, so renames keep working) and a
 * notification. Any other id is dropped without a trace; its "@name" stays plain text.
 */
async function notifyMentions(note: NoteDto, authorId: string, mentions: string[] | undefined): Promise<void> {
  if (!mentions?.length || note.visibility !== "group" || !note.group) return;
  const prisma = getPrisma();
  const members = await prisma.groupMember.findMany({
    where: { groupId: note.group.id, userId: { in: [...new Set(mentions)], not: authorId } },
    select: { userId: true },
  });
  if (!members.length) return;
  await prisma.$transaction([
    prisma.noteMention.createMany({ data: members.map((m) => ({ noteId: note.id, userId: m.userId })), skipDuplicates: true }),
    prisma.notification.createMany({
      data: members.map((m) => ({ userId: m.userId, kind: "mention" as const, noteId: note.id, actorId: authorId })),
      skipDuplicates: true,
    }),
  ]);
}

async function insertOnce(authorId: string, key: string, data: Prisma.NoteUncheckedCreateInput): Promise<MutationResult> {
  try {
    // INSERT … RETURNING id, then one read with the relations: two statements, where a create
    // with relations costs a transaction of four.
    const { id } = await getPrisma().note.create({ data, select: { id: true } });
    const row = await getPrisma().note.findUniqueOrThrow({ where: { id }, select: noteSelectFor(authorId) });
    return { ok: true, note: toNoteDto(row), created: true };
  } catch (error) {
    // Two submissions with one key raced past the replay check: the unique index decided.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const existing = await findByIdempotencyKey(authorId, key);
      if (existing) return { ok: true, note: existing, created: false };
    }
    throw error;
  }
}

async function findByIdempotencyKey(authorId: string, clientKey: string): Promise<NoteDto | null> {
  const row = await getPrisma().note.findUnique({
    where: { authorId_clientKey: { authorId, clientKey } },
    select: noteSelectFor(authorId),
  });
  return row ? toNoteDto(row) : null;
}

/**
 * Edits the author's own note. The previous body goes to note_revision, and the update only
 * applies if the version is still the one the editor started from.
 */
export async function editNote(author: Author, id: string, input: EditNoteInput): Promise<MutationResult> {
  const prisma = getPrisma();
  const note = await prisma.note.findFirst({
    where: { id, authorId: author.id, deletedAt: null },
    select: { id: true, kind: true, body: true, tag: true, version: true, createdAt: true, editedAt: true },
  });
  if (!note) return { ok: false, code: "not_found" };
  if (note.kind === "comment" && !input.body) return { ok: false, code: "validation", field: "body", message: "bodyRequired" };
  if (note.version !== input.version) return conflict(id, author.id);

  const tag = input.tag === undefined ? note.tag : input.tag;
  const updated = await prisma.$transaction(async (tx) => {
    const result = await tx.note.updateMany({
      where: { id, version: input.version, deletedAt: null },
      data: { body: input.body, tag, version: { increment: 1 }, editedAt: new Date() },
    });
    if (result.count === 0) return false;
    await tx.noteRevision.create({
      data: { noteId: id, version: note.version, body: note.body, tag: note.tag, createdAt: note.editedAt ?? note.createdAt },
    });
    return true;
  });
  if (!updated) return conflict(id, author.id);
  const fresh = await getVisibleNote(id, author.id);
  return fresh ? { ok: true, note: fresh, created: false } : { ok: false, code: "not_found" };
}

/** Soft delete: the row (and its history) stays; readers see a placeholder while replies remain. */
export async function deleteNote(author: Author, id: string, version?: number): Promise<MutationResult> {
  const prisma = getPrisma();
  const note = await prisma.note.findFirst({ where: { id, authorId: author.id, deletedAt: null }, select: { version: true } });
  if (!note) return { ok: false, code: "not_found" };
  if (version !== undefined && version !== note.version) return conflict(id, author.id);
  const result = await prisma.note.updateMany({
    where: { id, version: note.version, deletedAt: null },
    data: { deletedAt: new Date(), version: { increment: 1 } },
  });
  if (result.count === 0) return conflict(id, author.id);
  const row = await prisma.note.findUniqueOrThrow({ where: { id }, select: noteSelectFor(author.id) });
  return { ok: true, note: toNoteDto(row), created: false };
}

async function conflict(id: string, viewerId: string): Promise<MutationResult> {
  const current = await getVisibleNote(id, viewerId);
  return current ? { ok: false, code: "conflict", current } : { ok: false, code: "not_found" };
}

// ---- reactions -----------------------------------------------------------------------------------

/**
 * "Helpful" on a note the user can see: one per user per note, setting it twice is a no-op.
 * Not on one's own notes (it would only inflate "most helpful"): a validation error.
 */
export async function setHelpful(user: Author, noteId: string, helpful: boolean): Promise<MutationResult> {
  const prisma = getPrisma();
  const note = await prisma.note.findFirst({ where: { id: noteId, deletedAt: null, ...visibleTo(user.id) }, select: { authorId: true } });
  if (!note) return { ok: false, code: "not_found" };
  if (note.authorId === user.id) return { ok: false, code: "validation", field: "note", message: "ownReaction" };
  if (helpful) {
    await prisma.noteReaction.createMany({ data: [{ noteId, userId: user.id }], skipDuplicates: true });
  } else {
    await prisma.noteReaction.deleteMany({ where: { noteId, userId: user.id } });
  }
  const fresh = await getVisibleNote(noteId, user.id);
  return fresh ? { ok: true, note: fresh, created: false } : { ok: false, code: "not_found" };
}

// ---- answered questions ------------------------------------------------------------------------

/**
 * The author of a question (a root note tagged `question`) marks one reply of its thread as the
 * answer, from the version they saw; the reply's author is notified.
 */
export async function markAnswer(user: Author, noteId: string, input: AnswerInput): Promise<MutationResult> {
  const prisma = getPrisma();
  const question = await prisma.note.findFirst({
    where: { id: noteId, authorId: user.id, deletedAt: null, ...visibleTo(user.id) },
    select: { version: true, parentId: true, tag: true },
  });
  if (!question) return { ok: false, code: "not_found" };
  if (question.parentId !== null || question.tag !== "question") {
    return { ok: false, code: "validation", field: "note", message: "notAQuestion" };
  }
  const reply = await prisma.note.findFirst({ where: { id: input.replyId, rootId: noteId, deletedAt: null }, select: { authorId: true } });
  if (!reply) return { ok: false, code: "validation", field: "replyId", message: "answerNotInThread" };
  if (question.version !== input.version) return conflict(noteId, user.id);
  const updated = await prisma.note.updateMany({
    where: { id: noteId, version: input.version, deletedAt: null },
    data: { answeredById: input.replyId, answeredAt: new Date(), version: { increment: 1 } },
  });
  if (updated.count === 0) return conflict(noteId, user.id);
  if (reply.authorId !== user.id) {
    await prisma.notification.createMany({
      data: [{ userId: reply.authorId, kind: "answer", noteId: input.replyId, actorId: user.id }],
      skipDuplicates: true,
    });
  }
  const fresh = await getVisibleNote(noteId, user.id);
  return fresh ? { ok: true, note: fresh, created: false } : { ok: false, code: "not_found" };
}

/** Back to an open question; the earlier answer's notification goes too. */
export async function unmarkAnswer(user: Author, noteId: string, version: number): Promise<MutationResult> {
  const prisma = getPrisma();
  const question = await prisma.note.findFirst({
    where: { id: noteId, authorId: user.id, deletedAt: null, ...visibleTo(user.id) },
    select: { version: true, answeredById: true },
  });
  if (!question) return { ok: false, code: "not_found" };
  if (question.version !== version) return conflict(noteId, user.id);
  const updated = await prisma.note.updateMany({
    where: { id: noteId, version, deletedAt: null },
    data: { answeredById: null, answeredAt: null, version: { increment: 1 } },
  });
  if (updated.count === 0) return conflict(noteId, user.id);
  if (question.answeredById) await prisma.notification.deleteMany({ where: { kind: "answer", noteId: question.answeredById } });
  const fresh = await getVisibleNote(noteId, user.id);
  return fresh ? { ok: true, note: fresh, created: false } : { ok: false, code: "not_found" };
}

// ---- notifications and visits ------------------------------------------------------------------

/** Marks one of the user's notifications read (someone else's id: false, answered as 404). */
export async function markNotificationRead(userId: string, id: string): Promise<boolean> {
  const result = await getPrisma().notification.updateMany({ where: { id, userId }, data: { readAt: new Date() } });
  if (result.count > 0) return true;
  return false;
}

export async function markAllNotificationsRead(userId: string): Promise<number> {
  const result = await getPrisma().notification.updateMany({ where: { userId, readAt: null }, data: { readAt: new Date() } });
  return result.count;
}

/** Visits closer together than this belong to one reading session. */
export const VISIT_SESSION_GAP_MS = 30 * 60_000;

export type ReadingSession = { since: Date | null; groups: ViewerGroup[]; suspension: Suspension | null };

/**
 * Everything a signed-in page view needs about its reader, in one statement (it runs on every
 * page view): records the visit, and reads the reader's groups (as getViewerGroups) and the
 * suspension in force (moderation's rule, activeSuspensionSql).
 *
 * `since` is where "new since my last visit" counts from (null on a first visit): the end of
 * the previous reading session. A reload, a layer change or the refresh after posting is the
 * same session, so the boundary stays and "new" markers do not vanish under the reader; after a
 * pause, the session that just ended becomes the boundary. SET expressions read the row as it
 * was, RETURNING the row as written. Sessions run on UTC (lib/db/prisma.ts), so the Date
 * parameter and Prisma's own created_at writes compare.
 */
export async function openReadingSession(userId: string, articleId: string, at: Date = new Date()): Promise<ReadingSession> {
  const rows = await getPrisma().$queryRaw<{ since: Date | null; groups: ViewerGroup[] | null; suspension: { reason: string; endsAt: string | null } | null }[]>`
    WITH visit AS (
      INSERT INTO article_visit (user_id, article_id, last_visited_at)
      VALUES (${userId}, ${articleId}::uuid, ${at}::timestamptz)
      ON CONFLICT (user_id, article_id) DO UPDATE SET
        previous_visited_at = CASE
          WHEN EXCLUDED.last_visited_at - article_visit.last_visited_at > make_interval(secs => ${VISIT_SESSION_GAP_MS / 1000})
          THEN article_visit.last_visited_at ELSE article_visit.previous_visited_at END,
        last_visited_at = EXCLUDED.last_visited_at
      RETURNING previous_visited_at
    )
    SELECT
      (SELECT previous_visited_at FROM visit) AS since,
      (SELECT json_agg(json_build_object('id', g.id, 'name', g.name, 'role', m.role, 'languageFocus', g.language_focus) ORDER BY g.name, g.id)
        FROM group_member m JOIN "group" g ON g.id = m.group_id
        WHERE m.user_id = ${userId} AND g.deleted_at IS NULL) AS groups,
      (SELECT json_build_object('reason', s.reason, 'endsAt', s.ends_at)
        FROM user_suspension s WHERE ${activeSuspensionSql(userId)}
        ORDER BY s.created_at DESC LIMIT 1) AS suspension`;
  const row = rows[0];
  const suspension = row?.suspension ?? null;
  return {
    since: row?.since ? new Date(row.since) : null,
    groups: (row?.groups ?? []).slice(0, 200),
    suspension: suspension ? { reason: suspension.reason, endsAt: suspension.endsAt ? new Date(suspension.endsAt).toISOString() : null } : null,
  };
}
