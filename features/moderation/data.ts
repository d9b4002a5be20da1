import "server-only";
import { getPrisma } from "@/lib/db/prisma";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Principal } from "@/lib/permissions/core";
import { groupPermissionMap, groupRoleAtLeast } from "@/lib/permissions/groups";
import { moderationLogScope, moderatorScopes, type ModeratorScopes } from "@/lib/permissions/moderation";
import { moderatableNotes } from "@/lib/permissions/notes";
import type { LogQuery, QueueQuery } from "./schema";

// Who may moderate what is decided in lib/permissions (moderation.ts, and moderatableNotes in
// notes.ts): site moderators and admins act on public notes; a group's owner and moderators on
// that group's notes; nobody on private notes. This file reads the scopes and applies them.

// Re-exported so pages and routes keep importing the moderation feature's reads from one place.
export { isModerator, type ModeratorScopes } from "@/lib/permissions/moderation";

export async function getModeratorScopes(viewer: NonNullable<Principal>): Promise<ModeratorScopes> {
  const groups = await getPrisma().groupMember.findMany({
    where: groupRoleAtLeast(viewer.id, groupPermissionMap.moderateNotes).where,
    select: { groupId: true },
  });
  return moderatorScopes(viewer, groups.map((g) => g.groupId));
}

export type Suspension = { reason: string; endsAt: string | null };

/**
 * The rule "in force now" in SQL, for queries that read a suspension together with other things
 * (`s` is the user_suspension alias; same rule as getActiveSuspension).
 */
export function activeSuspensionSql(userId: string): Prisma.Sql {
  return Prisma.sql`s.user_id = ${userId} AND s.lifted_at IS NULL AND (s.ends_at IS NULL OR s.ends_at > now())`;
}

/** The suspension in force now, if any (suspended users read and sign in, but cannot write). */
export async function getActiveSuspension(userId: string): Promise<Suspension | null> {
  const now = new Date();
  const row = await getPrisma().userSuspension.findFirst({
    where: { userId, liftedAt: null, OR: [{ endsAt: null }, { endsAt: { gt: now } }] },
    orderBy: { createdAt: "desc" },
    select: { reason: true, endsAt: true },
  });
  return row ? { reason: row.reason, endsAt: row.endsAt?.toISOString() ?? null } : null;
}

export const QUEUE_PAGE_SIZE = 20;

const queueSelect = {
  id: true,
  body: true,
  status: true,
  version: true,
  visibility: true,
  groupId: true,
  deletedAt: true,
  deletedById: true,
  lockedAt: true,
  purgedAt: true,
  createdAt: true,
  locale: true,
  kind: true,
  tag: true,
  quoteExact: true,
  parentId: true,
  author: { select: { id: true, name: true } },
  group: { select: { id: true, name: true } },
  article: { select: { slug: true, groupId: true, translations: { select: { locale: true, title: true } } } },
  paragraph: { select: { key: true, position: true, texts: { select: { locale: true, text: true } } } },
  flags: {
    orderBy: { createdAt: "asc" },
    select: { id: true, reason: true, details: true, createdAt: true, resolvedAt: true, user: { select: { name: true } } },
  },
} satisfies Prisma.NoteSelect;

export type QueueItem = Prisma.NoteGetPayload<{ select: typeof queueSelect }>;

export async function listQueue(scopes: ModeratorScopes, query: QueueQuery): Promise<{ items: QueueItem[]; total: number }> {
  const status: Prisma.NoteWhereInput =
    query.status === "open"
      ? { deletedAt: null, OR: [{ status: "pending" }, { status: "visible", flags: { some: { resolvedAt: null } } }] }
      : query.status === "hidden"
        ? { OR: [{ status: "hidden" }, { deletedAt: { not: null }, deletedById: { not: null } }] }
        : { deletedAt: null, status: "visible", flags: { some: { resolvedAt: { not: null } }, none: { resolvedAt: null } } };
  const where: Prisma.NoteWhereInput = {
    AND: [
      moderatableNotes(scopes).where,
      status,
      query.reason ? { flags: { some: { reason: query.reason } } } : {},
      query.group ? { groupId: query.group } : {},
      query.article ? { article: { slug: query.article } } : {},
    ],
  };
  const prisma = getPrisma();
  const [items, total] = await Promise.all([
    prisma.note.findMany({
      where,
      // Most-flagged first, then oldest first: the longest-waiting reports are not starved.
      orderBy: [{ flags: { _count: "desc" } }, { createdAt: "asc" }],
      skip: (query.page - 1) * QUEUE_PAGE_SIZE,
      take: QUEUE_PAGE_SIZE,
      select: queueSelect,
    }),
    prisma.note.count({ where }),
  ]);
  return { items, total };
}

export async function getNoteForModeration(id: string) {
  return getPrisma().note.findUnique({
    where: { id },
    select: { id: true, articleId: true, status: true, version: true, visibility: true, groupId: true, authorId: true, deletedAt: true, deletedById: true, lockedAt: true, purgedAt: true, rootId: true },
  });
}

export const LOG_PAGE_SIZE = 50;

export async function listLog(scopes: ModeratorScopes, query: LogQuery, all = false) {
  const scope = moderationLogScope(scopes);
  const where: Prisma.ModerationLogWhereInput = {
    AND: [
      scope,
      query.action ? { action: query.action } : {},
      query.group ? { groupId: query.group } : {},
      query.actor ? { actor: { name: { contains: query.actor, mode: "insensitive" } } } : {},
    ],
  };
  const prisma = getPrisma();
  const [rows, total] = await Promise.all([
    prisma.moderationLog.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: all ? 0 : (query.page - 1) * LOG_PAGE_SIZE,
      take: all ? 10_000 : LOG_PAGE_SIZE,
      select: {
        id: true,
        action: true,
        noteId: true,
        groupId: true,
        oldStatus: true,
        newStatus: true,
        publicReason: true,
        internalNote: true,
        createdAt: true,
        actor: { select: { id: true, name: true } },
        targetUser: { select: { id: true, name: true } },
      },
    }),
    prisma.moderationLog.count({ where }),
  ]);
  return { rows, total };
}

export type LogRow = Awaited<ReturnType<typeof listLog>>["rows"][number];

export async function getModeratorGroups(scopes: ModeratorScopes): Promise<{ id: string; name: string }[]> {
  if (!scopes.groupIds.length) return [];
  return getPrisma().group.findMany({ where: { id: { in: scopes.groupIds } }, select: { id: true, name: true }, orderBy: { name: "asc" } });
}
