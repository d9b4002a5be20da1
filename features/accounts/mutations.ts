import "server-only";
import { getPrisma } from "@/lib/db/prisma";
import type { AppLocale } from "@/i18n/routing";
import type { Role } from "./data";

/**
 * Display name and preferred language; the caller has validated both (profileSchema). When the
 * name changed, also returns the articles whose cached public notes show it (their pages must be
 * expired: the name is drawn in every public note of this author).
 */
export async function updateProfile(userId: string, input: { name: string; preferredLocale: AppLocale }) {
  return getPrisma().$transaction(async (tx) => {
    const before = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { name: true } });
    const user = await tx.user.update({
      where: { id: userId },
      data: { name: input.name, preferredLocale: input.preferredLocale },
      select: { id: true, name: true, email: true, role: true, preferredLocale: true },
    });
    const renamedOn =
      before.name === user.name
        ? []
        : (
            await tx.note.findMany({
              where: { authorId: userId, visibility: "public", deletedAt: null },
              distinct: ["articleId"],
              select: { articleId: true },
            })
          ).map((n) => n.articleId);
    return { user, renamedOn };
  });
}

/** At sign-up the language is the one the form was shown in; the profile can change it later. */
export async function setPreferredLocale(userId: string, locale: AppLocale): Promise<void> {
  await getPrisma().user.update({ where: { id: userId }, data: { preferredLocale: locale } });
}

/**
 * Promote or demote someone (npm run user:role). Returns null for an unknown email so the script
 * can say so in one sentence instead of printing Prisma's P2025.
 */
export async function setUserRole(email: string, role: Role): Promise<{ email: string; name: string; role: Role; previousRole: Role } | null> {
  const prisma = getPrisma();
  const normalized = email.trim().toLowerCase();
  return prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { email: normalized }, select: { id: true, role: true } });
    if (!user) return null;
    const updated = await tx.user.update({ where: { id: user.id }, data: { role }, select: { email: true, name: true, role: true } });
    // Site roles are moderation powers: every change is in the audit log (actor: the console).
    if (user.role !== role) {
      await tx.moderationLog.create({
        data: { actorId: null, action: "role_change", targetUserId: user.id, oldStatus: user.role, newStatus: role, internalNote: "npm run user:role" },
      });
    }
    return { ...updated, previousRole: user.role };
  });
}
