import "server-only";
import { unstable_cache } from "next/cache";
import { publicNotesTag } from "@/lib/cache-tags";
import { getPrisma } from "@/lib/db/prisma";
import { Prisma } from "@/lib/generated/prisma/client";
import { isUuid } from "@/lib/ids";
import { liveMemberships, mayInGroup } from "@/lib/permissions/groups";
import { readableArticlesOf } from "@/lib/permissions/articles";
import { noteAudience, noteLayers, noteReadableBy } from "@/lib/permissions/notes";
import type { Layers } from "@/lib/layers";
import { parseNoteCursor, type ListNotesQuery } from "./schema";
import type { NoteDto, NoteRevisionDto, NoteTag } from "./types";

// Every read takes the viewer and filters in SQL: a private note is visible only to its author,
// and it never reaches a count, a list or HTML for anyone else (admins included). Callers get
// null for notes they may not see, which the API turns into 404.
// The rules themselves (audience, hidden/pending, layers) live in lib/permissions/notes.ts, in
// both the Prisma and the SQL form (ADR 0016); this file only applies them.

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

export type NoteOverlayData = {
  counts: Record<string, number>;
  /** paragraphId → open (unanswered) questions among the visible root notes. */
  openQuestions: Record<string, number>;
  /** paragraphId → notes by others created since `since` (the viewer's previous visit). */
  unread: Record<string, number>;
  highlights: RawHighlight[];
  /** When these rows were read (ms since the epoch): writes after it may be missing. */
  readAt: number;
};

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
  answeredById: true,
  passageChangedAt: true,
  passageChangedIn: true,
  _count: { select: { revisions: true, replies: { where: { deletedAt: null } }, reactions: true } },
  reactions: { where: { userId: "" }, select: { userId: true }, take: 1 },
  flags: { where: { userId: "" }, select: { userId: true }, take: 1 },
} satisfies Prisma.NoteSelect;

/**
 * The note fields every DTO needs, with the viewer's own reaction and flag (at most one row
 * each, fetched with the notes in the same query: no per-note lookups). Signed out, the
 * impossible user id "" matches nothing, so both are false.
 */
export function noteSelectFor(viewerId: string | null) {
  return {
    ...noteSelect,
    reactions: { where: { userId: viewerId ?? "" }, select: { userId: true }, take: 1 },
    flags: { where: { userId: viewerId ?? "" }, select: { userId: true }, take: 1 },
  } satisfies Prisma.NoteSelect;
}

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
    helpfulCount: row._count.reactions,
    helpfulByMe: row.reactions.length > 0,
    flaggedByMe: row.flags.length > 0,
    answeredById: deleted ? null : row.answeredById,
    // Only when set, so the DTO of an ordinary note is unchanged.
    ...(row.passageChangedAt ? { passageChangedIn: row.passageChangedIn } : {}),
  };
}

/** One note by id, or null when it does not exist or the viewer may not see it. */
export async function getVisibleNote(id: string, viewerId: string | null): Promise<NoteDto | null> {
  const row = await getPrisma().note.findFirst({ where: { id, ...noteReadableBy(viewerId).where }, select: noteSelectFor(viewerId) });
  return row ? toNoteDto(row) : null;
}

export const PARAGRAPH_THREADS_PAGE_SIZE = 50;

export type ParagraphThreadsPage = {
  /** The page's threads, each root followed by its replies, in creation order. */
  notes: NoteDto[];
  /** The cursor of the next (older) page, or null after the oldest thread. */
  nextCursor: string | null;
  /** Root threads this viewer sees on the paragraph (with their layers), on every page. */
  total: number;
};

/**
 * One page of a paragraph's threads (comments and annotations in every language): the
 * PARAGRAPH_THREADS_PAGE_SIZE newest roots older than `cursor` (a string listNotesQuerySchema
 * has checked), each with all of its replies. Deleted notes stay as placeholders only while they
 * still have replies to hold in place, so a root counts (in the page and in `total`) when it is
 * live itself or one of its replies is. Three queries whatever the page holds: the page's root
 * ids, the total, then the notes of those threads.
 */
export async function getParagraphThreads(
  paragraphId: string,
  viewerId: string | null,
  layers?: Layers | null,
  cursor?: string | null,
): Promise<ParagraphThreadsPage> {
  const after = cursor ? parseNoteCursor(cursor) : null;
  // The API validates cursors (422); this guard keeps anything else out of the SQL below.
  if (cursor && !after) throw new Error("getParagraphThreads: invalid cursor");
  // "Live" as pruneDeletedLeaves sees it: not deleted, and not a hidden/pending note of someone
  // else (those become placeholders). The inner `n` shadows the outer one inside the subquery.
  const shownRoot = Prisma.sql`n.paragraph_id = ${paragraphId}::uuid AND n.parent_id IS NULL AND ${noteLayers(viewerId, layers).sql}
    AND ((n.deleted_at IS NULL AND ${noteReadableBy(viewerId).sql})
      OR n.id IN (SELECT n.root_id FROM note n WHERE n.paragraph_id = ${paragraphId}::uuid AND n.root_id IS NOT NULL
        AND n.deleted_at IS NULL AND ${noteReadableBy(viewerId).sql} AND ${noteLayers(viewerId, layers).sql}))`;
  const prisma = getPrisma();
  const [roots, [counted]] = await Promise.all([
    prisma.$queryRaw<{ id: string; created_at: Date }[]>`
      SELECT n.id::text AS id, n.created_at FROM note n
      WHERE ${shownRoot} AND ${after ? Prisma.sql`(n.created_at, n.id) < (${after.createdAt}::timestamptz, ${after.id}::uuid)` : Prisma.sql`TRUE`}
      ORDER BY n.created_at DESC, n.id DESC
      LIMIT ${PARAGRAPH_THREADS_PAGE_SIZE + 1}`,
    prisma.$queryRaw<{ total: number }[]>`SELECT count(*)::int AS total FROM note n WHERE ${shownRoot}`,
  ]);
  const page = roots.slice(0, PARAGRAPH_THREADS_PAGE_SIZE);
  const last = page[page.length - 1];
  const nextCursor = roots.length > PARAGRAPH_THREADS_PAGE_SIZE && last ? `${last.created_at.toISOString()}_${last.id}` : null;
  if (!page.length) return { notes: [], nextCursor: null, total: counted?.total ?? 0 };
  const ids = page.map((root) => root.id);
  const rows = await prisma.note.findMany({
    where: { AND: [{ paragraphId }, { OR: [{ id: { in: ids } }, { rootId: { in: ids } }] }, noteAudience(viewerId).where, noteLayers(viewerId, layers).where] },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: noteSelectFor(viewerId),
  });
  // Hidden and pending notes of others become content-free placeholders, kept only while they
  // hold visible replies in place (exactly like deleted ones).
  const notes = pruneDeletedLeaves(
    rows.map((row) => {
      const dto = toNoteDto(row);
      if (dto.status === "visible" || dto.author.id === viewerId) return dto;
      return { ...dto, body: null, quote: null, tag: null, deleted: true, moderated: true, status: "visible" as const };
    }),
  );
  return { notes, nextCursor, total: counted?.total ?? 0 };
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
    where: { id: noteId, deletedAt: null, ...noteReadableBy(viewerId).where },
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
  layers?: Layers | null,
): Promise<{ notes: NoteDto[]; nextCursor: string | null }> {
  const where: Prisma.NoteWhereInput = {
    AND: [
      { articleId, parentId: null, deletedAt: null },
      noteReadableBy(viewerId).where,
      noteLayers(viewerId, layers).where,
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
    select: noteSelectFor(viewerId),
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
    where: { id: { in: ids }, deletedAt: null, ...noteReadableBy(viewerId).where },
    orderBy: [{ createdAt: "desc" }],
    select: noteSelectFor(viewerId),
  });
  return rows.map(toNoteDto);
}

export type NoteCounts = Pick<NoteOverlayData, "counts" | "openQuestions" | "unread">;

/**
 * Counts per paragraph, aggregated in SQL with open questions and notes by others since the
 * viewer's previous visit: one query whatever the number of notes. Counts include replies, in
 * every language.
 */
export async function getNoteCounts(
  articleId: string,
  viewerId: string | null,
  options: { layers?: Layers | null; since?: Date | null } = {},
): Promise<NoteCounts> {
  // A Date parameter is serialized like Prisma's own writes of created_at, so they compare.
  const since = viewerId && options.since ? options.since : null;
  const countRows = await getPrisma().$queryRaw<{ paragraph_id: string; count: number; open_questions: number; unread: number }[]>`
    SELECT n.paragraph_id::text AS paragraph_id, count(*)::int AS count,
      (count(*) FILTER (WHERE n.parent_id IS NULL AND n.tag = 'question' AND n.answered_by_id IS NULL))::int AS open_questions,
      (count(*) FILTER (WHERE ${since}::timestamptz IS NOT NULL AND n.created_at > ${since}::timestamptz
        AND n.author_id <> ${viewerId ?? ""}))::int AS unread
    FROM note n
    WHERE n.article_id = ${articleId}::uuid AND n.deleted_at IS NULL AND ${noteReadableBy(viewerId).sql}
      AND ${noteLayers(viewerId, options.layers).sql}
    GROUP BY n.paragraph_id`;
  return {
    counts: Object.fromEntries(countRows.map((row) => [row.paragraph_id, row.count])),
    openQuestions: Object.fromEntries(countRows.filter((row) => row.open_questions > 0).map((row) => [row.paragraph_id, row.open_questions])),
    unread: Object.fromEntries(countRows.filter((row) => row.unread > 0).map((row) => [row.paragraph_id, row.unread])),
  };
}

/** Counts (see getNoteCounts) and the article's highlight ranges: two queries whatever the number of notes. */
export async function getNoteOverlayData(
  articleId: string,
  viewerId: string | null,
  options: { layers?: Layers | null; since?: Date | null } = {},
): Promise<NoteOverlayData> {
  const readAt = Date.now();
  const [counts, highlights] = await Promise.all([
    getNoteCounts(articleId, viewerId, options),
    getHighlightRows(articleId, viewerId, options.layers, "all"),
  ]);
  return { ...counts, highlights, readAt };
}

/**
 * The visible root highlights of these paragraphs (or of the whole article: "all"), for a page
 * that redraws them: one query, reading only the rows of those paragraphs.
 */
export async function getHighlightRows(
  articleId: string,
  viewerId: string | null,
  layers: Layers | null | undefined,
  paragraphIds: readonly string[] | "all",
): Promise<RawHighlight[]> {
  const ids = paragraphIds === "all" ? null : paragraphIds.filter(isUuid);
  if (ids && !ids.length) return [];
  const inParagraphs = ids ? Prisma.sql`n.paragraph_id IN (${Prisma.join(ids.map((id) => Prisma.sql`${id}::uuid`))})` : Prisma.sql`TRUE`;
  const rows = await getPrisma().$queryRaw<
    {
      id: string;
      paragraph_id: string;
      locale: string;
      pos_start: number | null;
      pos_end: number | null;
      quote_exact: string | null;
      quote_prefix: string | null;
      quote_suffix: string | null;
      tag: NoteTag | null;
      author_id: string;
    }[]
  >`
    SELECT n.id::text AS id, n.paragraph_id::text AS paragraph_id, n.locale, n.pos_start, n.pos_end,
      n.quote_exact, n.quote_prefix, n.quote_suffix, n.tag::text AS tag, n.author_id
    FROM note n
    WHERE n.article_id = ${articleId}::uuid AND n.kind = 'annotation' AND n.parent_id IS NULL AND n.deleted_at IS NULL
      -- A revision left these without their passage: listed under "notes whose passage changed"
      -- (features/revisions), never drawn over text they were not written about.
      AND n.passage_changed_at IS NULL
      AND ${noteReadableBy(viewerId).sql} AND ${noteLayers(viewerId, layers).sql} AND ${inParagraphs}
    ORDER BY n.created_at, n.id`;
  return rows.map((h) => ({
    id: h.id,
    paragraphId: h.paragraph_id,
    locale: h.locale,
    start: h.pos_start ?? 0,
    end: h.pos_end ?? 0,
    exact: h.quote_exact ?? "",
    prefix: h.quote_prefix ?? "",
    suffix: h.quote_suffix ?? "",
    tag: h.tag,
    mine: viewerId !== null && h.author_id === viewerId,
  }));
}


/** The anonymous overlay is shared by every signed-out reader: cached until a public write. */
export function getPublicNoteOverlayData(articleId: string): Promise<NoteOverlayData> {
  return unstable_cache(() => getNoteOverlayData(articleId, null), ["public-note-overlay", articleId], {
    tags: [publicNotesTag(articleId)],
    revalidate: 300,
  })();
}

/**
 * The first page of an article's notes list as a signed-out reader sees it (any filters, no
 * layers): the same for every signed-out reader, so cached like the overlay, until a public write
 * or a moderator's action on a public note marks the article stale (lib/cache-tags.ts).
 */
export function getPublicArticleThreads(
  articleId: string,
  query: Omit<ListNotesQuery, "article" | "paragraph" | "cursor" | "layers">,
): Promise<{ notes: NoteDto[]; nextCursor: string | null }> {
  const filters = { author: query.author, kind: query.kind ?? null, tag: query.tag ?? null, locale: query.locale ?? null };
  return unstable_cache(() => listArticleThreads(articleId, null, query, null, null), ["public-article-threads", articleId, JSON.stringify(filters)], {
    tags: [publicNotesTag(articleId)],
    revalidate: 300,
  })();
}

/** The id of an article this viewer may read (readableArticles), else null (a 404). */
export async function findArticleIdBySlug(slug: string, viewerId: string | null): Promise<string | null> {
  const article = await getPrisma().article.findFirst({ where: { AND: [{ slug }, readableArticlesOf(viewerId).where] }, select: { id: true } });
  return article?.id ?? null;
}

// ---- groups, mentions ----------------------------------------------------------------------

export type ViewerGroup = { id: string; name: string; role: "owner" | "moderator" | "member"; languageFocus: string | null };

/** The live groups the viewer belongs to (composer choices and layers), by name. */
export async function getViewerGroups(viewerId: string | null): Promise<ViewerGroup[]> {
  if (!viewerId) return [];
  const rows = await getPrisma().groupMember.findMany({
    where: liveMemberships(viewerId).where,
    select: { role: true, group: { select: { id: true, name: true, languageFocus: true } } },
    orderBy: { group: { name: "asc" } },
    take: 200,
  });
  return rows.map((row) => ({ ...row.group, role: row.role }));
}

/**
 * Members of a group whose display name contains `q`, for @mention autocomplete. Only a member
 * may list a group's members: anyone else gets null (404).
 */
export async function searchGroupMembers(viewerId: string, groupId: string, q: string): Promise<{ id: string; name: string }[] | null> {
  const prisma = getPrisma();
  const me = await prisma.groupMember.findFirst({ where: { groupId, ...liveMemberships(viewerId).where }, select: { role: true } });
  if (!mayInGroup(me?.role, "read")) return null;
  const rows = await prisma.groupMember.findMany({
    where: { groupId, userId: { not: viewerId }, ...(q ? { user: { name: { contains: q, mode: "insensitive" } } } : {}) },
    select: { user: { select: { id: true, name: true } } },
    orderBy: { user: { name: "asc" } },
    take: 8,
  });
  return rows.map((row) => row.user);
}
