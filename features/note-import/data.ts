import "server-only";
import type { AnchorParagraph } from "@/lib/annotations/anchor-candidate";
import { getPrisma } from "@/lib/db/prisma";
import { readableArticlesOf } from "@/lib/permissions/articles";
import { liveMemberships } from "@/lib/permissions/groups";

// The reads of an import (ADR 0031): a handful of batched statements per file, whatever its size.

export type ImportArticle = { id: string; slug: string; revision: number; originalLocale: string; sourceUrl: string | null };

/** The caller's role in a live group, and whether the group holds new notes for approval; null: not a member. */
export async function findImportGroup(userId: string, groupId: string): Promise<{ role: "owner" | "moderator" | "member"; preModeration: boolean } | null> {
  const rows = await getPrisma().$queryRaw<{ role: "owner" | "moderator" | "member"; pre_moderation: boolean }[]>`
    SELECT m.role::text AS role, g.pre_moderation FROM ${liveMemberships(userId).sql} m JOIN "group" g ON g.id = m.group_id
    WHERE m.group_id = ${groupId}::uuid`;
  const row = rows[0];
  return row ? { role: row.role, preModeration: row.pre_moderation } : null;
}

/** Whether the account's email address is still unconfirmed (REQUIRE_VERIFIED_EMAIL, ADR 0033). */
export async function isEmailUnverified(userId: string): Promise<boolean> {
  const user = await getPrisma().user.findUnique({ where: { id: userId }, select: { emailVerified: true } });
  return user !== null && !user.emailVerified;
}

/**
 * The articles the caller may read among those named by slug (our IRIs, any origin), by the
 * source URL they were taken from (an annotation made on the original page, e.g. with Hypothesis)
 * or by id (the articles of existing notes an import replies to).
 */
export async function findImportArticles(viewerId: string, slugs: string[], sourceUrls: string[], ids: string[]): Promise<ImportArticle[]> {
  if (!slugs.length && !sourceUrls.length && !ids.length) return [];
  const rows = await getPrisma().$queryRaw<{ id: string; slug: string; revision: number; original_locale: string; source_url: string | null }[]>`
    SELECT a.id::text AS id, a.slug, a.revision, a.original_locale, a.source_url FROM article a
    WHERE (a.slug = ANY(${slugs}::text[]) OR a.source_url = ANY(${sourceUrls}::text[]) OR a.id = ANY(${ids}::uuid[])) AND ${readableArticlesOf(viewerId).sql}`;
  return rows.map((r) => ({ id: r.id, slug: r.slug, revision: r.revision, originalLocale: r.original_locale, sourceUrl: r.source_url }));
}

/** Every paragraph text of the articles (removed paragraphs flagged), in reading order, per article. */
export async function loadAnchorParagraphs(articleIds: string[]): Promise<Map<string, AnchorParagraph[]>> {
  const byArticle = new Map<string, AnchorParagraph[]>();
  if (!articleIds.length) return byArticle;
  const rows = await getPrisma().$queryRaw<{ article_id: string; id: string; key: string; locale: string; text: string; removed: boolean }[]>`
    SELECT p.article_id::text AS article_id, p.id::text AS id, p.key, t.locale, t.text,
      (p.position <= 0 OR p.removed_in_revision IS NOT NULL) AS removed
    FROM paragraph p JOIN paragraph_text t ON t.paragraph_id = p.id
    WHERE p.article_id = ANY(${articleIds}::uuid[])
    ORDER BY p.article_id, p.position, t.locale`;
  for (const row of rows) {
    const list = byArticle.get(row.article_id) ?? [];
    list.push({ id: row.id, key: row.key, locale: row.locale, text: row.text, removed: row.removed });
    byArticle.set(row.article_id, list);
  }
  return byArticle;
}

/** A note of the caller an import line may be a duplicate of, or reply to. */
export type ExistingNote = {
  id: string;
  via: string | null;
  articleId: string;
  paragraphId: string;
  locale: string;
  rootId: string | null;
  depth: number;
  visibility: "private" | "public" | "group";
  groupId: string | null;
  deleted: boolean;
  /** Its thread is locked (no new replies). */
  locked: boolean;
};

/** The caller's notes whose `via` is one of `vias`, or whose id is one of `ids` (our own annotation IRIs). */
export async function findExistingNotes(authorId: string, vias: string[], ids: string[]): Promise<ExistingNote[]> {
  if (!vias.length && !ids.length) return [];
  const rows = await getPrisma().$queryRaw<
    {
      id: string;
      via: string | null;
      article_id: string;
      paragraph_id: string;
      locale: string;
      root_id: string | null;
      depth: number;
      visibility: ExistingNote["visibility"];
      group_id: string | null;
      deleted: boolean;
      locked: boolean;
    }[]
  >`
    SELECT n.id::text AS id, n.via, n.article_id::text AS article_id, n.paragraph_id::text AS paragraph_id, n.locale,
      n.root_id::text AS root_id, n.depth, n.visibility::text AS visibility, n.group_id::text AS group_id,
      (n.deleted_at IS NOT NULL OR n.purged_at IS NOT NULL) AS deleted,
      (SELECT r.locked_at FROM note r WHERE r.id = coalesce(n.root_id, n.id)) IS NOT NULL AS locked
    FROM note n
    WHERE n.author_id = ${authorId} AND (n.via = ANY(${vias}::text[]) OR n.id = ANY(${ids}::uuid[]))`;
  return rows.map((r) => ({
    id: r.id,
    via: r.via,
    articleId: r.article_id,
    paragraphId: r.paragraph_id,
    locale: r.locale,
    rootId: r.root_id,
    depth: r.depth,
    visibility: r.visibility,
    groupId: r.group_id,
    deleted: r.deleted,
    locked: r.locked,
  }));
}
