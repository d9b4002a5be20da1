import "server-only";
import type { NoteCounts } from "@/features/notes/data";
import type { Layers } from "@/lib/layers";
import { getPrisma } from "@/lib/db/prisma";
import { Prisma } from "@/lib/generated/prisma/client";
import { readableArticles } from "@/lib/permissions/articles";
import type { Principal } from "@/lib/permissions/core";
import { noteLayers, noteReadableBy } from "@/lib/permissions/notes";
import type { ContinueAt } from "./types";

// The reader's own layer over the cached article page (ADR 0012): what a signed-in reader's page
// adds to it. The notes' rows and counts are the notes feature's (features/notes/data.ts).

/** What the cached public page lacks; written exactly as note_not_public_idx's predicate, so the index serves it. */
const notPublicSql = Prisma.sql`(n.visibility <> 'public' OR n.status <> 'visible')`;

/**
 * What a signed-in reader's page adds to the cached one, in one query whatever the number of
 * notes: counts and open questions (the public ones from paragraph_note_stats, kept exact by a
 * trigger, plus the rows the public page lacks — their private and group notes, their own hidden
 * or pending ones, read through note_not_public_idx), notes by others since their previous
 * visit (through note(article_id, created_at)), and the paragraphs whose highlights the page
 * must redraw: those holding a highlight the public page lacks, and those where the reader
 * wrote, changed or removed a public highlight after `ownSince` (when the cached page was
 * rendered: a reader always sees their own writes), or, with the public layer off, all of them
 * (`scope: "all"`). getNoteCounts gives the same numbers, as the tests check.
 */
export async function getReaderOverlayData(
  articleId: string,
  viewerId: string,
  options: { layers?: Layers | null; since?: Date | null; ownSince?: Date | null } = {},
): Promise<NoteCounts & { scope: "paragraphs" | "all"; redrawParagraphIds: string[] }> {
  const layers = options.layers ?? null;
  const since = options.since ?? null;
  const ownSince = options.ownSince ?? null;
  // With the public layer off there is nothing shared to add: the layers (my notes, my groups')
  // bound what is read, and "my notes" includes my public ones.
  const publicLayer = !layers || layers.public;
  const rows = await getPrisma().$queryRaw<{ part: "public" | "own" | "mine" | "unread"; paragraph_id: string; count: number; open_questions: number; highlights: number }[]>`
    SELECT 'public' AS part, s.paragraph_id::text AS paragraph_id, s.public_count AS count, s.open_questions, 0 AS highlights
    FROM paragraph_note_stats s
    WHERE s.article_id = ${articleId}::uuid AND ${publicLayer ? Prisma.sql`TRUE` : Prisma.sql`FALSE`}
    UNION ALL
    SELECT 'own', n.paragraph_id::text, count(*)::int,
      (count(*) FILTER (WHERE n.parent_id IS NULL AND n.tag = 'question' AND n.answered_by_id IS NULL))::int,
      (count(*) FILTER (WHERE n.kind = 'annotation' AND n.parent_id IS NULL))::int
    FROM note n
    WHERE n.article_id = ${articleId}::uuid AND ${publicLayer ? notPublicSql : Prisma.sql`TRUE`} AND n.deleted_at IS NULL
      AND ${noteReadableBy(viewerId).sql} AND ${noteLayers(viewerId, layers).sql}
    GROUP BY n.paragraph_id
    UNION ALL
    SELECT 'mine', n.paragraph_id::text, 0, 0, count(*)::int
    FROM note n
    WHERE ${publicLayer && ownSince ? Prisma.sql`TRUE` : Prisma.sql`FALSE`} AND n.author_id = ${viewerId} AND n.article_id = ${articleId}::uuid
      AND n.updated_at > ${ownSince}::timestamptz AND n.kind = 'annotation' AND n.parent_id IS NULL AND n.visibility = 'public'
    GROUP BY n.paragraph_id
    UNION ALL
    SELECT 'unread', n.paragraph_id::text, count(*)::int, 0, 0
    FROM note n
    WHERE ${since}::timestamptz IS NOT NULL AND n.article_id = ${articleId}::uuid AND n.created_at > ${since}::timestamptz
      AND n.author_id <> ${viewerId} AND n.deleted_at IS NULL AND ${noteReadableBy(viewerId).sql} AND ${noteLayers(viewerId, layers).sql}
    GROUP BY n.paragraph_id`;
  const counts: Record<string, number> = {};
  const openQuestions: Record<string, number> = {};
  const unread: Record<string, number> = {};
  const redrawParagraphIds: string[] = [];
  for (const row of rows) {
    if (row.part === "unread") {
      unread[row.paragraph_id] = row.count;
      continue;
    }
    if (row.count > 0) counts[row.paragraph_id] = (counts[row.paragraph_id] ?? 0) + row.count;
    if (row.open_questions > 0) openQuestions[row.paragraph_id] = (openQuestions[row.paragraph_id] ?? 0) + row.open_questions;
    if (row.part !== "public" && publicLayer && row.highlights > 0 && !redrawParagraphIds.includes(row.paragraph_id)) redrawParagraphIds.push(row.paragraph_id);
  }
  return { counts, openQuestions, unread, scope: publicLayer ? "paragraphs" : "all", redrawParagraphIds };
}

/** How many of a reader's most recent visits "continue reading" answers for (the home list's cards). */
export const CONTINUE_READING_LIMIT = 200;

/**
 * Where the reader left off, per article slug, for their most recently visited articles they
 * may still read: the paragraph key they were last at and that paragraph's position now, so the
 * number follows revisions. A paragraph since removed (parked at a position <= 0) drops out.
 */
export async function listContinueReading(principal: NonNullable<Principal>): Promise<Record<string, ContinueAt>> {
  const readable = readableArticles(principal);
  const rows = await getPrisma().$queryRaw<{ slug: string; key: string; position: number }[]>`
    SELECT a.slug, p.key, p.position
    FROM article_visit v
    JOIN article a ON a.id = v.article_id
    JOIN paragraph p ON p.article_id = v.article_id AND p.key = v.paragraph_key AND p.position > 0
    WHERE v.user_id = ${principal.id} AND v.paragraph_key IS NOT NULL AND ${readable.sql}
    ORDER BY v.last_visited_at DESC
    LIMIT ${CONTINUE_READING_LIMIT}`;
  return Object.fromEntries(rows.map((row) => [row.slug, { key: row.key, position: row.position }]));
}
