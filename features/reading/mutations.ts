import "server-only";
import { activeSuspensionSql } from "@/features/moderation/data";
import type { ViewerGroup } from "@/features/notes/data";
import { passageChangedNotesSql, toPassageChangedNotes, type PassageChangedRow } from "@/features/revisions/data";
import type { PassageChangedNote } from "@/features/revisions/types";
import type { Suspension } from "@/lib/auth/viewer";
import { getPrisma } from "@/lib/db/prisma";
import { Prisma } from "@/lib/generated/prisma/client";
import { readableArticles } from "@/lib/permissions/articles";
import type { Principal } from "@/lib/permissions/core";
import { liveMemberships } from "@/lib/permissions/groups";

/** Visits closer together than this belong to one reading session. */
export const VISIT_SESSION_GAP_MS = 30 * 60_000;

export type ReadingSession = { since: Date | null; groups: ViewerGroup[]; suspension: Suspension | null; passageChanged: PassageChangedNote[] };

/**
 * Everything a signed-in page view needs about its reader, in one statement (it runs on every
 * page view): records the visit, and reads the reader's groups (as getViewerGroups) and the
 * suspension in force (moderation's rule, activeSuspensionSql), and, with `passageChanged`, the
 * notes whose passage changed as the reader sees them (features/revisions passageChangedNotesSql;
 * callers leave it out when the article says no revision left any: most page views).
 *
 * `since` is where "new since my last visit" counts from (null on a first visit): the end of
 * the previous reading session. A reload, a layer change or the refresh after posting is the
 * same session, so the boundary stays and "new" markers do not vanish under the reader; after a
 * pause, the session that just ended becomes the boundary. SET expressions read the row as it
 * was, RETURNING the row as written. Sessions run on UTC (lib/db/prisma.ts), so the Date
 * parameter and Prisma's own created_at writes compare.
 */
export async function openReadingSession(
  userId: string,
  articleId: string,
  at: Date = new Date(),
  options: { passageChanged?: boolean } = {},
): Promise<ReadingSession> {
  const rows = await getPrisma().$queryRaw<
    { since: Date | null; groups: ViewerGroup[] | null; suspension: { reason: string; endsAt: string | null } | null; passage_changed: PassageChangedRow[] | null }[]
  >`
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
        FROM ${liveMemberships(userId).sql} m JOIN "group" g ON g.id = m.group_id) AS groups,
      (SELECT json_build_object('reason', s.reason, 'endsAt', s.ends_at)
        FROM user_suspension s WHERE ${activeSuspensionSql(userId)}
        ORDER BY s.created_at DESC LIMIT 1) AS suspension,
      ${options.passageChanged ? passageChangedNotesSql(articleId, userId) : Prisma.sql`NULL::json`} AS passage_changed`;
  const row = rows[0];
  const suspension = row?.suspension ?? null;
  return {
    since: row?.since ? new Date(row.since) : null,
    groups: (row?.groups ?? []).slice(0, 200),
    suspension: suspension ? { reason: suspension.reason, endsAt: suspension.endsAt ? new Date(suspension.endsAt).toISOString() : null } : null,
    passageChanged: toPassageChangedNotes(row?.passage_changed ?? null),
  };
}

/**
 * Remembers the paragraph a signed-in reader was last at (article_visit.paragraph_key), in one
 * statement. Only an existing visit is updated (the page records it when it opens), only for an
 * article the reader may read, and only with a key of one of its live paragraphs: anything else
 * is ignored (`saved: false`). `found` is false when the article does not exist for this reader.
 */
export async function saveReadingPosition(
  principal: NonNullable<Principal>,
  slug: string,
  paragraphKey: string,
): Promise<{ found: boolean; saved: boolean }> {
  const readable = readableArticles(principal);
  const rows = await getPrisma().$queryRaw<{ found: boolean; saved: boolean }[]>`
    WITH target AS (SELECT a.id FROM article a WHERE a.slug = ${slug} AND ${readable.sql}),
    saved AS (
      UPDATE article_visit v SET paragraph_key = p.key
      FROM target t, paragraph p
      WHERE v.user_id = ${principal.id} AND v.article_id = t.id
        AND p.article_id = t.id AND p.key = ${paragraphKey} AND p.position > 0
      RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM target) AS found, EXISTS (SELECT 1 FROM saved) AS saved`;
  return rows[0] ?? { found: false, saved: false };
}
