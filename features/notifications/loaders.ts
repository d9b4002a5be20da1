import "server-only";
import { cache } from "react";
import { verifyUnsubscribeToken, type UnsubscribeScope } from "@/lib/auth/unsubscribe-token";
import { countUnreadNotifications, digestHour, getMailSettings, listNotifications } from "./data";

/** The notifications page: newest first, each re-checked against the visibility rule. */
export const loadNotifications = cache(async (userId: string) => {
  const [notifications, unread] = await Promise.all([listNotifications(userId), countUnreadNotifications(userId)]);
  return { notifications, unread };
});

/** The profile's "Notification mail" section (ADR 0035). */
export const loadMailSettings = cache(async (userId: string) => ({ settings: await getMailSettings(userId), digestHour: digestHour() }));

/**
 * The unsubscribe page (no session): what a link's token would stop, or null for a link that is
 * not genuine. Only the signature is checked here; the button's POST does the rest.
 */
export function loadUnsubscribeLink(token: string | undefined): { token: string; scope: UnsubscribeScope } | null {
  const verified = token ? verifyUnsubscribeToken(token) : null;
  return verified && token ? { token, scope: verified.scope } : null;
}
