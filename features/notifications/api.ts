import "server-only";
import { defineEndpoint } from "@/lib/http/endpoint";
import { ok } from "@/lib/http/responses";
import { verifyUnsubscribeToken } from "@/lib/auth/unsubscribe-token";
import { countUnreadNotifications, getMailSettings, listNotifications } from "./data";
import { markAllNotificationsRead, markNotificationRead, unsubscribeFromMail, updateMailPreferences } from "./mutations";
import { mailPreferencesSchema, unsubscribeQuerySchema } from "./schema";

// The notifications API: endpoints of the one pipeline (lib/http/endpoint.ts) behind thin route
// files. Messages stay in the "Notes" namespace the notifications page has always used.

const notificationId = { id: "uuid" } as const;

/** GET /api/notifications — newest first, only for notes the user can still see. */
export const getNotifications = defineEndpoint({ summary: "The caller's notifications, newest first, for notes they can still see, with the unread count.", messages: "Notes", auth: "required" }, async ({ viewer }) => {
  const [notifications, unread] = await Promise.all([listNotifications(viewer.id), countUnreadNotifications(viewer.id)]);
  return ok({ notifications, unread });
});

/** POST /api/notifications/{id}/read */
export const readNotification = defineEndpoint({ summary: "Mark one of the caller's notifications read.", messages: "Notes", auth: "required", params: notificationId }, async ({ viewer, params, notFound }) =>
  (await markNotificationRead(viewer.id, params.id)) ? ok({ marked: 1 }) : notFound(),
);

/** POST /api/notifications/read-all */
export const readAllNotifications = defineEndpoint({ summary: "Mark all of the caller's notifications read.", messages: "Notes", auth: "required" }, async ({ viewer }) =>
  ok({ marked: await markAllNotificationsRead(viewer.id) }),
);

// ---- notification mail (ADR 0035) ------------------------------------------------------------

/** GET /api/notifications/mail-preferences */
export const getMailPreferences = defineEndpoint(
  { summary: "The caller's notification mail settings (immediate, daily, weekly or never per kind) and whether their address is verified.", messages: "MailDigest", auth: "required" },
  async ({ viewer, notFound }) => {
    const settings = await getMailSettings(viewer.id);
    return settings ? ok(settings) : notFound();
  },
);

/** PUT /api/notifications/mail-preferences — all four kinds at once. */
export const putMailPreferences = defineEndpoint(
  { summary: "Set how often the caller is mailed about replies, mentions, answers and moderation notices.", messages: "MailDigest", auth: "required", body: mailPreferencesSchema },
  async ({ viewer, body, notFound }) => ((await updateMailPreferences(viewer.id, body)) ? ok({ preferences: body }) : notFound()),
);

/**
 * POST /api/notifications/unsubscribe?token=… — no session: the signed token in the link is the
 * credential (lib/auth/unsubscribe-token.ts), so a cross-site request cannot forge one either.
 * The unsubscribe page's button posts here, and so do mail clients (RFC 8058 one-click, the
 * List-Unsubscribe header's URL). Forged, altered or unknown: 404, nothing changed.
 */
export const postUnsubscribe = defineEndpoint(
  { summary: "Stop notification mail of one kind (or all) for the user an unsubscribe link was made for, without signing in (RFC 8058 one-click).", messages: "MailDigest", auth: "none", query: unsubscribeQuerySchema, oneClick: true },
  async ({ query, notFound }) => {
    const verified = verifyUnsubscribeToken(query.token);
    if (!verified || !(await unsubscribeFromMail(verified.userId, verified.scope))) return notFound();
    return ok({ scope: verified.scope });
  },
);
