import "server-only";
import { defineEndpoint } from "@/lib/http/endpoint";
import { ok } from "@/lib/http/responses";
import { countUnreadNotifications, listNotifications } from "./data";
import { markAllNotificationsRead, markNotificationRead } from "./mutations";

// The notifications API: endpoints of the one pipeline (lib/http/endpoint.ts) behind thin route
// files. Messages stay in the "Notes" namespace the notifications page has always used.

const notificationId = { id: "uuid" } as const;

/** GET /api/notifications — newest first, only for notes the user can still see. */
export const getNotifications = defineEndpoint({ messages: "Notes", auth: "required" }, async ({ viewer }) => {
  const [notifications, unread] = await Promise.all([listNotifications(viewer.id), countUnreadNotifications(viewer.id)]);
  return ok({ notifications, unread });
});

/** POST /api/notifications/{id}/read */
export const readNotification = defineEndpoint({ messages: "Notes", auth: "required", params: notificationId }, async ({ viewer, params, notFound }) =>
  (await markNotificationRead(viewer.id, params.id)) ? ok({ marked: 1 }) : notFound(),
);

/** POST /api/notifications/read-all */
export const readAllNotifications = defineEndpoint({ messages: "Notes", auth: "required" }, async ({ viewer }) =>
  ok({ marked: await markAllNotificationsRead(viewer.id) }),
);
