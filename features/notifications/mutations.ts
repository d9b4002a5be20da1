import "server-only";
import { articleHref } from "@/features/articles/types";
import { routing, type AppLocale } from "@/i18n/routing";
import { createUnsubscribeToken, type UnsubscribeScope } from "@/lib/auth/unsubscribe-token";
import { getPrisma } from "@/lib/db/prisma";
import { isAppLocale, translatorFor } from "@/lib/i18n/translator";
import { enqueueJob } from "@/lib/jobs/queue";
import { queueMail, type MailMessage } from "@/lib/mail/mailer";
import { renderMail } from "@/lib/mail/render";
import { NOTIFICATION_MAIL_JOB } from "@/lib/notification-mail";
import { siteUrl } from "@/lib/site-url";
import { digestBoundary, frequencyOfKindSql, IMMEDIATE_LOOKBACK_MS, listNotificationsByIds, PERIOD_MS, usersDueDigest, usersDueImmediateMail, type DigestPeriod } from "./data";
import { MAIL_PREFERENCE_KINDS, type MailFrequency, type MailPreferences, type NotificationDto } from "./types";

/** Marks one of the user's notifications read (someone else's id: false, answered as 404). */
export async function markNotificationRead(userId: string, id: string): Promise<boolean> {
  const result = await getPrisma().notification.updateMany({ where: { id, userId }, data: { readAt: new Date() } });
  if (result.count > 0) return true;
  return false;
}

export async function markAllNotificationsRead(userId: string): Promise<number> {
  const result = await getPrisma().notification.updateMany({ where: { userId, readAt: null }, data: { readAt: new Date() } });
  return result.count;
}

// ---- notification mail (ADR 0035) ------------------------------------------------------------

const PREFERENCE_COLUMNS = { replies: "mailReplies", mentions: "mailMentions", answers: "mailAnswers", moderation: "mailModeration" } as const;
const SCOPE_COLUMNS = { reply: "mailReplies", mention: "mailMentions", answer: "mailAnswers", moderation: "mailModeration" } as const;

/** Saves the profile's four settings; false when the account is gone. */
export async function updateMailPreferences(userId: string, preferences: MailPreferences): Promise<boolean> {
  const data = Object.fromEntries(MAIL_PREFERENCE_KINDS.map((kind) => [PREFERENCE_COLUMNS[kind], preferences[kind]]));
  const result = await getPrisma().user.updateMany({ where: { id: userId }, data });
  return result.count > 0;
}

/**
 * An unsubscribe link (signed token, already verified): the kind it names — or every kind — is
 * set to "never" at once, so the next mail run finds nothing to send. False: no such account.
 */
export async function unsubscribeFromMail(userId: string, scope: UnsubscribeScope): Promise<boolean> {
  const columns = scope === "all" ? Object.values(SCOPE_COLUMNS) : [SCOPE_COLUMNS[scope]];
  const result = await getPrisma().user.updateMany({ where: { id: userId }, data: Object.fromEntries(columns.map((column) => [column, "never"])) });
  return result.count > 0;
}

/** The hourly run that starts due digests (and re-enqueues itself; app/job-handlers.ts). */
export const NOTIFICATION_DIGEST_TICK_JOB = "notification-digest-tick";
/** One user's daily or weekly digest. */
export const NOTIFICATION_DIGEST_JOB = "notification-digest";

/** The tick runs just after every full hour. */
function nextTickAt(now: Date): Date {
  return new Date((Math.floor(now.getTime() / 3600_000) + 1) * 3600_000 + 5_000);
}

/**
 * Makes sure the hourly digest run is scheduled (one pending job for the site, whatever the
 * number of instances). Called when a server starts its worker and by every mail run, so the
 * chain of ticks restarts by itself if it ever broke.
 */
export async function ensureDigestTick(now = new Date()): Promise<void> {
  await enqueueJob(NOTIFICATION_DIGEST_TICK_JOB, {}, { dedupeKey: NOTIFICATION_DIGEST_TICK_JOB, runAt: nextTickAt(now) });
}

/** Recipients one immediate run mails at most. */
const IMMEDIATE_BATCH = 200;

/**
 * The immediate mail run (NOTIFICATION_MAIL_JOB, scheduled by lib/notification-mail.ts): one mail
 * per recipient with what is due. Each recipient is their own transaction; a failure for one
 * does not hold back the others, and is rethrown at the end so the queue retries (what was
 * mailed is marked and is not sent twice).
 */
export async function runImmediateNotificationMail(now = new Date()): Promise<{ mailed: number }> {
  let mailed = 0;
  const failures: unknown[] = [];
  const due = await usersDueImmediateMail(now, IMMEDIATE_BATCH);
  // More recipients than one run takes: the next run starts right after this one.
  if (due.length === IMMEDIATE_BATCH) await enqueueJob(NOTIFICATION_MAIL_JOB, {}, { dedupeKey: NOTIFICATION_MAIL_JOB });
  for (const userId of due) {
    try {
      if (await mailNotificationsTo(userId, { mode: "immediate" }, now)) mailed += 1;
    } catch (error) {
      failures.push(error);
    }
  }
  await ensureDigestTick(now);
  if (failures.length) throw new Error(`notification mail failed for ${failures.length} recipient(s): ${String(failures[0])}`);
  return { mailed };
}

/**
 * The hourly tick: schedules its successor first (so a failure below cannot end the chain), then
 * one digest job per recipient whose daily or weekly digest is due, and catches up on immediate
 * mail an outage kept from being scheduled.
 */
export async function runDigestTick(now = new Date()): Promise<{ digests: number }> {
  await ensureDigestTick(now);
  let digests = 0;
  for (const period of ["daily", "weekly"] as const) {
    const boundary = digestBoundary(period, now);
    for (const userId of await usersDueDigest(period, boundary)) {
      await enqueueJob(NOTIFICATION_DIGEST_JOB, { userId, period, boundary: boundary.toISOString() }, { dedupeKey: `${NOTIFICATION_DIGEST_JOB}:${period}:${userId}` });
      digests += 1;
    }
  }
  if ((await usersDueImmediateMail(now, 1)).length) {
    await enqueueJob(NOTIFICATION_MAIL_JOB, {}, { dedupeKey: NOTIFICATION_MAIL_JOB });
  }
  return { digests };
}

/** The NOTIFICATION_DIGEST_JOB handler: one user's digest (payload from runDigestTick). */
export async function runDigestJob(payload: Record<string, unknown>): Promise<void> {
  const { userId, period, boundary } = payload;
  if (typeof userId !== "string" || (period !== "daily" && period !== "weekly") || typeof boundary !== "string" || Number.isNaN(Date.parse(boundary))) {
    throw new Error("notification-digest: malformed payload");
  }
  await mailNotificationsTo(userId, { mode: period, boundary: new Date(boundary) }, new Date());
}

type MailMode = { mode: "immediate" } | { mode: DigestPeriod; boundary: Date };

type Recipient = {
  id: string;
  email: string;
  name: string;
  email_verified: boolean;
  preferred_locale: string | null;
  daily_digest_at: Date | null;
  weekly_digest_at: Date | null;
};

/**
 * One recipient's mail, in one transaction: lock the account (two runs for one user wait for
 * each other), lock the due notifications (unread, not mailed yet, of a kind the user mails in
 * this mode, since the last digest), mark them mailed, queue the mail (lib/mail/mailer.ts, same
 * transaction: the mail exists exactly when the marks commit). A notification the user can no
 * longer see is marked too, and left out. True when a mail was queued.
 */
async function mailNotificationsTo(userId: string, how: MailMode, now: Date): Promise<boolean> {
  return getPrisma().$transaction(async (tx) => {
    const [user] = await tx.$queryRaw<Recipient[]>`
      SELECT id, email, name, email_verified, preferred_locale, daily_digest_at, weekly_digest_at FROM "user" WHERE id = ${userId} FOR UPDATE`;
    if (!user || !user.email_verified) return false;
    let from: Date;
    if (how.mode === "immediate") {
      from = new Date(now.getTime() - IMMEDIATE_LOOKBACK_MS);
    } else {
      const last = how.mode === "daily" ? user.daily_digest_at : user.weekly_digest_at;
      if (last && last >= how.boundary) return false; // this period's digest went already
      from = last ?? new Date(how.boundary.getTime() - PERIOD_MS[how.mode]);
      await tx.user.update({ where: { id: userId }, data: how.mode === "daily" ? { dailyDigestAt: now } : { weeklyDigestAt: now } });
    }
    const due = await tx.$queryRaw<{ id: string }[]>`
      SELECT n.id::text AS id FROM notification n JOIN "user" u ON u.id = n.user_id
      WHERE n.user_id = ${userId} AND n.mailed_at IS NULL AND n.read_at IS NULL
        AND n.created_at > ${from}::timestamptz AND n.created_at <= ${now}::timestamptz
        AND ${frequencyOfKindSql} = ${how.mode}::"MailFrequency"
      ORDER BY n.created_at
      FOR UPDATE OF n SKIP LOCKED`;
    if (!due.length) return false;
    const ids = due.map((row) => row.id);
    await tx.notification.updateMany({ where: { id: { in: ids } }, data: { mailedAt: now } });
    const items = await listNotificationsByIds(userId, ids, tx);
    if (!items.length) return false;
    const locale: AppLocale = isAppLocale(user.preferred_locale) ? user.preferred_locale : routing.defaultLocale;
    await queueMail(composeNotificationMail(user, locale, how.mode, items), tx);
    return true;
  });
}

/** At most this many notifications are spelled out in one mail; the rest are counted. */
const MAX_ITEMS = 20;

/** The mail: the recipient's language, a link per notification, and an unsubscribe link + RFC 8058 headers. */
function composeNotificationMail(user: Recipient, locale: AppLocale, mode: MailFrequency, items: NotificationDto[]): MailMessage {
  const t = translatorFor(locale, "MailDigest");
  const url = (path: string) => new URL(path, siteUrl()).href;
  const noteUrl = (item: NotificationDto) => url(`${articleHref(locale, { slug: item.note.articleSlug, groupId: item.note.articleGroupId })}#note-${item.note.id}`);
  const kinds = new Set(items.map((item) => item.kind));
  // One kind in the mail: its link stops that kind; several: it stops them all.
  const scope: UnsubscribeScope = kinds.size === 1 ? items[0]!.kind : "all";
  const token = createUnsubscribeToken(user.id, scope);
  const unsubscribePage = url(`/${locale}/unsubscribe?token=${token}`);
  const oneClick = url(`/api/notifications/unsubscribe?token=${token}`);
  const count = items.length;
  const actorName = (item: NotificationDto) => item.actor?.name ?? t("mail.someone");
  const line = (item: NotificationDto) =>
    item.kind === "moderation" && item.moderation
      ? t("mail.itemModeration", { action: item.moderation.action, reason: item.moderation.publicReason, excerpt: item.note.excerpt })
      : t("mail.item", { kind: item.kind, name: actorName(item), excerpt: item.note.excerpt });
  const single = mode === "immediate" && count === 1 ? items[0]! : null;
  const subject = single
    ? t("mail.subjectOne", { kind: single.kind, name: actorName(single) })
    : mode === "immediate"
      ? t("mail.subjectMany", { count })
      : t("mail.subjectDigest", { period: mode, count });
  const shown = items.slice(0, MAX_ITEMS);
  const paragraphs = [
    t("mail.greeting", { name: user.name }),
    mode === "immediate" ? t("mail.introImmediate", { count }) : t("mail.introDigest", { period: mode, count }),
    ...shown.map((item) => `${line(item)}\n${noteUrl(item)}`),
    ...(count > shown.length ? [t("mail.more", { count: count - shown.length })] : []),
  ];
  const { text, html } = renderMail(locale, {
    heading: subject,
    paragraphs,
    action: single ? { label: t("mail.openNote"), url: noteUrl(single) } : { label: t("mail.openNotifications"), url: url(`/${locale}/notifications`) },
    footer: [t("mail.why", { mode }), t("mail.settings", { url: url(`/${locale}/profile#profile-mail`) }), t("mail.unsubscribe", { scope, url: unsubscribePage })],
  });
  return {
    to: user.email,
    // A display name is one line already (validated at sign-up); never let one break a header.
    toName: user.name.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, " "),
    locale,
    subject,
    text,
    html,
    kind: mode === "immediate" ? "notification" : "digest",
    userId: user.id,
    headers: { "List-Unsubscribe": `<${oneClick}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
  };
}
