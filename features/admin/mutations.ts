import "server-only";
import { liftSuspension, suspendUser } from "@/features/moderation/mutations";
import { getPrisma } from "@/lib/db/prisma";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { SiteRole } from "@/lib/permissions/core";
import type { ModeratorScopes } from "@/lib/permissions/moderation";
import { countOtherActiveAdmins } from "./data";

// The admin console's writes (ADR 0034). Every change appends to the moderation audit log in the
// same transaction. The one rule that is the console's own: the site always keeps at least one
// admin who is not suspended — nobody demotes the last one (themselves included), and two
// admins cannot suspend or demote each other at the same instant into a site nobody can run.
// Role changes and suspensions of staff take one advisory lock, so such writes queue up and
// each sees the others' outcome.

export type AdminFailure = { ok: false; code: "not_found" | "last_admin" | "self_lockout" | "invalid_state" | "conflict" };

/** Who acts: a signed-in admin, or the server console (`npm run user:role`, no actor). */
export type AdminActor = { id: string; role: string } | null;

async function lockSiteAdmins(tx: Prisma.TransactionClient): Promise<void> {
  await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext('taiyaku:site-admins'))`;
}

/** Inside the lock: the actor is still an admin and not suspended (a concurrent change may have made them neither). */
async function actorStillAdmin(tx: Prisma.TransactionClient, actor: AdminActor): Promise<boolean> {
  if (!actor) return true;
  const now = new Date();
  const row = await tx.user.findFirst({
    where: { id: actor.id, role: "admin", suspensions: { none: { liftedAt: null, OR: [{ endsAt: null }, { endsAt: { gt: now } }] } } },
    select: { id: true },
  });
  return row !== null;
}

export type RoleChanged = { ok: true; id: string; email: string; name: string; role: SiteRole; previousRole: SiteRole };

/**
 * Sets a site role (member, moderator, editor, admin) by user id or email. Refuses to take the
 * admin role from the last admin who is not suspended (`last_admin`). Setting the role someone
 * already has changes and logs nothing.
 */
export async function changeUserRole(input: {
  actor: AdminActor;
  target: { id: string } | { email: string };
  role: SiteRole;
  reason?: string;
}): Promise<RoleChanged | AdminFailure> {
  const where = "id" in input.target ? { id: input.target.id } : { email: input.target.email.trim().toLowerCase() };
  return getPrisma().$transaction(async (tx) => {
    await lockSiteAdmins(tx);
    if (!(await actorStillAdmin(tx, input.actor))) return { ok: false, code: "not_found" } as const;
    const user = await tx.user.findFirst({ where: { ...where, deletedAt: null }, select: { id: true, email: true, name: true, role: true } });
    if (!user) return { ok: false, code: "not_found" } as const;
    const result = { ok: true, id: user.id, email: user.email, name: user.name, role: input.role, previousRole: user.role } as const;
    if (user.role === input.role) return result;
    if (user.role === "admin" && (await countOtherActiveAdmins(tx, user.id)) === 0) return { ok: false, code: "last_admin" } as const;
    await tx.user.update({ where: { id: user.id }, data: { role: input.role } });
    // Site roles are moderation powers: every change is in the audit log (no actor: the console).
    await tx.moderationLog.create({
      data: {
        actorId: input.actor?.id ?? null,
        action: "role_change",
        targetUserId: user.id,
        oldStatus: user.role,
        newStatus: input.role,
        internalNote: input.reason || (input.actor ? "" : "npm run user:role"),
      },
    });
    return result;
  });
}

/**
 * Suspends an account with the moderation feature's own rules and mutation (maySuspend: admins
 * suspend anyone but themselves). Taken under the admins' lock after checking that the actor is
 * still an unsuspended admin, so two admins suspending each other at once cannot both succeed.
 */
export async function suspendAccount(
  actor: NonNullable<AdminActor>,
  scopes: ModeratorScopes,
  userId: string,
  input: { reason: string; endsAt?: string | null },
): Promise<{ ok: true } | AdminFailure> {
  if (userId === actor.id) return { ok: false, code: "self_lockout" };
  return getPrisma().$transaction(
    async (tx) => {
      await lockSiteAdmins(tx);
      if (!(await actorStillAdmin(tx, actor))) return { ok: false, code: "not_found" } as const;
      // The suspension commits on its own connection while this transaction holds the lock.
      const result = await suspendUser(actor, scopes, userId, input);
      return result.ok ? ({ ok: true } as const) : ({ ok: false, code: result.code === "invalid_state" ? "invalid_state" : "not_found" } as const);
    },
    { timeout: 15_000 },
  );
}

/** Lifts a suspension in force (moderation's mutation; lifting can never lock anyone out). */
export async function liftAccountSuspension(actor: NonNullable<AdminActor>, scopes: ModeratorScopes, userId: string, reason: string): Promise<{ ok: true } | AdminFailure> {
  const result = await liftSuspension(actor, scopes, userId, reason);
  return result.ok ? { ok: true } : { ok: false, code: result.code === "invalid_state" ? "invalid_state" : "not_found" };
}

/** Marks an address verified by hand (the person proved it another way). Already verified: nothing changes or is logged. */
export async function verifyEmailByHand(actor: NonNullable<AdminActor>, userId: string, reason: string): Promise<{ ok: true; changed: boolean } | AdminFailure> {
  return getPrisma().$transaction(async (tx) => {
    const updated = await tx.user.updateMany({ where: { id: userId, deletedAt: null, emailVerified: false }, data: { emailVerified: true } });
    if (updated.count === 0) {
      const exists = await tx.user.findFirst({ where: { id: userId, deletedAt: null }, select: { id: true } });
      return exists ? ({ ok: true, changed: false } as const) : ({ ok: false, code: "not_found" } as const);
    }
    await tx.moderationLog.create({
      data: { actorId: actor.id, action: "verify_email", targetUserId: userId, oldStatus: "unverified", newStatus: "verified", internalNote: reason },
    });
    return { ok: true, changed: true } as const;
  });
}

/**
 * Restores a deleted study group. Deleting a group only set its deletedAt (features/groups): its
 * members, notes, invites and readings were never touched, and every rule that hides them reads
 * the group's deletedAt — clearing it brings all of them back as they were.
 */
export async function restoreGroup(actor: NonNullable<AdminActor>, groupId: string, reason: string): Promise<{ ok: true; version: number } | AdminFailure> {
  return getPrisma().$transaction(async (tx) => {
    const group = await tx.group.findUnique({ where: { id: groupId }, select: { deletedAt: true, version: true } });
    if (!group) return { ok: false, code: "not_found" } as const;
    if (!group.deletedAt) return { ok: false, code: "invalid_state" } as const;
    const restored = await tx.group.updateMany({ where: { id: groupId, deletedAt: { not: null }, version: group.version }, data: { deletedAt: null, version: { increment: 1 } } });
    if (restored.count === 0) return { ok: false, code: "conflict" } as const;
    await tx.moderationLog.create({
      data: { actorId: actor.id, action: "group_restore", groupId, oldStatus: "deleted", newStatus: "active", internalNote: reason },
    });
    return { ok: true, version: group.version + 1 } as const;
  });
}
