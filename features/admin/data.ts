import "server-only";
import { getPrisma } from "@/lib/db/prisma";
import { Prisma } from "@/lib/generated/prisma/client";
import { ACTIVE_SUSPENSION, toSuspension, type Suspension } from "@/lib/auth/viewer";
import { asSiteRole, type SiteRole } from "@/lib/permissions/core";
import { ADMIN_PAGE_SIZE, type GroupsQuery, type UsersQuery } from "./schema";

// The admin console's reads (ADR 0034). Each list is one statement: the counts and "last
// activity" are correlated subqueries on indexed columns (note.author_id, session.user_id,
// article_visit's primary key), evaluated only for the page of rows shown.

export type AdminUserRow = {
  id: string;
  name: string;
  email: string;
  role: SiteRole;
  emailVerified: boolean;
  createdAt: Date;
  /** Notes and replies they wrote that are not deleted. */
  notesCount: number;
  /** The latest of: a session used, a note written or edited, an article opened. */
  lastActiveAt: Date | null;
  suspension: Suspension | null;
};

type UserSqlRow = {
  id: string;
  name: string;
  email: string;
  role: string;
  email_verified: boolean;
  created_at: Date;
  notes_count: number;
  last_active_at: Date | null;
  suspension: { reason: string; endsAt: string | null } | null;
  total: number;
};

/** `%text%` for ILIKE with the user's own % and _ taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export async function listUsers(query: UsersQuery): Promise<{ users: AdminUserRow[]; total: number }> {
  const conditions: Prisma.Sql[] = [
    // Anonymous placeholders of deleted accounts (ADR 0036) are not accounts anyone runs.
    Prisma.sql`u.deleted_at IS NULL`,
  ];
  if (query.q) {
    const pattern = containsPattern(query.q);
    conditions.push(Prisma.sql`(u.name ILIKE ${pattern} OR u.email ILIKE ${pattern})`);
  }
  if (query.role) conditions.push(Prisma.sql`u.role::text = ${query.role}`);
  if (query.status === "suspended") conditions.push(Prisma.sql`${ACTIVE_SUSPENSION} IS NOT NULL`);
  if (query.status === "active") conditions.push(Prisma.sql`${ACTIVE_SUSPENSION} IS NULL`);
  if (query.status === "unverified") conditions.push(Prisma.sql`NOT u.email_verified`);
  const rows = await getPrisma().$queryRaw<UserSqlRow[]>`
    SELECT u.id, u.name, u.email, u.role::text AS role, u.email_verified, u.created_at,
           (SELECT count(*)::int FROM note n WHERE n.author_id = u.id AND n.deleted_at IS NULL) AS notes_count,
           GREATEST(
             (SELECT max(s.updated_at) FROM session s WHERE s.user_id = u.id),
             (SELECT max(COALESCE(n.edited_at, n.created_at)) FROM note n WHERE n.author_id = u.id),
             (SELECT max(v.last_visited_at) FROM article_visit v WHERE v.user_id = u.id)
           ) AS last_active_at,
           ${ACTIVE_SUSPENSION} AS suspension,
           count(*) OVER ()::int AS total
      FROM "user" u
     WHERE ${Prisma.join(conditions, " AND ")}
     ORDER BY u.created_at DESC, u.id
     LIMIT ${ADMIN_PAGE_SIZE} OFFSET ${(query.page - 1) * ADMIN_PAGE_SIZE}`;
  return {
    users: rows.map((row) => ({
      id: row.id,
      name: row.name,
      email: row.email,
      role: asSiteRole(row.role),
      emailVerified: row.email_verified,
      createdAt: row.created_at,
      notesCount: row.notes_count,
      lastActiveAt: row.last_active_at,
      suspension: toSuspension(row.suspension),
    })),
    // A page past the end has no rows to carry the window count: count again (rare).
    total: rows[0]?.total ?? (query.page > 1 ? await countUsers(conditions) : 0),
  };
}

async function countUsers(conditions: Prisma.Sql[]): Promise<number> {
  const [row] = await getPrisma().$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "user" u WHERE ${Prisma.join(conditions, " AND ")}`;
  return row?.n ?? 0;
}

export type AdminGroupRow = {
  id: string;
  name: string;
  createdAt: Date;
  deletedAt: Date | null;
  owners: string[];
  membersCount: number;
  /** Group notes and replies, deleted ones excluded: what comes back with a restored group. */
  notesCount: number;
};

export async function listGroups(query: GroupsQuery): Promise<{ groups: AdminGroupRow[]; total: number }> {
  const where: Prisma.GroupWhereInput = {
    ...(query.q ? { name: { contains: query.q, mode: "insensitive" } } : {}),
    ...(query.status === "live" ? { deletedAt: null } : query.status === "deleted" ? { deletedAt: { not: null } } : {}),
  };
  const prisma = getPrisma();
  const [groups, total] = await Promise.all([
    prisma.group.findMany({
      where,
      // Deleted groups first (what an admin comes here for), newest deletion first.
      orderBy: [{ deletedAt: { sort: "desc", nulls: "last" } }, { createdAt: "desc" }, { id: "asc" }],
      skip: (query.page - 1) * ADMIN_PAGE_SIZE,
      take: ADMIN_PAGE_SIZE,
      select: {
        id: true,
        name: true,
        createdAt: true,
        deletedAt: true,
        members: { where: { role: "owner" }, select: { user: { select: { name: true } } }, orderBy: { joinedAt: "asc" } },
        _count: { select: { members: true, notes: { where: { deletedAt: null } } } },
      },
    }),
    prisma.group.count({ where }),
  ]);
  return {
    groups: groups.map((group) => ({
      id: group.id,
      name: group.name,
      createdAt: group.createdAt,
      deletedAt: group.deletedAt,
      owners: group.members.map((member) => member.user.name),
      membersCount: group._count.members,
      notesCount: group._count.notes,
    })),
    total,
  };
}

/** Active (not suspended) admins other than `exceptUserId`: the site must always keep one. */
export async function countOtherActiveAdmins(db: Prisma.TransactionClient, exceptUserId: string): Promise<number> {
  const [row] = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM "user" u
     WHERE u.role = 'admin' AND u.id <> ${exceptUserId} AND u.deleted_at IS NULL AND ${ACTIVE_SUSPENSION} IS NULL`;
  return row?.n ?? 0;
}
