import "server-only";
import { unstable_cache } from "next/cache";
import { publicNotesTag } from "@/lib/cache-tags";
import { getPrisma } from "@/lib/db/prisma";
import { Prisma } from "@/lib/generated/prisma/client";
import type { RevisionSnapshot } from "@/lib/content/article-document";
import { readableArticles } from "@/lib/permissions/articles";
import type { Principal } from "@/lib/permissions/core";
import { noteReadableBy } from "@/lib/permissions/notes";
import type { HistoryArticle, PassageChangedNote, RevisionListItem } from "./types";

// The read side of revisions (the history page, "notes whose passage changed"). Publishing, which
// writes them, is mutations.ts. Every read takes the viewer's rules (lib/permissions): an article
// they may not read is null (404), a note they may not see never reaches the list.

/** How many revisions the history lists (newest first); older ones are still kept. */
export const HISTORY_LIMIT = 500;

/** How many notes "notes whose passage changed" lists (the most recently changed first). */
export const PASSAGE_CHANGED_LIMIT = 200;

/** The article whose history is asked for, or null when it does not exist for this viewer. */
export async function getHistoryArticle(slug: string, principal: Principal): Promise<HistoryArticle | null> {
  const row = await getPrisma().article.findFirst({
    where: { slug, ...readableArticles(principal).where },
    select: {
      id: true,
      slug: true,
      groupId: true,
      originalLocale: true,
      revision: true,
      translations: { select: { locale: true, title: true } },
    },
  });
  if (!row) return null;
  const { translations, ...article } = row;
  return { ...article, titles: Object.fromEntries(translations.map((t) => [t.locale, t.title])) };
}

export async function listRevisions(articleId: string): Promise<RevisionListItem[]> {
  const rows = await getPrisma().articleRevision.findMany({
    where: { articleId },
    orderBy: { number: "desc" },
    take: HISTORY_LIMIT,
    select: { number: true, createdAt: true, summary: true, author: { select: { name: true } } },
  });
  return rows.map((row) => ({ number: row.number, authorName: row.author?.name ?? null, createdAt: row.createdAt.toISOString(), summary: row.summary }));
}

/** The snapshots of these revisions (one query), by number; a number the article lacks is absent. */
export async function getRevisionSnapshots(articleId: string, numbers: number[]): Promise<Map<number, RevisionSnapshot>> {
  const rows = await getPrisma().articleRevision.findMany({
    where: { articleId, number: { in: numbers } },
    select: { number: true, snapshot: true },
  });
  return new Map(rows.map((row) => [row.number, row.snapshot as unknown as RevisionSnapshot]));
}

/** A row of passageChangedNotesSql's JSON array, as PostgreSQL writes it. */
export type PassageChangedRow = {
  id: string;
  kind: PassageChangedNote["kind"];
  locale: string;
  body: string;
  quote: string | null;
  visibility: PassageChangedNote["visibility"];
  status: PassageChangedNote["status"];
  created_at: string;
  written_on: number | null;
  changed_in: number | null;
  removed_in: number | null;
  author_id: string;
  author_name: string;
  group_name: string | null;
  paragraph_key: string;
  paragraph_position: number;
  reply_count: number;
};

/**
 * The notes this viewer may see (lib/permissions/notes noteReadableBy, never re-implemented) whose
 * passage a revision changed: marked by publishing (passage_changed_at), or on a paragraph a
 * revision removed (parked at a position <= 0), in case a note reached one unmarked. Threads are
 * listed by their first note; deleted notes are not listed. A scalar subquery giving a JSON array
 * (toPassageChangedNotes reads it), so the reader state can carry it in a statement it already
 * sends. The candidates come from note_passage_changed_idx and from the parked paragraphs
 * (paragraph(article_id, position), then note(article_id, paragraph_id)), never from every note of
 * the article (ARRAY(...) is computed once, then rows are fetched by primary key, whatever the
 * planner guesses of its size); replies are counted through note(root_id) (a first note's
 * replies have it as root).
 */
export function passageChangedNotesSql(articleId: string, viewerId: string | null): Prisma.Sql {
  return Prisma.sql`(SELECT coalesce(json_agg(c ORDER BY c.changed_at DESC NULLS LAST, c.created_at DESC, c.id DESC), '[]'::json) FROM (
    SELECT n.id, n.kind, n.locale, n.body, n.quote_exact AS quote, n.visibility, n.status, n.created_at, n.passage_changed_at AS changed_at,
      n.article_revision AS written_on, n.passage_changed_in AS changed_in, p.removed_in_revision AS removed_in,
      u.id AS author_id, u.name AS author_name, g.name AS group_name, p.key AS paragraph_key, p.position AS paragraph_position,
      (SELECT count(*)::int FROM note r WHERE r.root_id = n.id AND r.parent_id = n.id AND r.deleted_at IS NULL) AS reply_count
    FROM note n
    JOIN paragraph p ON p.id = n.paragraph_id
    JOIN "user" u ON u.id = n.author_id
    LEFT JOIN "group" g ON g.id = n.group_id
    WHERE n.id = ANY (ARRAY(
        SELECT m.id FROM note m WHERE m.article_id = ${articleId}::uuid AND m.passage_changed_at IS NOT NULL
        UNION
        SELECT m.id FROM paragraph parked JOIN note m ON m.article_id = parked.article_id AND m.paragraph_id = parked.id
        WHERE parked.article_id = ${articleId}::uuid AND parked.position <= 0))
      AND n.parent_id IS NULL AND n.deleted_at IS NULL AND ${noteReadableBy(viewerId).sql}
    ORDER BY n.passage_changed_at DESC NULLS LAST, n.created_at DESC, n.id DESC
    LIMIT ${PASSAGE_CHANGED_LIMIT}) c)`;
}

export function toPassageChangedNotes(rows: PassageChangedRow[] | null): PassageChangedNote[] {
  return (rows ?? []).map((row) => ({
    id: row.id,
    kind: row.kind,
    locale: row.locale,
    body: row.body,
    quote: row.quote,
    author: { id: row.author_id, name: row.author_name },
    createdAt: new Date(row.created_at).toISOString(),
    visibility: row.visibility,
    groupName: row.group_name,
    status: row.status,
    writtenOn: row.written_on,
    changedIn: row.changed_in ?? row.removed_in,
    paragraphKey: row.paragraph_key,
    paragraphRemoved: row.paragraph_position <= 0,
    replyCount: row.reply_count,
  }));
}

/** "Notes whose passage changed" (passageChangedNotesSql), in one statement. */
export async function listPassageChangedNotes(articleId: string, viewerId: string | null): Promise<PassageChangedNote[]> {
  const rows = await getPrisma().$queryRaw<{ notes: PassageChangedRow[] | null }[]>`SELECT ${passageChangedNotesSql(articleId, viewerId)} AS notes`;
  return toPassageChangedNotes(rows[0]?.notes ?? null);
}

/**
 * The list as every signed-out reader sees it, for the cached reader page: kept until a public
 * note changes or a publish marks the article's public notes stale (lib/cache-tags.ts; publishing
 * re-anchors notes, so it always does).
 */
export function getPublicPassageChangedNotes(articleId: string): Promise<PassageChangedNote[]> {
  return unstable_cache(() => listPassageChangedNotes(articleId, null), ["public-passage-changed", articleId], {
    tags: [publicNotesTag(articleId)],
    revalidate: 300,
  })();
}
