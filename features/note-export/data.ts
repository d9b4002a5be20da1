import "server-only";
import { getPrisma } from "@/lib/db/prisma";
import { Prisma } from "@/lib/generated/prisma/client";
import { readableArticlesOf } from "@/lib/permissions/articles";
import { liveMemberships } from "@/lib/permissions/groups";
import { noteReadableBy } from "@/lib/permissions/notes";
import type { ExportScope } from "./schema";
import type { ExportArticle, ExportCursor, ExportNote } from "./types";

// The export's reads (ADR 0030). Every statement applies the notes' one visibility rule
// (lib/permissions/notes.ts noteReadableBy) in SQL, so an export holds exactly what its caller
// could read in the reader, never more; deleted and purged notes are never exported.
// Notes are read in keyset batches in a fixed order — article slug, the thread's paragraph, the
// thread (its first note's time), the first note before its replies, then time — so a thread's
// replies follow it and a batch never needs the previous ones in memory.

export type ExportSelection = {
  viewerId: string;
  scope: ExportScope;
  /** scope "group": the group, already checked to have the viewer as a current member. */
  groupId: string | null;
  /** One article, or null for every article. */
  articleId: string | null;
  /** Notes written after the export began are left out: the count and the stream agree. */
  until: Date;
};

function selectionSql(selection: ExportSelection): Prisma.Sql {
  const parts = [
    Prisma.sql`n.deleted_at IS NULL`,
    Prisma.sql`n.purged_at IS NULL`,
    Prisma.sql`n.created_at <= ${selection.until}::timestamptz`,
    noteReadableBy(selection.viewerId).sql,
    selection.scope === "group"
      ? Prisma.sql`n.visibility = 'group' AND n.group_id = ${selection.groupId}::uuid`
      : Prisma.sql`n.author_id = ${selection.viewerId}`,
  ];
  if (selection.articleId) parts.push(Prisma.sql`n.article_id = ${selection.articleId}::uuid`);
  return Prisma.join(parts, " AND ");
}

/** How many notes (and articles) the export will hold: the X-Export-Total the UI's progress bar needs. */
export async function countExportNotes(selection: ExportSelection): Promise<{ notes: number; articles: number }> {
  const rows = await getPrisma().$queryRaw<{ notes: number; articles: number }[]>`
    SELECT count(*)::int AS notes, count(DISTINCT n.article_id)::int AS articles
    FROM note n WHERE ${selectionSql(selection)}`;
  return rows[0] ?? { notes: 0, articles: 0 };
}

type Row = {
  id: string;
  article_id: string;
  slug: string;
  paragraph_key: string;
  paragraph_position: number;
  parent_id: string | null;
  root_id: string | null;
  depth: number;
  kind: "comment" | "annotation";
  locale: string;
  visibility: "private" | "public" | "group";
  status: "visible" | "pending" | "hidden";
  group_id: string | null;
  group_name: string | null;
  tag: string | null;
  body: string;
  quote_exact: string | null;
  quote_prefix: string | null;
  quote_suffix: string | null;
  pos_start: number | null;
  pos_end: number | null;
  author_id: string;
  author_name: string;
  created_at: Date;
  edited_at: Date | null;
  via: string | null;
  thread_position: number;
  thread_created_at: Date;
  thread_id: string;
  reply: number;
};

/**
 * The next batch of notes after `after` (null: from the start), with the cursor after its last
 * note. The page of ids and sort keys is chosen first on the narrow columns, and only its 500
 * rows are joined with their authors, groups and paragraphs.
 */
export async function readExportBatch(selection: ExportSelection, after: ExportCursor | null, limit: number): Promise<{ notes: ExportNote[]; cursor: ExportCursor | null }> {
  const keyset = after
    ? Prisma.sql`AND (a.slug, COALESCE(rp.position, p.position), COALESCE(r.created_at, n.created_at), COALESCE(n.root_id, n.id), (n.root_id IS NOT NULL)::int, n.created_at, n.id) >
        (${after.slug}, ${after.position}::int, ${after.threadCreatedAt}::timestamptz, ${after.threadId}::uuid, ${after.reply}::int, ${after.createdAt}::timestamptz, ${after.id}::uuid)`
    : Prisma.empty;
  const rows = await getPrisma().$queryRaw<Row[]>`
    WITH page AS (
      SELECT n.id, a.slug, COALESCE(rp.position, p.position) AS thread_position,
        -- A reply's thread is ordered by its first note (the viewer may not see that note: only its time and place are used).
        COALESCE(r.created_at, n.created_at) AS thread_created_at, COALESCE(n.root_id, n.id) AS thread_id,
        (n.root_id IS NOT NULL)::int AS reply
      FROM note n
      JOIN article a ON a.id = n.article_id
      JOIN paragraph p ON p.id = n.paragraph_id
      LEFT JOIN note r ON r.id = n.root_id
      LEFT JOIN paragraph rp ON rp.id = r.paragraph_id
      WHERE ${selectionSql(selection)} ${keyset}
      ORDER BY a.slug, 3, 4, 5, 6, n.created_at, n.id
      LIMIT ${limit}
    )
    SELECT n.id::text AS id, n.article_id::text AS article_id, page.slug, p.key AS paragraph_key, p.position AS paragraph_position,
      n.parent_id::text AS parent_id, n.root_id::text AS root_id, n.depth, n.kind::text AS kind, n.locale,
      n.visibility::text AS visibility, n.status::text AS status, g.id::text AS group_id, g.name AS group_name,
      n.tag::text AS tag, n.body, n.quote_exact, n.quote_prefix, n.quote_suffix, n.pos_start, n.pos_end,
      u.id AS author_id, u.name AS author_name, n.created_at, n.edited_at, n.via,
      page.thread_position, page.thread_created_at, page.thread_id::text AS thread_id, page.reply
    FROM page
    JOIN note n ON n.id = page.id
    JOIN paragraph p ON p.id = n.paragraph_id
    JOIN "user" u ON u.id = n.author_id
    LEFT JOIN "group" g ON g.id = n.group_id
    ORDER BY page.slug, page.thread_position, page.thread_created_at, page.thread_id, page.reply, n.created_at, n.id`;
  const last = rows.at(-1);
  return {
    notes: rows.map(toExportNote),
    cursor: last
      ? {
          slug: last.slug,
          position: last.thread_position,
          threadCreatedAt: last.thread_created_at,
          threadId: last.thread_id,
          reply: last.reply,
          createdAt: last.created_at,
          id: last.id,
        }
      : null,
  };
}

function toExportNote(row: Row): ExportNote {
  return {
    id: row.id,
    articleId: row.article_id,
    articleSlug: row.slug,
    paragraphKey: row.paragraph_key,
    paragraphPosition: row.paragraph_position,
    parentId: row.parent_id,
    rootId: row.root_id,
    depth: row.depth,
    kind: row.kind,
    locale: row.locale,
    visibility: row.visibility,
    status: row.status,
    group: row.group_id ? { id: row.group_id, name: row.group_name ?? "" } : null,
    tag: row.tag,
    body: row.body,
    quote:
      row.quote_exact !== null
        ? { exact: row.quote_exact, prefix: row.quote_prefix ?? "", suffix: row.quote_suffix ?? "", start: row.pos_start ?? 0, end: row.pos_end ?? 0 }
        : null,
    author: { id: row.author_id, name: row.author_name },
    createdAt: row.created_at,
    editedAt: row.edited_at,
    via: row.via,
  };
}

/** An article's export metadata, or null when the viewer may not read it (404). */
export async function getExportArticle(where: { slug: string } | { id: string }, viewerId: string): Promise<ExportArticle | null> {
  const row = await getPrisma().article.findFirst({
    where: { AND: [where, readableArticlesOf(viewerId).where] },
    select: { id: true, slug: true, originalLocale: true, author: true, source: true, sourceUrl: true, translations: { select: { locale: true, title: true } } },
  });
  if (!row) return null;
  return {
    id: row.id,
    slug: row.slug,
    titles: Object.fromEntries(row.translations.map((t) => [t.locale, t.title])),
    originalLocale: row.originalLocale,
    byline: row.author,
    source: row.source,
    sourceUrl: row.sourceUrl,
  };
}

/** The group's name when the viewer is a current member of it (live group), else null (404). */
export async function getExportGroup(groupId: string, viewerId: string): Promise<{ id: string; name: string } | null> {
  const row = await getPrisma().groupMember.findFirst({ where: { groupId, ...liveMemberships(viewerId).where }, select: { group: { select: { id: true, name: true } } } });
  return row?.group ?? null;
}

/** The paragraph text a Readwise row shows for a note without a quote (a comment on the whole paragraph). */
export async function getParagraphTexts(keys: { paragraphKey: string; articleId: string; locale: string }[]): Promise<Map<string, string>> {
  if (!keys.length) return new Map();
  const tuples = Prisma.join(keys.map((k) => Prisma.sql`(${k.articleId}::uuid, ${k.paragraphKey}, ${k.locale})`));
  const rows = await getPrisma().$queryRaw<{ article_id: string; key: string; locale: string; text: string }[]>`
    SELECT p.article_id::text AS article_id, p.key, pt.locale, pt.text
    FROM paragraph p JOIN paragraph_text pt ON pt.paragraph_id = p.id
    WHERE (p.article_id, p.key, pt.locale) IN (${tuples})`;
  return new Map(rows.map((r) => [`${r.article_id}:${r.key}:${r.locale}`, r.text]));
}
