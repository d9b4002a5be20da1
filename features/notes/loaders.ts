import "server-only";
import { cache } from "react";
import { getActiveSuspension, type Suspension } from "@/features/moderation/data";
import { countUnreadNotifications, getViewerGroups, listNotifications, type ViewerGroup } from "./data";
import { recordArticleVisit } from "./mutations";
import { parseLayers, type Layers } from "./schema";

export type ReaderDiscussion = {
  groups: ViewerGroup[];
  /** null: every layer (the default). */
  layers: Layers | null;
  /** The viewer's previous visit to this article (null on a first visit). */
  since: Date | null;
  /** A suspension in force: the composer is replaced by its reason and end. */
  suspension: Suspension | null;
};

/**
 * What the personal reader needs besides the notes: the viewer's groups (composer choices and
 * layers), their layer choice from the cookie (foreign group ids dropped) and their previous
 * visit. Recording this visit happens here, after the previous value was read, so the page's
 * "new since your last visit" markers compare against the visit before this one.
 */
export const loadReaderDiscussion = cache(async (viewerId: string, articleId: string, layersCookie: string | undefined): Promise<ReaderDiscussion> => {
  const groups = await getViewerGroups(viewerId);
  const layers = parseLayers(layersCookie, groups.map((g) => g.id));
  const [since, suspension] = await Promise.all([recordArticleVisit(viewerId, articleId), getActiveSuspension(viewerId)]);
  return { groups, layers, since, suspension };
});

/** The notifications page: newest first, each re-checked against the visibility rule. */
export const loadNotifications = cache(async (userId: string) => {
  const [notifications, unread] = await Promise.all([listNotifications(userId), countUnreadNotifications(userId)]);
  return { notifications, unread };
});
