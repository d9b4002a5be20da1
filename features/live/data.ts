import "server-only";
import { getPrisma } from "@/lib/db/prisma";
import { liveMemberships } from "@/lib/permissions/groups";
import { noteAudience } from "@/lib/permissions/notes";

// Reads the live stream needs besides getVisibleNote (features/notes/data.ts). Both apply the
// notes' one visibility rule, so a stream never tells a viewer more than the API would.

export type NoteAudienceCheck = { id: string; paragraphId: string; paragraphKey: string; groupId: string | null; authorId: string };

/**
 * Whether the viewer could see this note before it went away (deleted or hidden). The rule
 * is the note's audience without its own state, so a tombstone reaches exactly the readers who
 * had the note, and no one learns that a note they never saw existed.
 */
export async function getNoteIfAudience(id: string, viewerId: string | null): Promise<NoteAudienceCheck | null> {
  const row = await getPrisma().note.findFirst({
    // The audience without the note's state (deleted, hidden), which is what just changed.
    where: { id, ...noteAudience(viewerId).where },
    select: { id: true, paragraphId: true, groupId: true, authorId: true, paragraph: { select: { key: true } } },
  });
  return row ? { id: row.id, paragraphId: row.paragraphId, paragraphKey: row.paragraph.key, groupId: row.groupId, authorId: row.authorId } : null;
}

/** True while the user is a member of a live (not deleted) group. */
export async function isLiveGroupMember(groupId: string, userId: string): Promise<boolean> {
  const row = await getPrisma().groupMember.findFirst({
    where: { groupId, ...liveMemberships(userId).where },
    select: { groupId: true },
  });
  return row !== null;
}

/**
 * Notes of the article changed after `since` (a reconnecting stream catches up with what it
 * missed): ids and the op to replay, oldest first, at most `limit`.
 */
export async function getNoteChangesSince(articleId: string, since: Date, limit = 200): Promise<{ id: string; op: "created" | "updated" | "deleted" }[]> {
  const rows = await getPrisma().note.findMany({
    where: { articleId, updatedAt: { gt: since } },
    orderBy: [{ updatedAt: "asc" }, { id: "asc" }],
    take: limit,
    select: { id: true, createdAt: true, deletedAt: true },
  });
  return rows.map((row) => ({
    id: row.id,
    op: row.deletedAt && row.deletedAt > since ? "deleted" : row.createdAt > since ? "created" : "updated",
  }));
}
