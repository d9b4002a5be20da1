import "server-only";
import { enqueueJob } from "@/lib/jobs/queue";
import { getLogger } from "@/lib/log";
import type { Prisma } from "@/lib/generated/prisma/client";

// Immediate notification mail (ADR 0035). The features that create notifications (notes:
// replies, mentions, answers; moderation: notices) call this after writing them; the
// notifications feature's job handler then mails whatever is due. One pending job for the
// whole site (dedupeKey): a burst of notifications within the delay is one run, and a reader
// who opens the notification in the app within the delay gets no mail about it (only unread
// ones are mailed).

export const NOTIFICATION_MAIL_JOB = "notification-mail";
/** Seconds between a notification and its mail: coalesces bursts, spares readers already here. */
export const NOTIFICATION_MAIL_DELAY_SECONDS = 30;

/**
 * Schedules the immediate-mail run. With `db` it commits with the caller's transaction (and a
 * failure fails the caller). Without, it runs after the caller's write committed and never
 * throws: the write stands, and the hourly digest run mails what an outage left behind.
 */
export async function scheduleNotificationMail(db?: Prisma.TransactionClient): Promise<void> {
  const options = { dedupeKey: NOTIFICATION_MAIL_JOB, runAt: new Date(Date.now() + NOTIFICATION_MAIL_DELAY_SECONDS * 1000) };
  if (db) return enqueueJob(NOTIFICATION_MAIL_JOB, {}, { ...options, db });
  try {
    await enqueueJob(NOTIFICATION_MAIL_JOB, {}, options);
  } catch (error) {
    getLogger().warn({ err: error }, "could not schedule notification mail; the hourly digest run will send it");
  }
}
