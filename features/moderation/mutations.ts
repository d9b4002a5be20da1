import "server-only";
import { getPrisma } from "@/lib/db/prisma";
import { Prisma } from "@/lib/generated/prisma/client";
import { mayPurge, maySuspend } from "@/lib/permissions/moderation";
import { canModerate, noteFlaggableBy } from "@/lib/permissions/notes";
import { getNoteForModeration, type ModeratorScopes } from "./data";
import type { NoteActionInput } from "./schema";
import type { FlagReason } from "./types";
import { scheduleNotificationMail } from "@/lib/notification-mail";

type Actor = { id: string; role: string };

export type ModerationResult =
  | { ok: true; version?: number; logId?: string; /** Set when the action changed what signed-out readers see. */ publicArticleId?: string }
  | { ok: false; code: "not_found" | "conflict" | "already_flagged" | "invalid_state" | "own_note"; currentVersion?: number };

/** A flag from a reader who can see the note. Private notes and one's own cannot be flagged. */
export async function flagNote(user: Actor, noteId: string, input: { reason: FlagReason; details?: string }): Promise<ModerationResult> {
  const prisma = getPrisma();
  const note = await prisma.note.findFirst({
    where: { id: noteId, ...noteFlaggableBy(user.id).where },
    select: { id: true, authorId: true },
  });
  if (!note) return { ok: false, code: "not_found" };
  if (note.authorId === user.id) return { ok: false, code: "own_note" };
  try {
    await prisma.noteFlag.create({ data: { noteId, userId: user.id, reason: input.reason, details: input.details || null } });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return { ok: false, code: "already_flagged" };
    throw error;
  }
  return { ok: true };
}

type Transition = {
  allowed: (note: NonNullable<Awaited<ReturnType<typeof getNoteForModeration>>>) => boolean;
  data: (actorId: string) => Prisma.NoteUpdateManyMutationInput;
  resolvesFlags: boolean;
  oldStatus: (note: NonNullable<Awaited<ReturnType<typeof getNoteForModeration>>>) => string;
  newStatus: string;
};

const stateOf = (note: { status: string; deletedAt: Date | null; purgedAt: Date | null }) =>
  note.purgedAt ? "purged" : note.deletedAt ? "deleted" : note.status;

// Each action says from which states it applies and what it changes. Nothing is removed: delete
// and purge set fields, and the log keeps who did what.
const transitions: Record<NoteActionInput["action"], Transition> = {
  hide: {
    allowed: (n) => !n.deletedAt && n.status !== "hidden",
    data: () => ({ status: "hidden" }),
    resolvesFlags: true,
    oldStatus: stateOf,
    newStatus: "hidden",
  },
  restore: {
    // A note its author withdrew stays withdrawn: moderators restore only what moderators removed.
    allowed: (n) => !n.purgedAt && (n.status === "hidden" || (n.deletedAt !== null && n.deletedById !== null)),
    data: () => ({ status: "visible", deletedAt: null, deletedById: null }),
    resolvesFlags: false,
    oldStatus: stateOf,
    newStatus: "visible",
  },
  delete: {
    allowed: (n) => !n.deletedAt,
    data: (actorId) => ({ deletedAt: new Date(), deletedById: actorId }),
    resolvesFlags: true,
    oldStatus: stateOf,
    newStatus: "deleted",
  },
  purge: {
    allowed: (n) => !n.purgedAt,
    // The content goes; the row stays so replies and the log keep their shape.
    data: (actorId) => ({ body: "", quoteExact: null, quotePrefix: null, quoteSuffix: null, purgedAt: new Date(), deletedAt: new Date(), deletedById: actorId }),
    resolvesFlags: true,
    oldStatus: stateOf,
    newStatus: "purged",
  },
  approve: {
    allowed: (n) => !n.deletedAt && n.status === "pending",
    data: () => ({ status: "visible" }),
    resolvesFlags: false,
    oldStatus: stateOf,
    newStatus: "visible",
  },
  dismiss_flags: {
    allowed: (n) => !n.deletedAt,
    data: () => ({}),
    resolvesFlags: true,
    oldStatus: stateOf,
    newStatus: "flags dismissed",
  },
  lock: {
    allowed: (n) => !n.lockedAt && n.rootId === null,
    data: () => ({ lockedAt: new Date() }),
    resolvesFlags: false,
    oldStatus: () => "unlocked",
    newStatus: "locked",
  },
  unlock: {
    allowed: (n) => n.lockedAt !== null,
    data: () => ({ lockedAt: null }),
    resolvesFlags: false,
    oldStatus: () => "locked",
    newStatus: "unlocked",
  },
};

/**
 * One moderation action on one note, from the version the moderator saw. The note update, flag
 * resolution, log row and the author's notification commit together or not at all.
 */
export async function actOnNote(actor: Actor, scopes: ModeratorScopes, noteId: string, input: NoteActionInput): Promise<ModerationResult> {
  const note = await getNoteForModeration(noteId);
  if (!note || !canModerate(scopes, note)) return { ok: false, code: "not_found" };
  if (input.action === "purge" && !mayPurge(scopes)) return { ok: false, code: "not_found" };
  if (note.version !== input.version) return { ok: false, code: "conflict", currentVersion: note.version };
  const transition = transitions[input.action];
  if (!transition.allowed(note)) return { ok: false, code: "invalid_state" };

  return getPrisma().$transaction(async (tx) => {
    // Dismissing flags leaves the note as it was: no new version, so an author's open edit stays valid.
    const changesNote = input.action !== "dismiss_flags";
    const updated = await tx.note.updateMany({
      where: { id: noteId, version: input.version },
      data: changesNote ? { ...transition.data(actor.id), version: { increment: 1 } } : {},
    });
    if (updated.count === 0) {
      const current = await tx.note.findUnique({ where: { id: noteId }, select: { version: true } });
      return { ok: false, code: "conflict", currentVersion: current?.version } as const;
    }
    if (transition.resolvesFlags) {
      await tx.noteFlag.updateMany({ where: { noteId, resolvedAt: null }, data: { resolvedAt: new Date() } });
    }
    const log = await tx.moderationLog.create({
      data: {
        actorId: actor.id,
        action: input.action,
        noteId,
        targetUserId: note.authorId,
        groupId: note.visibility === "group" ? note.groupId : null,
        oldStatus: transition.oldStatus(note),
        newStatus: transition.newStatus,
        publicReason: input.publicReason,
        internalNote: input.internalNote,
      },
      select: { id: true },
    });
    if (note.authorId !== actor.id) {
      // One moderation notification per note: the latest action replaces the previous one.
      await tx.notification.upsert({
        where: { userId_kind_noteId: { userId: note.authorId, kind: "moderation", noteId } },
        create: { userId: note.authorId, kind: "moderation", noteId, actorId: null, moderationLogId: log.id },
        // mailedAt: null — the new action is news again, for the mail too (ADR 0035).
        update: { moderationLogId: log.id, readAt: null, mailedAt: null, createdAt: new Date() },
      });
      await scheduleNotificationMail(tx);
    }
    return {
      ok: true,
      version: changesNote ? input.version + 1 : input.version,
      logId: log.id,
      publicArticleId: changesNote && note.visibility === "public" ? note.articleId : undefined,
    } as const;
  });
}

/** Site moderators and admins suspend members (moderators cannot suspend staff). */
export async function suspendUser(
  actor: Actor,
  scopes: ModeratorScopes,
  userId: string,
  input: { reason: string; endsAt?: string | null },
): Promise<ModerationResult> {
  // Checked before the target is read (could they suspend a plain member?), then with its role.
  if (!maySuspend(scopes, actor.id, { id: userId, role: "member" })) return { ok: false, code: "not_found" };
  const prisma = getPrisma();
  const target = await prisma.user.findUnique({ where: { id: userId }, select: { id: true, role: true } });
  if (!target || !maySuspend(scopes, actor.id, target)) return { ok: false, code: "not_found" };
  const endsAt = input.endsAt ? new Date(input.endsAt) : null;
  if (endsAt && endsAt.getTime() <= Date.now()) return { ok: false, code: "invalid_state" };
  return prisma.$transaction(async (tx) => {
    // A new suspension replaces one in force: lift it first so there is one at a time.
    await tx.userSuspension.updateMany({ where: { userId, liftedAt: null }, data: { liftedAt: new Date() } });
    await tx.userSuspension.create({ data: { userId, reason: input.reason, createdById: actor.id, endsAt } });
    const log = await tx.moderationLog.create({
      data: {
        actorId: actor.id,
        action: "suspend",
        targetUserId: userId,
        oldStatus: "active",
        newStatus: endsAt ? `suspended until ${endsAt.toISOString()}` : "suspended",
        publicReason: input.reason,
      },
      select: { id: true },
    });
    return { ok: true, logId: log.id } as const;
  });
}

export async function liftSuspension(actor: Actor, scopes: ModeratorScopes, userId: string, reason: string): Promise<ModerationResult> {
  // Checked before the target is read (could they suspend a plain member?), then with its role.
  if (!maySuspend(scopes, actor.id, { id: userId, role: "member" })) return { ok: false, code: "not_found" };
  const prisma = getPrisma();
  const target = await prisma.user.findUnique({ where: { id: userId }, select: { id: true, role: true } });
  if (!target || !maySuspend(scopes, actor.id, target)) return { ok: false, code: "not_found" };
  return prisma.$transaction(async (tx) => {
    const lifted = await tx.userSuspension.updateMany({
      where: { userId, liftedAt: null, OR: [{ endsAt: null }, { endsAt: { gt: new Date() } }] },
      data: { liftedAt: new Date() },
    });
    if (lifted.count === 0) return { ok: false, code: "invalid_state" } as const;
    const log = await tx.moderationLog.create({
      data: { actorId: actor.id, action: "unsuspend", targetUserId: userId, oldStatus: "suspended", newStatus: "active", publicReason: reason },
      select: { id: true },
    });
    return { ok: true, logId: log.id } as const;
  });
}
