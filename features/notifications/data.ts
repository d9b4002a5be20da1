import "server-only";
import { getPrisma } from "@/lib/db/prisma";
import { Prisma } from "@/lib/generated/prisma/client";
import { noteReadableBy } from "@/lib/permissions/notes";
import type { MailSettingsDto, NotificationDto } from "./types";

// A reader's notifications (replies, mentions, answers, moderation notices). Notes write the rows
// in the same statement as the note (features/notes/mutations.ts); this feature lists and marks them.

/** A notification counts only while its note is still there and the recipient may see it. */
function visibleNotifications(userId: string): Prisma.NotificationWhereInput {
  // Moderation notices concern the recipient's own note, even once it is hidden or removed.
  return { userId, OR: [{ kind: "moderation", note: { authorId: userId } }, { note: { deletedAt: null, ...noteReadableBy(userId).where } }] };
}

const notificationSelect = {
  id: true,
  kind: true,
  createdAt: true,
  readAt: true,
  actor: { select: { id: true, name: true } },
  note: { select: { id: true, body: true, locale: true, article: { select: { slug: true, groupId: true } } } },
  moderationLog: { select: { action: true, publicReason: true } },
} satisfies Prisma.NotificationSelect;

export async function listNotifications(userId: string, take = 50): Promise<NotificationDto[]> {
  const rows = await getPrisma().notification.findMany({
    where: visibleNotifications(userId),
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    select: notificationSelect,
  });
  return rows.map(toNotificationDto);
}

/**
 * The notifications among `ids` the user may still see, oldest first (a mail tells them in the
 * order they happened). `db`: the caller's transaction (the mail job, which locked the rows).
 */
export async function listNotificationsByIds(userId: string, ids: string[], db: Prisma.TransactionClient = getPrisma()): Promise<NotificationDto[]> {
  if (!ids.length) return [];
  const rows = await db.notification.findMany({
    where: { AND: [visibleNotifications(userId), { id: { in: ids } }] },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: notificationSelect,
  });
  return rows.map(toNotificationDto);
}

function toNotificationDto(row: Prisma.NotificationGetPayload<{ select: typeof notificationSelect }>): NotificationDto {
  return {
    id: row.id,
    kind: row.kind,
    createdAt: row.createdAt.toISOString(),
    read: row.readAt !== null,
    actor: row.actor,
    note: { id: row.note.id, excerpt: excerpt(row.note.body), locale: row.note.locale, articleSlug: row.note.article.slug, articleGroupId: row.note.article.groupId },
    moderation: row.moderationLog ? { action: row.moderationLog.action, publicReason: row.moderationLog.publicReason } : null,
  };
}

export async function countUnreadNotifications(userId: string): Promise<number> {
  return getPrisma().notification.count({ where: { ...visibleNotifications(userId), readAt: null } });
}

function excerpt(body: string): string {
  const flat = body.replace(/\s+/g, " ").trim();
  const chars = Array.from(flat);
  return chars.length > 140 ? `${chars.slice(0, 140).join("")}…` : flat;
}

// ---- notification mail (ADR 0035) ------------------------------------------------------------

/** The profile's mail section. */
export async function getMailSettings(userId: string): Promise<MailSettingsDto | null> {
  const user = await getPrisma().user.findUnique({
    where: { id: userId },
    select: { emailVerified: true, mailReplies: true, mailMentions: true, mailAnswers: true, mailModeration: true },
  });
  if (!user) return null;
  return {
    emailVerified: user.emailVerified,
    preferences: { replies: user.mailReplies, mentions: user.mailMentions, answers: user.mailAnswers, moderation: user.mailModeration },
  };
}

/** SQL: the recipient's (alias u) mail frequency for a notification's (alias n) kind. */
export const frequencyOfKindSql = Prisma.sql`(CASE n.kind WHEN 'reply' THEN u.mail_replies WHEN 'mention' THEN u.mail_mentions
  WHEN 'answer' THEN u.mail_answers WHEN 'moderation' THEN u.mail_moderation END)`;

/** How far back an immediate mail looks: older unmailed notifications are stale news. */
export const IMMEDIATE_LOOKBACK_MS = 2 * 24 * 3600_000;

export type DigestPeriod = "daily" | "weekly";
export const PERIOD_MS: Record<DigestPeriod, number> = { daily: 24 * 3600_000, weekly: 7 * 24 * 3600_000 };

/** Digests go out at this hour of the app's time zone (Japan time, no daylight saving): TAIYAKU_DIGEST_HOUR, default 7. */
export function digestHour(): number {
  const value = Number(process.env.TAIYAKU_DIGEST_HOUR ?? "7");
  return Number.isInteger(value) && value >= 0 && value <= 23 ? value : 7;
}

const JAPAN_OFFSET_MS = 9 * 3600_000;
const DAY_MS = 24 * 3600_000;

/**
 * The last time a digest of `period` was due at or before `now`: today's (or yesterday's)
 * digest hour for daily, the latest Monday's for weekly, in Japan time (APP_TIME_ZONE).
 */
export function digestBoundary(period: DigestPeriod, now: Date, hour = digestHour()): Date {
  const local = new Date(now.getTime() + JAPAN_OFFSET_MS);
  let boundary = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), hour) - JAPAN_OFFSET_MS;
  if (boundary > now.getTime()) boundary -= DAY_MS;
  if (period === "weekly") {
    const weekday = new Date(boundary + JAPAN_OFFSET_MS).getUTCDay(); // 1 = Monday
    boundary -= ((weekday + 6) % 7) * DAY_MS;
  }
  return new Date(boundary);
}

/** Recipients with unread, unmailed notifications of a kind they mail immediately (verified addresses only). */
export async function usersDueImmediateMail(now: Date, limit = 500): Promise<string[]> {
  const rows = await getPrisma().$queryRaw<{ user_id: string }[]>`
    SELECT DISTINCT n.user_id FROM notification n JOIN "user" u ON u.id = n.user_id
    WHERE n.mailed_at IS NULL AND n.read_at IS NULL
      AND n.created_at > ${new Date(now.getTime() - IMMEDIATE_LOOKBACK_MS)}::timestamptz AND n.created_at <= ${now}::timestamptz
      AND u.email_verified AND ${frequencyOfKindSql} = 'immediate'
    LIMIT ${limit}`;
  return rows.map((row) => row.user_id);
}

/**
 * Recipients whose daily / weekly digest is due at `boundary` (the period's last send time):
 * their last digest was before it, and something unread and unmailed of a kind they put in
 * this digest arrived since that digest (or within the period before the boundary, for a first one).
 */
export async function usersDueDigest(period: DigestPeriod, boundary: Date, limit = 1000): Promise<string[]> {
  const last = period === "daily" ? Prisma.sql`u.daily_digest_at` : Prisma.sql`u.weekly_digest_at`;
  const firstFrom = new Date(boundary.getTime() - PERIOD_MS[period]);
  const rows = await getPrisma().$queryRaw<{ user_id: string }[]>`
    SELECT DISTINCT n.user_id FROM notification n JOIN "user" u ON u.id = n.user_id
    WHERE n.mailed_at IS NULL AND n.read_at IS NULL
      AND n.created_at > coalesce(${last}, ${firstFrom}::timestamptz)
      AND (${last} IS NULL OR ${last} < ${boundary}::timestamptz)
      AND u.email_verified AND ${frequencyOfKindSql} = ${period}::"MailFrequency"
    LIMIT ${limit}`;
  return rows.map((row) => row.user_id);
}
