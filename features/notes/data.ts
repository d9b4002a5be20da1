import "server-only";
import { unstable_cache } from "next/cache";
import { getPrisma } from "@/lib/db/prisma";
import { Prisma } from "@/lib/generated/prisma/client";
import type { ListNotesQuery, NoteKind, NoteTag, NoteVisibility } from "./schema";

// Every read takes the viewer and filters in SQL: a private note is visible only to its author,
// and it never reaches a count, a list or HTML for anyone else (admins included). Callers get
// null for notes they may not see, which the API turns into 404.

export type NoteDto = {
  id: string;
  articleId: string;
  paragraphId: string;
  paragraphKey: string;
  parentId: string | null;
  rootId: string | null;
  depth: number;
  kind: NoteKind;
  locale: string;
  visibility: NoteVisibility;
  group: { id: string; name: string } | null;
  tag: NoteTag | null;
  /** null once deleted: the placeholder keeps replies in place without the removed text. */
  body: string | null;
  deleted: boolean;
  /** visible, or (seen only by the author) pending approval / hidden by a moderator. */
  status: "visible" | "pending" | "hidden";
  /** A placeholder for a note a moderator hid or removed (its content is not sent). */
  moderated: boolean;
  /** The thread takes no new replies. */
  locked: boolean;
  quote: { exact: string; prefix: string; suffix: string; start: number; end: number } | null;
  author: { id: string; name: string };
  createdAt: string;
  editedAt: string | null;
  version: number;
  revisionCount: number;
  replyCount: number;
};

export type NoteRevisionDto = { version: number; body: string; tag: NoteTag | null; createdAt: string };

export type RawHighlight = {
  id: string;
  paragraphId: string;
  locale: string;
  start: number;
  end: number;
  exact: string;
  prefix: string;
  suffix: string;
  tag: NoteTag | null;
  mine: boolean;
};

export type NoteOverlayData = { counts: Record<string, number>; highlights: RawHighlight[] };

/**
 * Who belongs to a note's audience: everyone for public notes, the author for private ones,
 * current members for group notes (removing a member revokes access at once; a deleted group
 * hides its notes from members too).
 */
export function audienceOf(viewerId: string | null): Prisma.NoteWhereInput {
  if (!viewerId) return { visibility: "public" };
  return {
    OR: [
      { visibility: "public" },
      { authorId: viewerId, visibility: { not: "group" } },
      { visibility: "group", group: { deletedAt: null, members: { some: { userId: viewerId } } } },
    ],
  };
}

/**
 * The one visibility rule, used by every read: the audience, minus notes a moderator hid or that
 * wait for approval, which only their author still sees (moderators see them in the queue).
 */
export function visibleTo(viewerId: string | null): Prisma.NoteWhereInput {
  if (!viewerId) return { visibility: "public", status: "visible" };
  return { AND: [audienceOf(viewerId), { OR: [{ status: "visible" }, { authorId: viewerId }] }] };
}

/** The same rule in SQL, for aggregate queries (`n` is the note table's alias). */
export function visibleToSql(viewerId: string | null): Prisma.Sql {
  if (!viewerId) return Prisma.sql`(n.visibility = 'public' AND n.status = 'visible')`;
  return Prisma.sql`((n.visibility = 'public'
    OR (n.author_id = ${viewerId} AND n.visibility <> 'group')
    OR (n.visibility = 'group' AND EXISTS (
      SELECT 1 FROM group_member m JOIN "group" g ON g.id = m.group_id
      WHERE m.group_id = n.group_id AND m.user_id = ${viewerId} AND g.deleted_at IS NULL)))
    AND (n.status = 'visible' OR n.author_id = ${viewerId}))`;
}

const noteSelect = {
  id: true,
  articleId: true,
  paragraphId: true,
  parentId: true,
  rootId: true,
  depth: true,
  kind: true,
  locale: true,
  visibility: true,
  tag: true,
  body: true,
  deletedAt: true,
  deletedById: true,
  status: true,
  lockedAt: true,
  quoteExact: true,
  quotePrefix: true,
  quoteSuffix: true,
  posStart: true,
  posEnd: true,
  createdAt: true,
  editedAt: true,
  version: true,
  author: { select: { id: true, name: true } },
  group: { select: { id: true, name: true } },
  paragraph: { select: { key: true } },
  // Deleted replies are not replies any more (a placeholder with live replies is shown, but not counted).
  _count: { select: { revisions: true, replies: { where: { deletedAt: null } } } },
} satisfies Prisma.NoteSelect;

type NoteRow = Prisma.NoteGetPayload<{ select: typeof noteSelect }>;

export function toNoteDto(row: NoteRow): NoteDto {
  const deleted = row.deletedAt !== null;
  return {
    id: row.id,
    articleId: row.articleId,
    paragraphId: row.paragraphId,
    paragraphKey: row.paragraph.key,
    parentId: row.parentId,
    rootId: row.rootId,
    depth: row.depth,
    kind: row.kind,
    locale: row.locale,
    visibility: row.visibility,
    group: row.group,
    tag: deleted ? null : row.tag,
    body: deleted ? null : row.body,
    deleted,
    status: row.status,
    moderated: deleted && row.deletedById !== null,
    locked: row.lockedAt !== null,
    quote:
      row.quoteExact !== null && !deleted
        ? { exact: row.quoteExact, prefix: row.quotePrefix ?? "", suffix: row.quoteSuffix ?? "", start: row.posStart ?? 0, end: row.posEnd ?? 0 }
        : null,
    author: row.author,
    createdAt: row.createdAt.toISOString(),
    editedAt: row.editedAt?.toISOString() ?? null,
    version: row.version,
    revisionCount: row._count.revisions,
    replyCount: row._count.replies,
  };
}

/** One note by id, or null when it does not exist or the viewer may not see it. */
export async function getVisibleNote(id: string, viewerId: string | null): Promise<NoteDto | null> {
  const row = await getPrisma().note.findFirst({ where: { id, ...visibleTo(viewerId) }, select: noteSelect });
  return row ? toNoteDto(row) : null;
}

/**
 * A paragraph's threads (comments and annotations in every language) in one query. Deleted
 * notes stay as placeholders only while they still have replies to hold in place.
 */
export async function getParagraphThreads(paragraphId: string, viewerId: string | null): Promise<NoteDto[]> {
  const rows = await getPrisma().note.findMany({
    where: { paragraphId, ...audienceOf(viewerId) },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: noteSelect,
    take: 2_000,
  });
  // Hidden and pending notes of others become content-free placeholders, kept only while they
  // hold visible replies in place (exactly like deleted ones).
  return pruneDeletedLeaves(
    rows.map((row) => {
      const dto = toNoteDto(row);
      if (dto.status === "visible" || dto.author.id === viewerId) return dto;
      return { ...dto, body: null, quote: null, tag: null, deleted: true, moderated: true, status: "visible" as const };
    }),
  );
}

export function pruneDeletedLeaves(notes: NoteDto[]): NoteDto[] {
  const liveChildren = new Map<string, number>();
  // Children come after parents (created later), so walking backwards settles every subtree.
  const keep = new Set<string>();
  for (let i = notes.length - 1; i >= 0; i--) {
    const note = notes[i]!;
    const hasLive = (liveChildren.get(note.id) ?? 0) > 0;
    if (!note.deleted || hasLive) {
      keep.add(note.id);
      if (note.parentId) liveChildren.set(note.parentId, (liveChildren.get(note.parentId) ?? 0) + 1);
    }
  }
  return notes.filter((note) => keep.has(note.id));
}

export async function getNoteRevisions(noteId: string, viewerId: string | null): Promise<NoteRevisionDto[] | null> {
  const note = await getPrisma().note.findFirst({
    where: { id: noteId, deletedAt: null, ...visibleTo(viewerId) },
    select: { revisions: { orderBy: { version: "desc" }, select: { version: true, body: true, tag: true, createdAt: true } } },
  });
  if (!note) return null;
  return note.revisions.map((revision) => ({ ...revision, createdAt: revision.createdAt.toISOString() }));
}

export const NOTES_PAGE_SIZE = 30;

/** The article's threads for the "all notes" panel, newest first, keyset-paginated. */
export async function listArticleThreads(
  articleId: string,
  viewerId: string | null,
  query: Omit<ListNotesQuery, "article" | "paragraph" | "cursor">,
  cursor: { createdAt: Date; id: string } | null,
): Promise<{ notes: NoteDto[]; nextCursor: string | null }> {
  const where: Prisma.NoteWhereInput = {
    AND: [
      { articleId, parentId: null, deletedAt: null },
      visibleTo(viewerId),
      query.author === "mine" ? { authorId: viewerId ?? "-" } : {},
      query.kind ? { kind: query.kind } : {},
      query.tag ? { tag: query.tag } : {},
      query.locale ? { locale: query.locale } : {},
      cursor ? { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] } : {},
    ],
  };
  const rows = await getPrisma().note.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: NOTES_PAGE_SIZE + 1,
    select: noteSelect,
  });
  const page = rows.slice(0, NOTES_PAGE_SIZE).map(toNoteDto);
  const last = page[page.length - 1];
  return {
    notes: page,
    nextCursor: rows.length > NOTES_PAGE_SIZE && last ? `${last.createdAt}_${last.id}` : null,
  };
}

export async function getNotesByIds(ids: string[], viewerId: string | null): Promise<NoteDto[]> {
  if (!ids.length) return [];
  const rows = await getPrisma().note.findMany({
    where: { id: { in: ids }, deletedAt: null, ...visibleTo(viewerId) },
    orderBy: [{ createdAt: "desc" }],
    select: noteSelect,
  });
  return rows.map(toNoteDto);
}

/**
 * Counts per paragraph (aggregated in SQL) and the article's highlight ranges: two queries
 * whatever the number of notes. Counts include replies, in every language.
 */
export async function getNoteOverlayData(articleId: string, viewerId: string | null): Promise<NoteOverlayData> {
  const prisma = getPrisma();
  const [countRows, highlights] = await Promise.all([
    prisma.$queryRaw<{ paragraph_id: string; count: number }[]>`
      SELECT n.paragraph_id::text AS paragraph_id, count(*)::int AS count
      FROM note n
      WHERE n.article_id = ${articleId}::uuid AND n.deleted_at IS NULL AND ${visibleToSql(viewerId)}
      GROUP BY n.paragraph_id`,
    prisma.note.findMany({
      where: { articleId, kind: "annotation", parentId: null, deletedAt: null, ...visibleTo(viewerId) },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: {
        id: true,
        paragraphId: true,
        locale: true,
        posStart: true,
        posEnd: true,
        quoteExact: true,
        quotePrefix: true,
        quoteSuffix: true,
        tag: true,
        authorId: true,
      },
    }),
  ]);
  return {
    counts: Object.fromEntries(countRows.map((row) => [row.paragraph_id, row.count])),
    highlights: highlights.map((h) => ({
      id: h.id,
      paragraphId: h.paragraphId,
      locale: h.locale,
      start: h.posStart ?? 0,
      end: h.posEnd ?? 0,
      exact: h.quoteExact ?? "",
      prefix: h.quotePrefix ?? "",
      suffix: h.quoteSuffix ?? "",
      tag: h.tag,
      mine: viewerId !== null && h.authorId === viewerId,
    })),
  };
}

export const noteTags = { article: (articleId: string) => `notes:${articleId}` };

/** The anonymous overlay is shared by every signed-out reader: cached until a public write. */
export function getPublicNoteOverlayData(articleId: string): Promise<NoteOverlayData> {
  return unstable_cache(() => getNoteOverlayData(articleId, null), ["public-note-overlay", articleId], {
    tags: [noteTags.article(articleId)],
    revalidate: 300,
  })();
}

export async function findArticleIdBySlug(slug: string): Promise<string | null> {
  const article = await getPrisma().article.findUnique({ where: { slug }, select: { id: true } });
  return article?.id ?? null;
}
