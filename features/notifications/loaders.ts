import "server-only";
import { cache } from "react";
import { countUnreadNotifications, listNotifications } from "./data";

/** The notifications page: newest first, each re-checked against the visibility rule. */
export const loadNotifications = cache(async (userId: string) => {
  const [notifications, unread] = await Promise.all([listNotifications(userId), countUnreadNotifications(userId)]);
  return { notifications, unread };
});
