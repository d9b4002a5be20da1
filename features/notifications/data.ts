import "server-only";
import { getPrisma } from "@/lib/db/prisma";
import type { Prisma } from "@/lib/generated/prisma/client";
import { noteReadableBy } from "@/lib/permissions/notes";
import type { NotificationDto } from "./types";

// A reader's notifications (replies, mentions, answers, moderation notices). Notes write the rows
// in the same statement as the note (features/notes/mutations.ts); this feature lists and marks them.

/** A notification counts only while its note is still there and the recipient may see it. */
function visibleNotifications(userId: string): Prisma.NotificationWhereInput {
  // Moderation notices concern the recipient's own note, even once it is hidden or removed.
  return { userId, OR: [{ kind: "moderation", note: { authorId: userId } }, { note: { deletedAt: null, ...noteReadableBy(userId).where } }] };
}

export async function listNotifications(userId: string, take = 50): Promise<NotificationDto[]> {
  const rows = await getPrisma().notification.findMany({
    where: visibleNotifications(userId),
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    select: {
      id: true,
      kind: true,
      createdAt: true,
      readAt: true,
      actor: { select: { id: true, name: true } },
      note: { select: { id: true, body: true, locale: true, article: { select: { slug: true, groupId: true } } } },
      moderationLog: { select: { action: true, publicReason: true } },
    },
  });
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    createdAt: row.createdAt.toISOString(),
    read: row.readAt !== null,
    actor: row.actor,
    note: { id: row.note.id, excerpt: excerpt(row.note.body), locale: row.note.locale, articleSlug: row.note.article.slug, articleGroupId: row.note.article.groupId },
    moderation: row.moderationLog ? { action: row.moderationLog.action, publicReason: row.moderationLog.publicReason } : null,
  }));
}

export async function countUnreadNotifications(userId: string): Promise<number> {
  return getPrisma().notification.count({ where: { ...visibleNotifications(userId), readAt: null } });
}

function excerpt(body: string): string {
  const flat = body.replace(/\s+/g, " ").trim();
  const chars = Array.from(flat);
  return chars.length > 140 ? `${chars.slice(0, 140).join("")}…` : flat;
}
