import "server-only";
import { getPrisma } from "@/lib/db/prisma";
import { Prisma } from "@/lib/generated/prisma/client";
import { noteReadableBy } from "@/lib/permissions/notes";
import type { ContainerStats, ProtocolNote } from "./types";

// Reads of the W3C Web Annotation Protocol server (ADR 0029). Every read applies the notes' one
// visibility rule (lib/permissions/notes.ts noteReadableBy) for the caller, in SQL: a note they
// may not see is in no page, no total and no `modified`, and by id it is a 404.

const protocolNoteSelect = {
  id: true,
  articleId: true,
  parentId: true,
  kind: true,
  locale: true,
  visibility: true,
  tag: true,
  body: true,
  quoteExact: true,
  quotePrefix: true,
  quoteSuffix: true,
  posStart: true,
  posEnd: true,
  createdAt: true,
  editedAt: true,
  deletedAt: true,
  version: true,
  via: true,
  canonical: true,
  author: { select: { id: true, name: true } },
  group: { select: { id: true, name: true } },
  paragraph: { select: { key: true } },
} satisfies Prisma.NoteSelect;

type Row = Prisma.NoteGetPayload<{ select: typeof protocolNoteSelect }>;

function toProtocolNote(row: Row): ProtocolNote {
  const deleted = row.deletedAt !== null;
  return {
    id: row.id,
    articleId: row.articleId,
    paragraphKey: row.paragraph.key,
    parentId: row.parentId,
    kind: row.kind,
    locale: row.locale,
    visibility: row.visibility,
    group: row.group,
    // A deleted (or purged) note's content never leaves the server: callers answer 410.
    tag: deleted ? null : row.tag,
    body: deleted ? null : row.body,
    quote:
      row.quoteExact !== null && !deleted
        ? { exact: row.quoteExact, prefix: row.quotePrefix ?? "", suffix: row.quoteSuffix ?? "", start: row.posStart ?? 0, end: row.posEnd ?? 0 }
        : null,
    author: row.author,
    createdAt: row.createdAt,
    editedAt: row.editedAt,
    via: row.via,
    canonical: row.canonical,
    version: row.version,
    deleted,
  };
}

/** Total and latest change of an article's annotations, as this viewer may see them (one statement). */
export async function getContainerStats(articleId: string, viewerId: string | null): Promise<ContainerStats> {
  const [row] = await getPrisma().$queryRaw<{ total: number; modified: Date | null }[]>`
    SELECT count(*) FILTER (WHERE n.deleted_at IS NULL)::int AS total, max(n.updated_at) AS modified
    FROM note n
    WHERE n.article_id = ${articleId}::uuid AND ${noteReadableBy(viewerId).sql}`;
  return { total: row?.total ?? 0, modified: row?.modified ?? null };
}

/**
 * One page of an article's live annotations for this viewer, oldest first (a new annotation
 * goes at the end, so earlier pages stay as they were). Replies are annotations too.
 */
export async function listContainerPage(articleId: string, viewerId: string | null, offset: number, limit: number): Promise<ProtocolNote[]> {
  const rows = await getPrisma().note.findMany({
    where: { AND: [{ articleId, deletedAt: null }, noteReadableBy(viewerId).where] },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    skip: offset,
    take: limit,
    select: protocolNoteSelect,
  });
  return rows.map(toProtocolNote);
}

/** A note of this article the viewer may see, deleted ones included (410), or null (404). */
export async function getProtocolNote(articleId: string, noteId: string, viewerId: string | null): Promise<ProtocolNote | null> {
  const row = await getPrisma().note.findFirst({
    where: { AND: [{ id: noteId, articleId }, noteReadableBy(viewerId).where] },
    select: protocolNoteSelect,
  });
  return row ? toProtocolNote(row) : null;
}

/** Whether any note ever had this id (deleted ones too: a deleted annotation's IRI is never reused). */
export async function isNoteIdTaken(noteId: string): Promise<boolean> {
  const row = await getPrisma().note.findUnique({ where: { id: noteId }, select: { id: true } });
  return row !== null;
}

/** The author's note that came from this IRI (`via`), if any: its id and article. */
export async function findNoteByVia(authorId: string, via: string): Promise<{ id: string; articleId: string } | null> {
  return getPrisma().note.findUnique({ where: { authorId_via: { authorId, via } }, select: { id: true, articleId: true } });
}

/** The slug of an article by id (a duplicate POST points at the note's own container). */
export async function getArticleSlug(articleId: string): Promise<string | null> {
  const row = await getPrisma().article.findUnique({ where: { id: articleId }, select: { slug: true } });
  return row?.slug ?? null;
}
