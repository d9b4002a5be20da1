import "server-only";
import { getPrisma } from "@/lib/db/prisma";
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

/**
 * The notes this viewer may see (lib/permissions/notes noteReadableBy, never re-implemented) whose
 * passage a revision changed: marked by publishing (passage_changed_at), or on a paragraph a
 * revision removed (parked at a position <= 0), in case a note reached one unmarked. Threads are
 * listed by their first note; deleted notes are not listed.
 */
export async function listPassageChangedNotes(articleId: string, viewerId: string | null): Promise<PassageChangedNote[]> {
  const prisma = getPrisma();
  // The parked paragraphs first (an index range on (article_id, position)), so the note query is
  // two plain conditions an index can serve rather than a join over every note of the article.
  const parked = await prisma.paragraph.findMany({ where: { articleId, position: { lte: 0 } }, select: { id: true } });
  const rows = await prisma.note.findMany({
    where: {
      AND: [
        { articleId, parentId: null, deletedAt: null },
        { OR: [{ passageChangedAt: { not: null } }, ...(parked.length ? [{ paragraphId: { in: parked.map((p) => p.id) } }] : [])] },
        noteReadableBy(viewerId).where,
      ],
    },
    orderBy: [{ passageChangedAt: { sort: "desc", nulls: "last" } }, { createdAt: "desc" }, { id: "desc" }],
    take: PASSAGE_CHANGED_LIMIT,
    select: {
      id: true,
      kind: true,
      locale: true,
      body: true,
      quoteExact: true,
      visibility: true,
      status: true,
      createdAt: true,
      articleRevision: true,
      passageChangedIn: true,
      author: { select: { id: true, name: true } },
      group: { select: { name: true } },
      paragraph: { select: { key: true, position: true, removedInRevision: true } },
      _count: { select: { replies: { where: { deletedAt: null } } } },
    },
  });
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    locale: row.locale,
    body: row.body,
    quote: row.quoteExact,
    author: row.author,
    createdAt: row.createdAt.toISOString(),
    visibility: row.visibility,
    groupName: row.group?.name ?? null,
    status: row.status,
    writtenOn: row.articleRevision,
    changedIn: row.passageChangedIn ?? row.paragraph.removedInRevision,
    paragraphKey: row.paragraph.key,
    paragraphRemoved: row.paragraph.position <= 0,
    replyCount: row._count.replies,
  }));
}
