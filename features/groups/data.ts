import "server-only";
import { createHash } from "node:crypto";
import { getPrisma } from "@/lib/db/prisma";
import { ACTIVITY_PAGE_SIZE, INVITE_TOKEN } from "./schema";
import type { ActivityItem, GroupDetail, GroupMemberDto, GroupReading, GroupRole, GroupSummary, InviteDto, InviteState, ReadingArticle } from "./types";
import { isUuid } from "@/lib/ids";
import { liveGroupsOf, liveMemberships, mayInGroup } from "@/lib/permissions/groups";
import { readableArticlesOf } from "@/lib/permissions/articles";
import { noteStatusSeenBy } from "@/lib/permissions/notes";

// Every read takes the viewer and answers only for members of a live group: anyone else gets
// null, which callers turn into 404, so a group id reveals nothing to outsiders (ADR 0009).


const focus = (value: string | null): "en" | "ja" | null => (value === "en" || value === "ja" ? value : null);

export function hashInviteToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The viewer's role in a live group, or null (not a member, deleted group, malformed id). */
export async function getMembershipRole(groupId: string, userId: string): Promise<GroupRole | null> {
  // A malformed id is just another group the viewer is not in (Postgres would reject the uuid).
  if (!isUuid(groupId)) return null;
  const member = await getPrisma().groupMember.findFirst({
    where: { groupId, ...liveMemberships(userId).where },
    select: { role: true },
  });
  return member?.role ?? null;
}

export async function listMyGroups(userId: string): Promise<GroupSummary[]> {
  const rows = await getPrisma().groupMember.findMany({
    where: liveMemberships(userId).where,
    orderBy: [{ group: { name: "asc" } }, { groupId: "asc" }],
    select: { role: true, group: { select: { id: true, name: true, languageFocus: true, _count: { select: { members: true } } } } },
  });
  return rows.map((row) => ({
    id: row.group.id,
    name: row.group.name,
    role: row.role,
    languageFocus: focus(row.group.languageFocus),
    memberCount: row.group._count.members,
  }));
}

export async function getGroupForMember(groupId: string, userId: string): Promise<GroupDetail | null> {
  if (!isUuid(groupId)) return null;
  const row = await getPrisma().group.findFirst({
    where: { id: groupId, ...liveGroupsOf(userId).where },
    select: { id: true, name: true, description: true, languageFocus: true, preModeration: true, version: true, createdAt: true, members: { where: { userId }, select: { role: true } } },
  });
  if (!row) return null;
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    languageFocus: focus(row.languageFocus),
    preModeration: row.preModeration,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    myRole: row.members[0]!.role,
  };
}

const roleOrder: Record<GroupRole, number> = { owner: 0, moderator: 1, member: 2 };

/** Members of a group the viewer belongs to (null otherwise); `q` filters display names. */
export async function listGroupMembers(groupId: string, viewerId: string, q = ""): Promise<GroupMemberDto[] | null> {
  if (!mayInGroup(await getMembershipRole(groupId, viewerId), "read")) return null;
  const rows = await getPrisma().groupMember.findMany({
    where: { groupId, ...(q ? { user: { name: { contains: q, mode: "insensitive" } } } : {}) },
    select: { role: true, joinedAt: true, user: { select: { id: true, name: true } } },
    orderBy: [{ joinedAt: "asc" }, { userId: "asc" }],
    take: q ? 20 : 500,
  });
  return rows
    .map((row) => ({ id: row.user.id, name: row.user.name, role: row.role, joinedAt: row.joinedAt.toISOString() }))
    .sort((a, b) => roleOrder[a.role] - roleOrder[b.role]);
}

/** Invites still usable now; only owners and moderators may list them (null otherwise). */
export async function listActiveInvites(groupId: string, viewerId: string): Promise<InviteDto[] | null> {
  if (!mayInGroup(await getMembershipRole(groupId, viewerId), "manageInvites")) return null;
  const rows = await getPrisma().groupInvite.findMany({
    where: { groupId, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: "desc" },
    select: { id: true, createdAt: true, expiresAt: true, maxUses: true, uses: true, createdBy: { select: { name: true } } },
  });
  return rows
    .filter((row) => row.maxUses === null || row.uses < row.maxUses)
    .map((row) => ({
      id: row.id,
      createdAt: row.createdAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
      maxUses: row.maxUses,
      uses: row.uses,
      createdBy: row.createdBy.name,
    }));
}

/**
 * What an invite link leads to. Only a valid invite names its group: an expired or revoked link
 * may have travelled further than intended, so it says nothing about where it led.
 */
export async function getInviteState(token: string, viewerId: string | null): Promise<InviteState> {
  if (!INVITE_TOKEN.test(token)) return { status: "invalid" };
  const invite = await getPrisma().groupInvite.findUnique({
    where: { tokenHash: hashInviteToken(token) },
    select: { expiresAt: true, maxUses: true, uses: true, revokedAt: true, group: { select: { id: true, name: true, deletedAt: true } } },
  });
  if (!invite || invite.group.deletedAt) return { status: "invalid" };
  const alreadyMember = viewerId ? (await getMembershipRole(invite.group.id, viewerId)) !== null : false;
  // A member following an old link is still sent to their group.
  if (alreadyMember) return { status: "valid", group: { id: invite.group.id, name: invite.group.name }, alreadyMember };
  if (invite.revokedAt) return { status: "revoked" };
  if (invite.expiresAt <= new Date()) return { status: "expired" };
  if (invite.maxUses !== null && invite.uses >= invite.maxUses) return { status: "used_up" };
  return { status: "valid", group: { id: invite.group.id, name: invite.group.name }, alreadyMember };
}

function pickTitle(translations: { locale: string; title: string }[], locale: string) {
  const chosen = translations.find((t) => t.locale === locale) ?? translations[0];
  return { title: chosen?.title ?? "", titleLocale: chosen?.locale ?? locale };
}

/**
 * Newest group notes and replies, across articles; deleted notes are left out, and so are notes a
 * moderator hid or that wait for approval (except for their author), as everywhere else.
 */
export async function listGroupActivity(
  groupId: string,
  viewerId: string,
  locale: string,
  cursor: { createdAt: Date; id: string } | null,
): Promise<{ items: ActivityItem[]; nextCursor: string | null } | null> {
  if (!mayInGroup(await getMembershipRole(groupId, viewerId), "read")) return null;
  const rows = await getPrisma().note.findMany({
    where: {
      groupId,
      visibility: "group",
      deletedAt: null,
      AND: [
        noteStatusSeenBy(viewerId).where,
        // Not on an article the member cannot open (a draft, an unpublished article; ADR 0019).
        { article: readableArticlesOf(viewerId).where },
        cursor ? { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] } : {},
      ],
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: ACTIVITY_PAGE_SIZE + 1,
    select: {
      id: true,
      parentId: true,
      locale: true,
      body: true,
      quoteExact: true,
      createdAt: true,
      author: { select: { id: true, name: true } },
      paragraph: { select: { position: true } },
      article: { select: { slug: true, groupId: true, translations: { select: { locale: true, title: true } } } },
    },
  });
  const page = rows.slice(0, ACTIVITY_PAGE_SIZE);
  const last = page[page.length - 1];
  return {
    items: page.map((row) => ({
      id: row.id,
      parentId: row.parentId,
      author: row.author,
      article: { slug: row.article.slug, groupId: row.article.groupId, ...pickTitle(row.article.translations, locale) },
      paragraphNumber: row.paragraph.position,
      locale: row.locale,
      // A bare highlight has no body: its quoted passage says what it is about.
      excerpt: excerpt(row.body) || (row.quoteExact ? `“${excerpt(row.quoteExact)}”` : ""),
      createdAt: row.createdAt.toISOString(),
    })),
    nextCursor: rows.length > ACTIVITY_PAGE_SIZE && last ? `${last.createdAt.toISOString()}_${last.id}` : null,
  };
}

/** Articles with live notes of this group, most recently discussed first. */
export async function listGroupArticles(groupId: string, viewerId: string, locale: string): Promise<ReadingArticle[] | null> {
  if (!mayInGroup(await getMembershipRole(groupId, viewerId), "read")) return null;
  const prisma = getPrisma();
  const grouped = await prisma.note.groupBy({
    by: ["articleId"],
    where: { groupId, visibility: "group", deletedAt: null },
    _count: { _all: true },
    _max: { createdAt: true },
  });
  if (!grouped.length) return [];
  const articles = await prisma.article.findMany({
    where: { AND: [{ id: { in: grouped.map((g) => g.articleId) } }, readableArticlesOf(viewerId).where] },
    select: { id: true, slug: true, groupId: true, translations: { select: { locale: true, title: true } } },
  });
  const byId = new Map(articles.map((a) => [a.id, a]));
  return grouped
    .flatMap((g) => {
      const article = byId.get(g.articleId);
      if (!article) return [];
      return [{ slug: article.slug, groupId: article.groupId, ...pickTitle(article.translations, locale), noteCount: g._count._all, lastNoteAt: (g._max.createdAt ?? new Date(0)).toISOString() }];
    })
    .sort((a, b) => b.lastNoteAt.localeCompare(a.lastNoteAt));
}

/**
 * The group's own readings (ADR 0019), newest first: the published ones for every member, and
 * for those who edit them (groupPermissionMap.editReadings) also drafts and unpublished ones,
 * which they open in the editor. Null for non-members (404).
 */
export async function listGroupReadings(groupId: string, viewerId: string, locale: string): Promise<GroupReading[] | null> {
  const role = await getMembershipRole(groupId, viewerId);
  if (!mayInGroup(role, "read")) return null;
  const rows = await getPrisma().article.findMany({
    where: { groupId, ...(mayInGroup(role, "editReadings") ? {} : readableArticlesOf(viewerId).where) },
    orderBy: [{ publishedAt: "desc" }, { updatedAt: "desc" }, { slug: "asc" }],
    take: 200,
    select: { id: true, slug: true, groupId: true, status: true, publishedAt: true, translations: { select: { locale: true, title: true } } },
  });
  return rows.map((row) => ({
    id: row.id,
    slug: row.slug,
    groupId: groupId,
    status: row.status,
    publishedAt: row.publishedAt.toISOString().slice(0, 10),
    ...pickTitle(row.translations, locale),
  }));
}

/** Markdown source shortened for a feed line: markup characters dropped, whitespace folded. */
function excerpt(body: string): string {
  const plain = body.replace(/[*_`>#\[\]()~]/g, "").replace(/\s+/g, " ").trim();
  const chars = Array.from(plain);
  return chars.length > 160 ? `${chars.slice(0, 159).join("")}…` : plain;
}
