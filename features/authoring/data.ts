import "server-only";
import { getPrisma } from "@/lib/db/prisma";
import { readLiveDocument } from "@/features/articles/data";
import type { ArticleDocument, ContentLocale } from "@/lib/content/article-document";
import { Prisma } from "@/lib/generated/prisma/client";
import { editableArticles } from "@/lib/permissions/articles";
import type { Principal } from "@/lib/permissions/core";
import { liveMemberships, type GroupRole } from "@/lib/permissions/groups";
import type { DraftState, EditableArticle, EditableArticleItem } from "./types";

// Reads of the editor. Every read goes through editableArticles (lib/permissions/articles.ts):
// what the viewer may not edit is not found, whatever its status (ADR 0020).

type Db = Prisma.TransactionClient | ReturnType<typeof getPrisma>;

/** Most articles the editor's list shows (newest changes first). */
export const EDITABLE_LIST_LIMIT = 1000;

type ListRow = {
  id: string;
  slug: string;
  status: EditableArticleItem["status"];
  group_id: string | null;
  group_name: string | null;
  revision: number;
  has_draft: boolean;
  draft_titles: Partial<Record<ContentLocale, string>> | null;
  live_titles: Partial<Record<ContentLocale, string>> | null;
  updated_at: Date;
};

/** The articles the viewer may edit, with the titles of their drafts (read in SQL, not the whole documents). */
export async function listEditableArticles(principal: Principal): Promise<EditableArticleItem[]> {
  const rule = editableArticles(principal);
  const rows = await getPrisma().$queryRaw<ListRow[]>`
    SELECT a.id, a.slug, a.status::text AS status, a.group_id, g.name AS group_name, a.revision,
      (d.article_id IS NOT NULL) AS has_draft,
      CASE WHEN d.article_id IS NULL THEN NULL ELSE jsonb_strip_nulls(jsonb_build_object(
        'en', d.document->'meta'->'translations'->'en'->>'title',
        'ja', d.document->'meta'->'translations'->'ja'->>'title')) END AS draft_titles,
      (SELECT jsonb_object_agg(tr.locale, tr.title) FROM article_translation tr WHERE tr.article_id = a.id) AS live_titles,
      greatest(a.updated_at, d.updated_at) AS updated_at
    FROM article a
    LEFT JOIN article_draft d ON d.article_id = a.id
    LEFT JOIN "group" g ON g.id = a.group_id
    WHERE ${rule.sql}
    ORDER BY greatest(a.updated_at, d.updated_at) DESC, a.id
    LIMIT ${EDITABLE_LIST_LIMIT}`;
  return rows.map((row) => ({
    id: row.id,
    slug: row.slug,
    status: row.status,
    groupId: row.group_id,
    groupName: row.group_name,
    titles: row.draft_titles ?? row.live_titles ?? {},
    revision: row.revision,
    hasDraft: row.has_draft,
    updatedAt: row.updated_at.toISOString(),
  }));
}

const articleSelect = { id: true, slug: true, status: true, groupId: true, revision: true, firstPublishedAt: true, updatedAt: true } as const;

/** The article if the viewer may edit it, else null (404). */
export async function findEditableArticle(db: Db, articleId: string, principal: Principal) {
  return db.article.findFirst({ where: { AND: [{ id: articleId }, editableArticles(principal).where] }, select: articleSelect });
}

export function toEditableArticle(row: NonNullable<Awaited<ReturnType<typeof findEditableArticle>>>): EditableArticle {
  return {
    id: row.id,
    slug: row.slug,
    status: row.status,
    groupId: row.groupId,
    revision: row.revision,
    firstPublishedAt: row.firstPublishedAt?.toISOString() ?? null,
  };
}

/** The stored draft, or null. */
export async function findDraft(db: Db, articleId: string): Promise<DraftState | null> {
  const draft = await db.articleDraft.findUnique({
    where: { articleId },
    select: { document: true, version: true, updatedAt: true, updatedBy: { select: { id: true, name: true } } },
  });
  if (!draft) return null;
  return {
    // Validated by draftDocumentSchema before it was stored.
    document: draft.document as unknown as ArticleDocument,
    version: draft.version,
    updatedAt: draft.updatedAt.toISOString(),
    updatedBy: draft.updatedBy,
  };
}

/** The live text as a document: what a new draft of a published article starts from. */
export function liveDocument(db: Db, articleId: string): Promise<ArticleDocument | null> {
  return readLiveDocument(db, { id: articleId });
}

/** The draft to edit: the stored one, else the live text as version 0 (stored by the first save). */
export async function draftOrLive(db: Db, article: { id: string; updatedAt: Date }): Promise<DraftState | null> {
  const draft = await findDraft(db, article.id);
  if (draft) return draft;
  const document = await liveDocument(db, article.id);
  return document ? { document, version: 0, updatedAt: article.updatedAt.toISOString(), updatedBy: null } : null;
}

/** The editor's view of an article: the article and its draft, or null (404). */
export async function getEditorView(articleId: string, principal: Principal): Promise<{ article: EditableArticle; draft: DraftState } | null> {
  const prisma = getPrisma();
  const article = await findEditableArticle(prisma, articleId, principal);
  if (!article) return null;
  const draft = await draftOrLive(prisma, article);
  return draft ? { article: toEditableArticle(article), draft } : null;
}

/** The viewer's role in a live group, or null when they are not a member (or it is deleted). */
export async function liveGroupRole(db: Db, userId: string, groupId: string): Promise<GroupRole | null> {
  const membership = await db.groupMember.findFirst({ where: { ...liveMemberships(userId).where, groupId }, select: { role: true } });
  return membership?.role ?? null;
}

/** Whether another article has this slug. */
export async function slugTaken(db: Db, slug: string, exceptId?: string): Promise<boolean> {
  const found = await db.article.findFirst({ where: { slug, ...(exceptId ? { id: { not: exceptId } } : {}) }, select: { id: true } });
  return found !== null;
}

/** The first free `<base>-2`, `<base>-3`, … (cut so the result stays within the slug length). */
export async function freeSlug(db: Db, base: string, maxLength: number): Promise<string> {
  const taken = new Set(
    (await db.article.findMany({ where: { slug: { startsWith: base.slice(0, maxLength - 8) } }, select: { slug: true } })).map((a) => a.slug),
  );
  for (let n = 2; ; n += 1) {
    const suffix = `-${n}`;
    const candidate = `${base.slice(0, maxLength - suffix.length).replace(/-+$/, "")}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}
