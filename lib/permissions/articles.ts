import { Prisma } from "@/lib/generated/prisma/client";
import { anyOf, NO_ROW_ID, siteRoleAtLeast, type Principal, type Rule } from "./core";
import { groupPermissionMap, groupRoleAtLeast, mayInGroup, type GroupRole } from "./groups";

// Who reads and who edits which article (issue 11, ADR 0019). A reader sees an article iff it is
// published and either public (no group) or a reading of a live group the viewer belongs to now;
// drafts and unpublished articles never reach a reader route, whoever asks. Editing is a separate
// ladder: editors and admins edit every article, a group's owners and moderators that group's
// readings. `sql` forms are conditions on the article alias `a`. Anything filtered out answers
// the ordinary 404 (never 403), so a group reading's slug tells an outsider nothing.

export type ArticleRule = Rule<Prisma.ArticleWhereInput>;

// ---- predicates ----------------------------------------------------------------------------------

const nothing: ArticleRule = { where: { id: NO_ROW_ID }, sql: Prisma.sql`FALSE` };
const everything: ArticleRule = { where: {}, sql: Prisma.sql`TRUE` };

const isPublished: ArticleRule = { where: { status: "published" }, sql: Prisma.sql`a.status = 'published'` };

const isPublic: ArticleRule = { where: { groupId: null }, sql: Prisma.sql`a.group_id IS NULL` };

/** Readings of the live groups in which the user holds at least `min` (the membership rule of ./groups). */
const readingOfGroupWith = (userId: string, min: GroupRole): ArticleRule => {
  const memberships = groupRoleAtLeast(userId, min);
  return {
    where: { group: { deletedAt: null, members: { some: { userId: memberships.where.userId, role: memberships.where.role } } } },
    sql: Prisma.sql`EXISTS (SELECT 1 FROM ${memberships.sql} lm WHERE lm.group_id = a.group_id)`,
  };
};

function both(left: ArticleRule, right: ArticleRule): ArticleRule {
  return { where: { AND: [left.where, right.where] }, sql: Prisma.sql`(${left.sql} AND ${right.sql})` };
}

// ---- rules ---------------------------------------------------------------------------------------

/**
 * What a reader may read: published public articles, and published readings of the live groups
 * they belong to now (leaving the group, or its deletion, ends access with the next request).
 * Site roles add nothing here: an admin who is not in a group does not read its readings, and
 * drafts are seen through the editor and its preview, not through reader routes.
 */
export function readableArticles(principal: Principal): ArticleRule {
  return readableArticlesOf(principal?.id ?? null);
}

/** readableArticles by user id alone (reading needs no site role): the form the note rules AND in. */
export function readableArticlesOf(viewerId: string | null): ArticleRule {
  if (!viewerId) return both(isPublished, isPublic);
  return both(isPublished, anyOf([isPublic, readingOfGroupWith(viewerId, "member")], nothing));
}

/**
 * What a user may edit (the editor, its preview, publish/unpublish), whatever the status: editors
 * and admins every article, a group's owners and moderators the readings of that live group.
 */
export function editableArticles(principal: Principal): ArticleRule {
  if (!principal) return nothing;
  if (siteRoleAtLeast(principal.role, "editor")) return everything;
  return readingOfGroupWith(principal.id, groupPermissionMap.editReadings);
}

/**
 * Whether the user may create an article: a public one (groupRole null) needs the site role
 * editor; a group reading needs the role owner or moderator in that live group. Callers resolve
 * the target group first and answer 404 when it is not a live group the user belongs to, so a
 * non-member never reaches this with a group.
 */
export function mayCreateArticle(principal: Principal, groupRole: GroupRole | null): boolean {
  if (!principal) return false;
  if (groupRole === null) return siteRoleAtLeast(principal.role, "editor");
  return mayInGroup(groupRole, "editReadings");
}

/** Promoting a group reading to a public article is a public-article decision: editors and admins. */
export function mayPromoteArticle(principal: Principal): boolean {
  return principal !== null && siteRoleAtLeast(principal.role, "editor");
}

/**
 * readableArticles for one article already read, given the viewer's live role in its group
 * (null: not a member, or a public article).
 */
export function mayReadArticle(article: { status: string; groupId: string | null }, groupRole: GroupRole | null): boolean {
  if (article.status !== "published") return false;
  return article.groupId === null || groupRole !== null;
}

/** editableArticles for one article already read, given the viewer's live role in its group. */
export function mayEditArticle(principal: Principal, article: { groupId: string | null }, groupRole: GroupRole | null): boolean {
  if (!principal) return false;
  if (siteRoleAtLeast(principal.role, "editor")) return true;
  return article.groupId !== null && mayInGroup(groupRole, "editReadings");
}
