import { Prisma } from "@/lib/generated/prisma/client";
import { readableArticlesOf } from "./articles";
import { allOf, anyOf, NO_ROW_ID, type Rule } from "./core";
import { liveGroupsOf, liveMemberships } from "./groups";
import type { ModeratorScopes } from "./moderation";

// Who sees which note (README "Notes", "Study groups", "Moderation"; ADRs 0009, 0011). Every
// note read goes through these rules, in SQL, so a note a viewer may not see never reaches a
// count, a list, a highlight or HTML for them; callers answer 404 for anything filtered out.
// `sql` forms are conditions on the note alias `n`. Deletion is not part of these rules: callers
// that show placeholders (threads, a note by id) keep deleted notes, the others add
// `deletedAt: null` / `n.deleted_at IS NULL` themselves.

export type NoteRule = Rule<Prisma.NoteWhereInput>;

/** The reader's layer choice (features/notes parseLayers): which audiences to show. */
export type LayerChoice = { public: boolean; mine: boolean; groupIds: readonly string[] };

// ---- predicates ----------------------------------------------------------------------------------

const nothing: NoteRule = { where: { id: NO_ROW_ID }, sql: Prisma.sql`FALSE` };
const everything: NoteRule = { where: {}, sql: Prisma.sql`TRUE` };

const isPublic: NoteRule = { where: { visibility: "public" }, sql: Prisma.sql`n.visibility = 'public'` };

const statusVisible: NoteRule = { where: { status: "visible" }, sql: Prisma.sql`n.status = 'visible'` };

const authoredBy = (userId: string): NoteRule => ({ where: { authorId: userId }, sql: Prisma.sql`n.author_id = ${userId}` });

/**
 * The author's own notes outside groups (private ones and their public ones). A group note is
 * its group's, even for its author: once they leave the group (or it is deleted) it is gone for
 * them too, which is what "access ends with the membership" means.
 */
const ownOutsideGroups = (userId: string): NoteRule => ({
  where: { authorId: userId, visibility: { not: "group" } },
  sql: Prisma.sql`(n.author_id = ${userId} AND n.visibility <> 'group')`,
});

/** Group notes of the live groups the user belongs to now. */
const inLiveGroupOf = (userId: string): NoteRule => ({
  where: { visibility: "group", group: liveGroupsOf(userId).where },
  sql: Prisma.sql`(n.visibility = 'group' AND EXISTS (SELECT 1 FROM ${liveMemberships(userId).sql} lm WHERE lm.group_id = n.group_id))`,
});

/** Group notes of these groups, membership aside (layers and moderation scopes narrow with it). */
const inGroups = (groupIds: readonly string[]): NoteRule => ({
  where: { visibility: "group", groupId: { in: [...groupIds] } },
  sql: Prisma.sql`(n.visibility = 'group' AND n.group_id::text IN (${Prisma.join([...groupIds])}))`,
});

/**
 * Notes on an article the viewer may read (./articles): a note is never more visible than its
 * article, so a public note on a group reading reaches the group's members only, and notes on a
 * draft or unpublished article reach nobody through reads (they are kept, not deleted).
 */
const onReadableArticle = (viewerId: string | null): NoteRule => {
  const article = readableArticlesOf(viewerId);
  return { where: { article: article.where }, sql: Prisma.sql`EXISTS (SELECT 1 FROM article a WHERE a.id = n.article_id AND ${article.sql})` };
};

// ---- rules ---------------------------------------------------------------------------------------

/**
 * Who belongs to a note's audience: everyone for public notes, the author for private ones,
 * current members of a live group for group notes — always within the readers of its article.
 * Admins and site moderators get nothing more: a private note is its author's alone. The note's
 * own state (hidden, pending, deleted) is not looked at, which is what the live stream needs to
 * send a tombstone to exactly the readers who had the note, and threads need to keep
 * placeholders in place.
 */
export function noteAudience(viewerId: string | null): NoteRule {
  const byVisibility = viewerId ? anyOf([isPublic, ownOutsideGroups(viewerId), inLiveGroupOf(viewerId)], nothing) : isPublic;
  return allOf([byVisibility, onReadableArticle(viewerId)]);
}

/**
 * A note a moderator hid, or one waiting for approval, is seen only by its author (marked);
 * moderators see it in their queue, not in reads (ADR 0011).
 */
export function noteStatusSeenBy(viewerId: string | null): NoteRule {
  if (!viewerId) return statusVisible;
  return anyOf([statusVisible, authoredBy(viewerId)], nothing);
}

/** The visibility rule used by every read: the audience, minus hidden and pending notes of others. */
export function noteReadableBy(viewerId: string | null): NoteRule {
  return allOf([noteAudience(viewerId), noteStatusSeenBy(viewerId)]);
}

/**
 * The reader's chosen layers as an extra filter, always ANDed with noteReadableBy (never
 * instead of it): a group id here only narrows, it cannot open a group the viewer is not in.
 * Anonymous readers and "no choice" (null) see every layer; an empty choice shows nothing.
 */
export function noteLayers(viewerId: string | null, layers: LayerChoice | null | undefined): NoteRule {
  if (!layers || !viewerId) return everything;
  const parts: NoteRule[] = [];
  if (layers.public) parts.push(isPublic);
  if (layers.mine) parts.push(ownOutsideGroups(viewerId));
  if (layers.groupIds.length) parts.push(inGroups(layers.groupIds));
  return anyOf(parts, nothing);
}

/**
 * Notes a reader may flag: visible, live, shared notes they can read (a private note has no
 * one to report it to). Their own notes are refused separately, with their own answer.
 */
export function noteFlaggableBy(userId: string): NoteRule {
  return allOf([
    { where: { deletedAt: null, status: "visible", visibility: { not: "private" } }, sql: Prisma.sql`(n.deleted_at IS NULL AND n.status = 'visible' AND n.visibility <> 'private')` },
    noteReadableBy(userId),
  ]);
}

/**
 * The notes these moderator scopes may act on (README "Moderation"): site moderators and admins
 * the public ones, a group's owners and moderators that group's notes, nobody private notes.
 * Hidden, pending and deleted notes stay in scope: the queue is where moderators see them.
 */
export function moderatableNotes(scopes: ModeratorScopes): NoteRule {
  const parts: NoteRule[] = [];
  if (scopes.site) parts.push(isPublic);
  if (scopes.groupIds.length) parts.push(inGroups(scopes.groupIds));
  return anyOf(parts, nothing);
}

/** moderatableNotes for one note already read (the check before acting on it). */
export function canModerate(scopes: ModeratorScopes, note: { visibility: string; groupId: string | null }): boolean {
  if (note.visibility === "public") return scopes.site;
  if (note.visibility === "group") return note.groupId !== null && scopes.groupIds.includes(note.groupId);
  return false;
}
