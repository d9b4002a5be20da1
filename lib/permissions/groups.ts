import { Prisma } from "@/lib/generated/prisma/client";
import type { Rule } from "./core";

// Study groups (ADR 0009): who belongs to a group, and what each group role may do. Membership is
// read on every request, never cached in a session, so removing a member (or deleting the group)
// ends their access with the next read.

export type GroupRole = "owner" | "moderator" | "member";

/**
 * The one membership rule: a user belongs to a group while their group_member row exists and the
 * group is not soft-deleted (a deleted group disappears for its members at once, with its notes;
 * its rows stay for an admin). `sql` is a derived table (group_id, user_id, role) of the live
 * memberships, to select FROM or join; Postgres flattens it into the surrounding query, so it
 * costs no extra step. Without a user: every live membership (e.g. joined on a note's group).
 */
export function liveMemberships(userId?: string): Rule<Prisma.GroupMemberWhereInput> {
  return {
    where: userId === undefined ? { group: { deletedAt: null } } : { userId, group: { deletedAt: null } },
    sql: Prisma.sql`(SELECT pm.group_id, pm.user_id, pm.role FROM group_member pm JOIN "group" pg ON pg.id = pm.group_id
      WHERE pg.deleted_at IS NULL${userId === undefined ? Prisma.empty : Prisma.sql` AND pm.user_id = ${userId}`})`,
  };
}

/**
 * The same rule seen from the group: the live groups the user belongs to. `sql` is a condition on
 * the group alias `g`.
 */
export function liveGroupsOf(userId: string): Rule<Prisma.GroupWhereInput> {
  return {
    where: { deletedAt: null, members: { some: { userId } } },
    sql: Prisma.sql`EXISTS (SELECT 1 FROM ${liveMemberships(userId).sql} lm WHERE lm.group_id = g.id)`,
  };
}

const rank: Record<GroupRole, number> = { member: 0, moderator: 1, owner: 2 };

/** Whether a role (null: not a member) is at least `min`. */
export function roleAtLeast(role: GroupRole | null | undefined, min: GroupRole): boolean {
  return role != null && rank[role] >= rank[min];
}

/** The roles at or above `min`, highest first. */
export function rolesAtLeast(min: GroupRole): GroupRole[] {
  return (["owner", "moderator", "member"] as const).filter((role) => rank[role] >= rank[min]);
}

/** The user's live memberships with at least role `min` (e.g. the groups whose notes they moderate). */
export function groupRoleAtLeast(userId: string, min: GroupRole): Rule<Prisma.GroupMemberWhereInput> {
  const roles = rolesAtLeast(min);
  const live = liveMemberships(userId);
  if (min === "member") return live;
  return {
    where: { ...live.where, role: { in: roles } },
    sql: Prisma.sql`(SELECT lm.group_id, lm.user_id, lm.role FROM ${live.sql} lm WHERE lm.role::text IN (${Prisma.join(roles)}))`,
  };
}

/**
 * What each group role may do, as the least role that may do it (Hypothesis' permission map, in
 * the shape our three ordered roles allow). Anything a role may not do answers 404 like a group
 * that does not exist, so a member probing owner actions learns nothing (ADR 0009).
 */
export const groupPermissionMap = {
  // Any current member reads the group, its roster, feed and notes, writes group notes, leaves.
  read: "member",
  writeNotes: "member",
  leave: "member",
  // Moderators let people in and out at the bottom of the ladder, and moderate the group's notes
  // (README "Moderation"); their own notes skip pre-moderation, since they would approve them.
  manageInvites: "moderator",
  removeMembers: "moderator",
  moderateNotes: "moderator",
  postWithoutApproval: "moderator",
  // Group readings (ADR 0019): owners and moderators add, edit, publish and unpublish them.
  editReadings: "moderator",
  // The group itself and its roles belong to owners.
  edit: "owner",
  delete: "owner",
  changeRoles: "owner",
} as const satisfies Record<string, GroupRole>;

export type GroupAction = keyof typeof groupPermissionMap;

/** Whether a member with this role (null: not a member of a live group) may do `action`. */
export function mayInGroup(role: GroupRole | null | undefined, action: GroupAction): boolean {
  return roleAtLeast(role, groupPermissionMap[action]);
}

/**
 * Owners remove anyone but themselves (leaving is its own action, which keeps the last-owner
 * check in one place); moderators remove plain members only, never each other or an owner.
 */
export function mayRemoveMember(actor: { id: string; role: GroupRole | null }, target: { id: string; role: GroupRole | null }): boolean {
  if (actor.id === target.id || !mayInGroup(actor.role, "removeMembers")) return false;
  if (target.role === null) return false;
  return actor.role === "owner" || target.role === "member";
}

/** A new note in a pre-moderated group waits for approval unless its author may moderate the group. */
export function needsApproval(role: GroupRole, preModeration: boolean): boolean {
  return preModeration && !mayInGroup(role, "postWithoutApproval");
}

/** needsApproval in SQL, over a role column and a pre_moderation column (both NULL: no approval). */
export function needsApprovalSql(role: Prisma.Sql, preModeration: Prisma.Sql): Prisma.Sql {
  const approvers = rolesAtLeast(groupPermissionMap.postWithoutApproval);
  return Prisma.sql`(${preModeration} AND ${role}::text NOT IN (${Prisma.join(approvers)}))`;
}
