import "server-only";
import { randomBytes } from "node:crypto";
import { getPrisma } from "@/lib/db/prisma";
import { Prisma } from "@/lib/generated/prisma/client";
import { getGroupForMember, getMembershipRole, hashInviteToken } from "./data";
import type { GroupDetail, GroupRole } from "./types";
import { expiryMs, INVITE_TOKEN, type ChangeRoleInput, type CreateGroupInput, type CreateInviteInput, type UpdateGroupInput } from "./schema";
import { isUuid } from "@/lib/ids";
import { mayInGroup, mayRemoveMember } from "@/lib/permissions/groups";

// Writes check the actor's role here, next to the query, so no route can forget it. Anything the
// actor may not do answers not_found: a member probing owner actions learns no more than an
// outsider (ADR 0009).

export type Failure =
  | { ok: false; code: "not_found" }
  | { ok: false; code: "conflict"; current: GroupDetail }
  | { ok: false; code: "last_owner" };
type Actor = { id: string };

const notFound = { ok: false, code: "not_found" } as const;

export async function createGroup(actor: Actor, input: CreateGroupInput): Promise<{ ok: true; group: GroupDetail }> {
  const group = await getPrisma().group.create({
    data: {
      name: input.name,
      description: input.description,
      languageFocus: input.languageFocus,
      createdById: actor.id,
      members: { create: { userId: actor.id, role: "owner" } },
    },
    select: { id: true },
  });
  return { ok: true, group: (await getGroupForMember(group.id, actor.id))! };
}

async function conflict(groupId: string, actorId: string): Promise<Failure> {
  const current = await getGroupForMember(groupId, actorId);
  return current ? { ok: false, code: "conflict", current } : notFound;
}

export async function updateGroup(actor: Actor, groupId: string, input: UpdateGroupInput): Promise<{ ok: true; group: GroupDetail } | Failure> {
  if (!mayInGroup(await getMembershipRole(groupId, actor.id), "edit")) return notFound;
  const updated = await getPrisma().group.updateMany({
    where: { id: groupId, deletedAt: null, version: input.version },
    data: {
      name: input.name,
      description: input.description,
      languageFocus: input.languageFocus,
      ...(input.preModeration === undefined ? {} : { preModeration: input.preModeration }),
      version: { increment: 1 },
    },
  });
  if (updated.count === 0) return conflict(groupId, actor.id);
  return { ok: true, group: (await getGroupForMember(groupId, actor.id))! };
}

/** Soft delete: members lose the group and its notes at once; the rows stay for an admin. */
export async function deleteGroup(actor: Actor, groupId: string): Promise<{ ok: true } | Failure> {
  if (!mayInGroup(await getMembershipRole(groupId, actor.id), "delete")) return notFound;
  await getPrisma().group.updateMany({ where: { id: groupId, deletedAt: null }, data: { deletedAt: new Date(), version: { increment: 1 } } });
  return { ok: true };
}

/**
 * Owners set any other member's role (owner, moderator, member). Giving up one's own ownership
 * goes through here too, but never leaves the group without an owner.
 */
export async function changeRole(actor: Actor, groupId: string, userId: string, input: ChangeRoleInput): Promise<{ ok: true; role: GroupRole; version: number } | Failure> {
  if (!mayInGroup(await getMembershipRole(groupId, actor.id), "changeRoles")) return notFound;
  const prisma = getPrisma();
  return prisma.$transaction(async (tx) => {
    const target = await tx.groupMember.findUnique({ where: { groupId_userId: { groupId, userId } }, select: { role: true } });
    if (!target) return notFound;
    // Locks the group row: concurrent roster changes queue up behind the version check.
    const bumped = await tx.group.updateMany({ where: { id: groupId, deletedAt: null, version: input.version }, data: { version: { increment: 1 } } });
    if (bumped.count === 0) return { stale: true } as const;
    if (target.role === "owner" && input.role !== "owner") {
      const owners = await tx.groupMember.count({ where: { groupId, role: "owner" } });
      if (owners <= 1) throw new LastOwner();
    }
    await tx.groupMember.update({ where: { groupId_userId: { groupId, userId } }, data: { role: input.role } });
    if (input.role === "member") await revokeInvitesBy(tx, groupId, userId);
    // Group roles decide who moderates the group's notes: each change goes to the audit log.
    if (target.role !== input.role) {
      await tx.moderationLog.create({
        data: { actorId: actor.id, action: "role_change", targetUserId: userId, groupId, oldStatus: target.role, newStatus: input.role },
      });
    }
    return { ok: true as const, role: input.role, version: input.version + 1 };
  }).then(
    async (result): Promise<{ ok: true; role: GroupRole; version: number } | Failure> => ("stale" in result ? conflict(groupId, actor.id) : result),
    (error) => {
      if (error instanceof LastOwner) return { ok: false, code: "last_owner" } as const;
      throw error;
    },
  );
}

class LastOwner extends Error {}

type Tx = Prisma.TransactionClient;

/**
 * Links someone handed out stop working when they lose the right to hand them out (removed,
 * left, demoted to member): otherwise a removed moderator's link would keep admitting people.
 */
async function revokeInvitesBy(tx: Tx, groupId: string, userId: string) {
  await tx.groupInvite.updateMany({ where: { groupId, createdById: userId, revokedAt: null }, data: { revokedAt: new Date() } });
}

/**
 * Owners remove anyone but themselves (leaving is its own action); moderators remove plain
 * members only. Access to the group's notes ends with the row: visibility is checked per read.
 */
export async function removeMember(actor: Actor, groupId: string, userId: string): Promise<{ ok: true } | Failure> {
  const role = await getMembershipRole(groupId, actor.id);
  // Checked before the target is read (nothing to learn about it), then with its role.
  if (!mayRemoveMember({ id: actor.id, role }, { id: userId, role: "member" })) return notFound;
  const target = await getPrisma().groupMember.findUnique({ where: { groupId_userId: { groupId, userId } }, select: { role: true } });
  if (!target || !mayRemoveMember({ id: actor.id, role }, { id: userId, role: target.role })) return notFound;
  return getPrisma().$transaction(async (tx) => {
    const removed = await tx.groupMember.deleteMany({ where: { groupId, userId, role: target.role } });
    if (!removed.count) return notFound;
    await revokeInvitesBy(tx, groupId, userId);
    return { ok: true } as const;
  });
}

/** The last owner cannot leave: the group would have nobody able to manage or delete it. */
export async function leaveGroup(actor: Actor, groupId: string): Promise<{ ok: true } | Failure> {
  if (!mayInGroup(await getMembershipRole(groupId, actor.id), "leave")) return notFound;
  return getPrisma().$transaction(async (tx) => {
    // Serialises concurrent leaves of the last two owners on the group row.
    await tx.$executeRaw`SELECT 1 FROM "group" WHERE id = ${groupId}::uuid FOR UPDATE`;
    const me = await tx.groupMember.findUnique({ where: { groupId_userId: { groupId, userId: actor.id } }, select: { role: true } });
    if (!me) return notFound;
    if (me.role === "owner" && (await tx.groupMember.count({ where: { groupId, role: "owner" } })) <= 1) return { ok: false, code: "last_owner" } as const;
    await tx.groupMember.delete({ where: { groupId_userId: { groupId, userId: actor.id } } });
    await revokeInvitesBy(tx, groupId, actor.id);
    return { ok: true } as const;
  });
}

export type CreatedInvite = { id: string; token: string; expiresAt: string; maxUses: number | null };

/**
 * 32 random bytes (256 bits) in base64url. Only the sha256 is stored: a leaked database dump
 * holds no usable link, and the creator sees the token once.
 */
export async function createInvite(actor: Actor, groupId: string, input: CreateInviteInput): Promise<{ ok: true; invite: CreatedInvite } | Failure> {
  if (!mayInGroup(await getMembershipRole(groupId, actor.id), "manageInvites")) return notFound;
  const token = randomBytes(32).toString("base64url");
  const invite = await getPrisma().groupInvite.create({
    data: { groupId, tokenHash: hashInviteToken(token), createdById: actor.id, expiresAt: new Date(Date.now() + expiryMs[input.expiresIn]), maxUses: input.maxUses },
    select: { id: true, expiresAt: true, maxUses: true },
  });
  return { ok: true, invite: { id: invite.id, token, expiresAt: invite.expiresAt.toISOString(), maxUses: invite.maxUses } };
}

export async function revokeInvite(actor: Actor, groupId: string, inviteId: string): Promise<{ ok: true } | Failure> {
  if (!mayInGroup(await getMembershipRole(groupId, actor.id), "manageInvites") || !isUuid(inviteId)) return notFound;
  // groupId in the filter: an invite id of another group is simply not found.
  const revoked = await getPrisma().groupInvite.updateMany({ where: { id: inviteId, groupId, revokedAt: null }, data: { revokedAt: new Date() } });
  return revoked.count ? { ok: true } : notFound;
}

export type JoinResult =
  | { ok: true; groupId: string; alreadyMember: boolean }
  | { ok: false; code: "invalid" | "expired" | "revoked" | "used_up" };

/**
 * Joins through an invite. The use is counted by one conditional UPDATE in the same transaction
 * as the membership insert, so a link limited to 3 uses admits 3 people however fast they click.
 */
export async function joinByInvite(actor: Actor, token: string): Promise<JoinResult> {
  if (!INVITE_TOKEN.test(token)) return { ok: false, code: "invalid" };
  const prisma = getPrisma();
  const invite = await prisma.groupInvite.findUnique({
    where: { tokenHash: hashInviteToken(token) },
    select: { id: true, groupId: true, expiresAt: true, maxUses: true, uses: true, revokedAt: true, group: { select: { deletedAt: true } } },
  });
  if (!invite || invite.group.deletedAt) return { ok: false, code: "invalid" };
  if (await getMembershipRole(invite.groupId, actor.id)) return { ok: true, groupId: invite.groupId, alreadyMember: true };
  if (invite.revokedAt) return { ok: false, code: "revoked" };
  if (invite.expiresAt <= new Date()) return { ok: false, code: "expired" };
  try {
    return await prisma.$transaction(async (tx) => {
      const counted = await tx.$executeRaw`
        UPDATE group_invite SET uses = uses + 1
        WHERE id = ${invite.id}::uuid AND revoked_at IS NULL AND expires_at > clock_timestamp()
          AND (max_uses IS NULL OR uses < max_uses)`;
      if (counted === 0) throw new InviteSpent();
      await tx.groupMember.create({ data: { groupId: invite.groupId, userId: actor.id, role: "member" } });
      return { ok: true as const, groupId: invite.groupId, alreadyMember: false };
    });
  } catch (error) {
    if (error instanceof InviteSpent) return { ok: false, code: "used_up" };
    // A double click racing itself: the second insert hits the primary key and spends nothing.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return { ok: true, groupId: invite.groupId, alreadyMember: true };
    throw error;
  }
}

class InviteSpent extends Error {}
