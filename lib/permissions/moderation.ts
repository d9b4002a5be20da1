import type { Prisma } from "@/lib/generated/prisma/client";
import { siteRoleAtLeast, type Principal } from "./core";

// Who moderates what (README "Moderation", ADR 0011). Two ladders that never mix: the site role
// (moderators and admins act on public notes and on users), and group roles (a group's owners and
// moderators act on that group's notes; see groupPermissionMap.moderateNotes). Nobody moderates
// private notes. Which notes a scope covers is the note rule moderatableNotes (./notes).

export type ModeratorScopes = { site: boolean; admin: boolean; groupIds: string[] };

/** The scopes of a signed-in user, given the live groups they moderate (groupRoleAtLeast). */
export function moderatorScopes(principal: NonNullable<Principal>, moderatedGroupIds: string[]): ModeratorScopes {
  return {
    site: siteRoleAtLeast(principal.role, "moderator"),
    admin: siteRoleAtLeast(principal.role, "admin"),
    groupIds: moderatedGroupIds,
  };
}

/** Whether the user moderates anything at all (the queue and log exist for them). */
export function isModerator(scopes: ModeratorScopes): boolean {
  return scopes.site || scopes.groupIds.length > 0;
}

/** Purge erases content for good: admins only, whatever else a moderator may do. */
export function mayPurge(scopes: ModeratorScopes): boolean {
  return scopes.admin;
}

/**
 * Site moderators suspend members; only admins also suspend staff (a moderator cannot silence a
 * colleague or an admin). Nobody suspends themselves. Group moderators do not suspend: a group
 * is not the site.
 */
export function maySuspend(scopes: ModeratorScopes, actorId: string, target: { id: string; role: string }): boolean {
  if (!scopes.site || target.id === actorId) return false;
  return target.role === "member" || scopes.admin;
}

/** Audit log rows in scope: admins all, site moderators the site's rows, group moderators their groups'. */
export function moderationLogScope(scopes: ModeratorScopes): Prisma.ModerationLogWhereInput {
  if (scopes.admin) return {};
  return { OR: [...(scopes.site ? [{ groupId: null }] : []), { groupId: { in: scopes.groupIds } }] };
}
