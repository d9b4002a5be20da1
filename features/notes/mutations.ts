import "server-only";
import { getPrisma } from "@/lib/db/prisma";
import { Prisma } from "@/lib/generated/prisma/client";
import { liveMemberships, needsApprovalSql } from "@/lib/permissions/groups";
import { readableArticlesOf } from "@/lib/permissions/articles";
import { noteReadableBy } from "@/lib/permissions/notes";
import { scheduleNotificationMail } from "@/lib/notification-mail";
import { requireVerifiedEmail } from "@/lib/auth/email-links";
import { CONTEXT_LENGTH } from "@/lib/text/anchoring";
import { getVisibleNote, noteSelectFor, toNoteDto } from "./data";
import type { NoteDto } from "./types";
import type { AnswerInput, CreateNoteInput, CreateReplyInput, EditNoteInput } from "./schema";

export type MutationResult =
  | { ok: true; note: NoteDto; created: boolean }
  | { ok: false; code: "not_found" }
  | { ok: false; code: "validation"; field: string; message: string }
  | { ok: false; code: "conflict"; current: NoteDto }
  | { ok: false; code: "locked" };

type Author = { id: string };

/**
 * Where a note written through the W3C annotation protocol (features/annotations) came from: the
 * id a client's Slug asked for (a free uuid), the client's own annotation IRI (`via`) and its
 * `canonical` IRI. Ordinary notes have none of these.
 */
export type NoteOrigin = { id?: string; via?: string | null; canonical?: string | null };


// Creating a note is the hottest write: each costs one SQL statement in the common case (two
// when a concurrent submission with the same key won the race). The checks, the insert, the
// parent author's and mentioned members' notifications and the answer's columns are CTEs of that
// statement, which is atomic on its own (no interactive transaction, no BEGIN/COMMIT round
// trips); the answer is built from the inserted row instead of being read back with relation
// queries. Data-modifying CTEs all see the snapshot the statement started with, hence the
// `existing` and `fresh` bookkeeping below.

// REQUIRE_VERIFIED_EMAIL (ADR 0033): an account whose address is not confirmed writes private
// notes only — no public or group notes, no replies in public or group threads. Checked here, in
// the data layer, so the notes API, the W3C annotation protocol and the import all inherit it.
// One primary-key read, and only while the requirement is on.
const EMAIL_UNVERIFIED = { ok: false, code: "validation", field: "visibility", message: "emailUnverified" } as const;

async function mustVerifyEmailFirst(userId: string): Promise<boolean> {
  if (!requireVerifiedEmail()) return false;
  const user = await getPrisma().user.findUnique({ where: { id: userId }, select: { emailVerified: true } });
  return user !== null && !user.emailVerified;
}

/**
 * A new paragraph comment or text annotation. The quote's prefix/suffix are recomputed from the
 * stored paragraph text: the client only says where the selection is, and the server checks
 * that the text there is what the client saw (in code points, which is what PostgreSQL's
 * substr counts in a UTF-8 database).
 */
export async function createNote(author: Author, input: CreateNoteInput, origin: NoteOrigin = {}): Promise<MutationResult> {
  if (input.visibility !== "private" && (await mustVerifyEmailFirst(author.id))) return EMAIL_UNVERIFIED;
  const groupId = input.visibility === "group" ? (input.groupId ?? null) : null;
  const range = input.kind === "annotation" ? (input.range ?? null) : null;
  const now = new Date();
  const statement = Prisma.sql`
    WITH checked AS (
      SELECT p.id AS paragraph_id, p.article_id, t.text, m.role AS member_role, g.pre_moderation,
        (${groupId}::uuid IS NULL OR g.id IS NOT NULL) AS member_ok,
        (${range?.exact ?? null}::text IS NULL
          OR substr(t.text, ${range?.start ?? 0}::int + 1, ${range ? range.end - range.start : 0}::int) = ${range?.exact ?? null}::text) AS range_ok,
        least(${range?.start ?? 0}::int, char_length(t.text)) AS quote_from,
        least(${range?.end ?? 0}::int, char_length(t.text)) AS quote_to
      FROM paragraph p
      JOIN paragraph_text t ON t.paragraph_id = p.id AND t.locale = ${input.locale}
      LEFT JOIN ${liveMemberships(author.id).sql} m ON m.group_id = ${groupId}::uuid
      LEFT JOIN "group" g ON g.id = m.group_id
      WHERE p.id = ${input.paragraphId}::uuid AND p.position > 0
        -- Only on an article the author may read (a group reading: its members; ADR 0019).
        AND EXISTS (SELECT 1 FROM article a WHERE a.id = p.article_id AND ${readableArticlesOf(author.id).sql})
    ),
    existing AS (SELECT * FROM note WHERE author_id = ${author.id} AND client_key = ${input.idempotencyKey}),
    inserted AS (
      INSERT INTO note (id, article_id, paragraph_id, locale, author_id, kind, visibility, group_id, status, body, tag,
        quote_exact, quote_prefix, quote_suffix, pos_start, pos_end, client_key, created_at, updated_at, article_revision, via, canonical)
      SELECT coalesce(${origin.id ?? null}::uuid, gen_random_uuid()), c.article_id, c.paragraph_id, ${input.locale}, ${author.id}, ${input.kind}::"NoteKind",
        ${input.visibility}::"NoteVisibility", ${groupId}::uuid,
        -- Pre-moderated groups hold plain members' notes until a group moderator approves them.
        (CASE WHEN ${needsApprovalSql(Prisma.sql`c.member_role`, Prisma.sql`c.pre_moderation`)} THEN 'pending' ELSE 'visible' END)::"NoteStatus",
        ${input.body}, ${input.tag ?? null}::"NoteTag",
        ${range ? Prisma.sql`substr(c.text, c.quote_from + 1, c.quote_to - c.quote_from),
          substr(c.text, greatest(c.quote_from - ${CONTEXT_LENGTH}::int, 0) + 1, c.quote_from - greatest(c.quote_from - ${CONTEXT_LENGTH}::int, 0)),
          substr(c.text, c.quote_to + 1, ${CONTEXT_LENGTH}::int), c.quote_from, c.quote_to` : Prisma.sql`NULL, NULL, NULL, NULL, NULL`},
        ${input.idempotencyKey}, ${now}::timestamptz, ${now}::timestamptz,
        -- The revision whose text the quote was taken from (ADR 0018: "written on revision N").
        (SELECT a.revision FROM article a WHERE a.id = c.article_id),
        ${origin.via ?? null}::varchar, ${origin.canonical ?? null}::varchar
      FROM checked c
      WHERE c.member_ok AND c.range_ok AND NOT EXISTS (SELECT 1 FROM existing)
      ON CONFLICT (author_id, client_key) DO NOTHING
      RETURNING *
    )
    ${mentionsSql(author.id, input.mentions, now)}
    SELECT
      EXISTS (SELECT 1 FROM checked) AS target_ok,
      coalesce((SELECT member_ok FROM checked), false) AS member_ok,
      coalesce((SELECT range_ok FROM checked), false) AS range_ok,
      ${notifiedSql(false, input.mentions)} AS notified,
      d.*
    FROM (SELECT 1) one LEFT JOIN (${writtenNoteSql(author.id)}) d ON TRUE`;
  return runCreate(statement, (row) => {
    // A group note needs a live group the author belongs to; anything else is a 404 (no hint
    // that the group exists).
    if (!row.target_ok || !row.member_ok) return { ok: false, code: "not_found" };
    if (!row.range_ok) return { ok: false, code: "validation", field: "range", message: "rangeMismatch" };
    return null;
  });
}

/** A reply joins its parent's thread and inherits the thread's visibility and paragraph. */
export async function createReply(author: Author, input: CreateReplyInput, origin: NoteOrigin = {}): Promise<MutationResult> {
  if (await mustVerifyEmailFirst(author.id)) {
    const parent = await getPrisma().note.findUnique({ where: { id: input.parentId }, select: { visibility: true } });
    if (parent && parent.visibility !== "private") return EMAIL_UNVERIFIED;
  }
  const now = new Date();
  const statement = Prisma.sql`
    WITH existing AS (SELECT * FROM note WHERE author_id = ${author.id} AND client_key = ${input.idempotencyKey}),
    parent AS (
      SELECT n.id, n.root_id, n.depth, n.article_id, n.paragraph_id, n.visibility, n.group_id, n.author_id,
        -- Moderators lock a thread on its first note.
        (CASE WHEN n.root_id IS NULL THEN n.locked_at ELSE (SELECT r.locked_at FROM note r WHERE r.id = n.root_id) END) IS NOT NULL AS locked
      FROM note n
      WHERE n.id = ${input.parentId}::uuid AND n.deleted_at IS NULL AND ${noteReadableBy(author.id).sql}
    ),
    inserted AS (
      INSERT INTO note (id, article_id, paragraph_id, locale, author_id, kind, visibility, group_id, parent_id, root_id, depth,
        body, client_key, created_at, updated_at, article_revision, via, canonical)
      SELECT coalesce(${origin.id ?? null}::uuid, gen_random_uuid()), p.article_id, p.paragraph_id, ${input.locale}, ${author.id}, 'comment'::"NoteKind", p.visibility, p.group_id,
        p.id, coalesce(p.root_id, p.id), p.depth + 1, ${input.body}, ${input.idempotencyKey}, ${now}::timestamptz, ${now}::timestamptz,
        (SELECT a.revision FROM article a WHERE a.id = p.article_id), ${origin.via ?? null}::varchar, ${origin.canonical ?? null}::varchar
      FROM parent p
      WHERE NOT p.locked AND NOT EXISTS (SELECT 1 FROM existing)
      ON CONFLICT (author_id, client_key) DO NOTHING
      RETURNING *
    ),
    reply_notification AS (
      INSERT INTO notification (id, user_id, kind, note_id, actor_id, created_at)
      SELECT gen_random_uuid(), p.author_id, 'reply'::"NotificationKind", i.id, ${author.id}, ${now}::timestamptz
      FROM inserted i JOIN parent p ON p.author_id <> ${author.id}
      ON CONFLICT DO NOTHING
      RETURNING user_id, kind
    )
    ${mentionsSql(author.id, input.mentions, now)}
    SELECT
      EXISTS (SELECT 1 FROM parent) AS target_ok,
      coalesce((SELECT locked FROM parent), false) AS locked,
      ${notifiedSql(true, input.mentions)} AS notified,
      d.*
    FROM (SELECT 1) one LEFT JOIN (${writtenNoteSql(author.id)}) d ON TRUE`;
  return runCreate(statement, (row) => {
    // A replay answers with the note even if the thread changed since (deleted, locked).
    if (row.fresh === false) return null;
    if (!row.target_ok) return { ok: false, code: "not_found" };
    if (row.locked) return { ok: false, code: "locked" };
    return null;
  });
}

/**
 * @mentions exist only in group notes, and only for current members of the note's group (not
 * the author): those get a NoteMention row (by user id, so renames keep working) and a
 * notification. Any other id is dropped without a trace; its "@name" stays plain text. CTEs
 * continuing a statement that has an `inserted` CTE (the new note, if any).
 */
function mentionsSql(authorId: string, mentions: string[] | undefined, now: Date): Prisma.Sql {
  if (!mentions?.length) return Prisma.empty;
  return Prisma.sql`,
    mentioned AS (
      INSERT INTO note_mention (note_id, user_id)
      SELECT i.id, m.user_id FROM inserted i JOIN ${liveMemberships().sql} m ON m.group_id = i.group_id
      WHERE i.visibility = 'group' AND m.user_id = ANY(${[...new Set(mentions)]}::text[]) AND m.user_id <> ${authorId}
      ON CONFLICT DO NOTHING
      RETURNING note_id, user_id
    ),
    mention_notification AS (
      INSERT INTO notification (id, user_id, kind, note_id, actor_id, created_at)
      SELECT gen_random_uuid(), user_id, 'mention'::"NotificationKind", note_id, ${authorId}, ${now}::timestamptz FROM mentioned
      ON CONFLICT DO NOTHING
      RETURNING user_id, kind
    )`;
}

/**
 * How many of the notifications the statement wrote want an immediate mail (ADR 0035): the
 * recipient verified their address and mails that kind immediately. Only then is the mail run
 * scheduled, so replies to readers who chose a digest cost no job.
 */
function notifiedSql(reply: boolean, mentions: string[] | undefined): Prisma.Sql {
  const sources = [reply ? Prisma.sql`SELECT user_id, kind FROM reply_notification` : null, mentions?.length ? Prisma.sql`SELECT user_id, kind FROM mention_notification` : null].filter(
    (source): source is Prisma.Sql => source !== null,
  );
  if (!sources.length) return Prisma.sql`0`;
  return Prisma.sql`(SELECT count(*)::int FROM (${Prisma.join(sources, " UNION ALL ")}) w JOIN "user" u ON u.id = w.user_id
    WHERE u.email_verified AND CASE w.kind WHEN 'reply' THEN u.mail_replies WHEN 'mention' THEN u.mail_mentions END = 'immediate')`;
}

/**
 * The new note (`fresh`), or the one an earlier submission with the same key created, with the
 * columns of a NoteDto. A fresh note has no replies, revisions, reactions or flags yet: CASE
 * evaluates those subqueries only for a replayed one.
 */
function writtenNoteSql(viewerId: string): Prisma.Sql {
  const iso = (column: string) => Prisma.raw(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
  return Prisma.sql`
    SELECT n.fresh, n.id::text AS id, n.article_id::text AS article_id, n.paragraph_id::text AS paragraph_id, p.key AS paragraph_key,
      n.parent_id::text AS parent_id, n.root_id::text AS root_id, n.depth, n.kind::text AS kind, n.locale,
      n.visibility::text AS visibility, n.group_id::text AS group_id, g.name AS group_name, n.tag::text AS tag, n.body,
      n.deleted_at IS NOT NULL AS deleted, n.deleted_by_id IS NOT NULL AS deleted_by_other, n.status::text AS status,
      n.locked_at IS NOT NULL AS locked_now, n.quote_exact, n.quote_prefix, n.quote_suffix, n.pos_start, n.pos_end,
      n.author_id, u.name AS author_name, ${iso("n.created_at")} AS created_at, ${iso("n.edited_at")} AS edited_at, n.version,
      n.answered_by_id::text AS answered_by_id,
      CASE WHEN n.fresh THEN 0 ELSE (SELECT count(*)::int FROM note_revision r WHERE r.note_id = n.id) END AS revision_count,
      CASE WHEN n.fresh THEN 0 ELSE (SELECT count(*)::int FROM note c WHERE c.parent_id = n.id AND c.deleted_at IS NULL) END AS reply_count,
      CASE WHEN n.fresh THEN 0 ELSE (SELECT count(*)::int FROM note_reaction x WHERE x.note_id = n.id) END AS helpful_count,
      CASE WHEN n.fresh THEN false ELSE EXISTS (SELECT 1 FROM note_reaction x WHERE x.note_id = n.id AND x.user_id = ${viewerId}) END AS helpful_by_me,
      CASE WHEN n.fresh THEN false ELSE EXISTS (SELECT 1 FROM note_flag f WHERE f.note_id = n.id AND f.user_id = ${viewerId}) END AS flagged_by_me
    FROM (SELECT true AS fresh, * FROM inserted UNION ALL SELECT false, * FROM existing) n
    JOIN "user" u ON u.id = n.author_id
    JOIN paragraph p ON p.id = n.paragraph_id
    LEFT JOIN "group" g ON g.id = n.group_id`;
}

type WrittenRow = {
  /** The paragraph (create) or the parent the author may see (reply) exists. */
  target_ok: boolean;
  member_ok?: boolean;
  range_ok?: boolean;
  locked?: boolean;
  /** Notifications written that want an immediate mail. */
  notified: number;
  /** null: nothing written and nothing to replay. */
  fresh: boolean | null;
  id: string;
  article_id: string;
  paragraph_id: string;
  paragraph_key: string;
  parent_id: string | null;
  root_id: string | null;
  depth: number;
  kind: NoteDto["kind"];
  locale: string;
  visibility: NoteDto["visibility"];
  group_id: string | null;
  group_name: string | null;
  tag: NoteDto["tag"];
  body: string;
  deleted: boolean;
  deleted_by_other: boolean;
  status: NoteDto["status"];
  locked_now: boolean;
  quote_exact: string | null;
  quote_prefix: string | null;
  quote_suffix: string | null;
  pos_start: number | null;
  pos_end: number | null;
  author_id: string;
  author_name: string;
  created_at: string;
  edited_at: string | null;
  version: number;
  answered_by_id: string | null;
  revision_count: number;
  reply_count: number;
  helpful_count: number;
  helpful_by_me: boolean;
  flagged_by_me: boolean;
};

/**
 * Runs a create statement. `refuse` turns the checks into an error answer (null: go on). When
 * the checks passed but nothing came back, a concurrent submission with the same key inserted
 * its note after this statement's snapshot (the unique index made this insert do nothing):
 * running the statement again finds that note as `existing`.
 */
async function runCreate(statement: Prisma.Sql, refuse: (row: WrittenRow) => MutationResult | null): Promise<MutationResult> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const [row] = await getPrisma().$queryRaw<WrittenRow[]>(statement);
    if (!row) throw new Error("create statement returned no row");
    const refused = refuse(row);
    if (refused) return refused;
    if (row.fresh !== null) {
      if (row.fresh && row.notified > 0) await scheduleNotificationMail();
      return { ok: true, note: writtenToDto(row), created: row.fresh };
    }
  }
  throw new Error("note create: the idempotency key is taken but its note cannot be read");
}

/** As toNoteDto, from a WrittenRow. */
function writtenToDto(row: WrittenRow): NoteDto {
  const deleted = row.deleted;
  return {
    id: row.id,
    articleId: row.article_id,
    paragraphId: row.paragraph_id,
    paragraphKey: row.paragraph_key,
    parentId: row.parent_id,
    rootId: row.root_id,
    depth: row.depth,
    kind: row.kind,
    locale: row.locale,
    visibility: row.visibility,
    group: row.group_id !== null && row.group_name !== null ? { id: row.group_id, name: row.group_name } : null,
    tag: deleted ? null : row.tag,
    body: deleted ? null : row.body,
    deleted,
    status: row.status,
    moderated: deleted && row.deleted_by_other,
    locked: row.locked_now,
    quote:
      row.quote_exact !== null && !deleted
        ? { exact: row.quote_exact, prefix: row.quote_prefix ?? "", suffix: row.quote_suffix ?? "", start: row.pos_start ?? 0, end: row.pos_end ?? 0 }
        : null,
    author: { id: row.author_id, name: row.author_name },
    createdAt: row.created_at,
    editedAt: row.edited_at,
    version: row.version,
    revisionCount: row.revision_count,
    replyCount: row.reply_count,
    helpfulCount: row.helpful_count,
    helpfulByMe: row.helpful_by_me,
    flaggedByMe: row.flagged_by_me,
    answeredById: deleted ? null : row.answered_by_id,
  };
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
  const note = await prisma.note.findFirst({ where: { id: noteId, deletedAt: null, ...noteReadableBy(user.id).where }, select: { authorId: true } });
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
    where: { id: noteId, authorId: user.id, deletedAt: null, ...noteReadableBy(user.id).where },
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
    const written = await prisma.notification.createMany({
      data: [{ userId: reply.authorId, kind: "answer", noteId: input.replyId, actorId: user.id }],
      skipDuplicates: true,
    });
    if (written.count > 0) await scheduleNotificationMail();
  }
  const fresh = await getVisibleNote(noteId, user.id);
  return fresh ? { ok: true, note: fresh, created: false } : { ok: false, code: "not_found" };
}

/** Back to an open question; the earlier answer's notification goes too. */
export async function unmarkAnswer(user: Author, noteId: string, version: number): Promise<MutationResult> {
  const prisma = getPrisma();
  const question = await prisma.note.findFirst({
    where: { id: noteId, authorId: user.id, deletedAt: null, ...noteReadableBy(user.id).where },
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
