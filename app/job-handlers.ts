import "server-only";
import { registerJobHandler } from "@/lib/jobs/queue";
import { MAIL_JOB, sendQueuedMail } from "@/lib/mail/mailer";
import {
  ensureDigestTick,
  NOTIFICATION_DIGEST_JOB,
  NOTIFICATION_DIGEST_TICK_JOB,
  runDigestJob,
  runDigestTick,
  runImmediateNotificationMail,
} from "@/features/notifications/mutations";
import { NOTIFICATION_MAIL_JOB } from "@/lib/notification-mail";
import { getLogger } from "@/lib/log";
import { buildDataExport, DATA_EXPORT_EXPIRE_JOB, DATA_EXPORT_JOB, expireDataExport } from "@/features/account-data/mutations";

// Every background job kind and the function that runs it, in one place (ADR 0033). The worker
// (lib/jobs/worker.ts, started by instrumentation.ts) imports this file before it claims jobs;
// integration tests import it too. A feature adds one line here for each kind it enqueues.

registerJobHandler(MAIL_JOB, sendQueuedMail);
// Notification mail (ADR 0035): immediate mails, the hourly digest tick, one user's digest.
registerJobHandler(NOTIFICATION_MAIL_JOB, async () => void (await runImmediateNotificationMail()));
registerJobHandler(NOTIFICATION_DIGEST_TICK_JOB, async () => void (await runDigestTick()));
registerJobHandler(NOTIFICATION_DIGEST_JOB, runDigestJob);
// Your data (ADR 0036): build a "Download my data" archive; delete its bytes when it expires.
registerJobHandler(DATA_EXPORT_JOB, (payload, job) => buildDataExport(String(payload.exportId), job.attempt));
registerJobHandler(DATA_EXPORT_EXPIRE_JOB, (payload) => expireDataExport(String(payload.exportId)));

/**
 * Recurring work that must exist once per site, scheduled when a worker starts (instrumentation.ts).
 * Each is a job that re-enqueues itself with a dedupe key, so starting many instances, or
 * restarting one, never makes two. A database that is not there yet is no reason to fail the start.
 */
export async function scheduleRecurringJobs(): Promise<void> {
  await ensureDigestTick().catch((error: unknown) => getLogger().warn({ err: error }, "could not schedule the notification digest tick"));
}
