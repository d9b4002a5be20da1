import "server-only";
import { cache } from "react";
import { getGroupForMember, getInviteState, listActiveInvites, listGroupActivity, listGroupArticles, listGroupMembers, listGroupReadings, listMyGroups } from "./data";
import { parseCursor } from "./schema";

// cache() lets generateMetadata and the page share one read per request.

export const loadMyGroups = cache((viewerId: string) => listMyGroups(viewerId));

export const loadGroup = cache((groupId: string, viewerId: string) => getGroupForMember(groupId, viewerId));

/** Everything the group page shows, or null when the viewer is not a member (→ 404). */
export async function loadGroupPage(groupId: string, viewerId: string, locale: string, rawCursor: string | undefined) {
  const group = await loadGroup(groupId, viewerId);
  if (!group) return null;
  // A tampered cursor shows the first page rather than an error: it is only a position.
  const parsed = parseCursor(rawCursor);
  const cursor = parsed === "invalid" ? null : parsed;
  const manager = group.myRole === "owner" || group.myRole === "moderator";
  const [members, invites, activity, reading, readings] = await Promise.all([
    listGroupMembers(groupId, viewerId),
    manager ? listActiveInvites(groupId, viewerId) : Promise.resolve(null),
    listGroupActivity(groupId, viewerId, locale, cursor),
    listGroupArticles(groupId, viewerId, locale),
    listGroupReadings(groupId, viewerId, locale),
  ]);
  return { group, members: members ?? [], invites, activity: activity ?? { items: [], nextCursor: null }, reading: reading ?? [], readings: readings ?? [], paged: cursor !== null };
}

export const loadInvite = cache((token: string, viewerId: string | null) => getInviteState(token, viewerId));
