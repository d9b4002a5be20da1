import "server-only";
import { hostname } from "node:os";
import type { Prisma } from "@/lib/generated/prisma/client";
import { getPrisma } from "@/lib/db/prisma";
import { getLogger } from "@/lib/log";

// A durable job queue in PostgreSQL (ADR 0033): work that must not happen inside a request
// (sending mail, building an export, digests) is a row in `job`. Every server process runs a
// worker (lib/jobs/worker.ts) that claims due rows with FOR UPDATE SKIP LOCKED, so several
// instances share the work and each job runs once; a failed job is retried with exponential
// backoff until maxAttempts, and its last error stays on the row for /{locale}/admin/jobs.
// Handlers are registered in ONE place, app/job-handlers.ts (the worker imports it).

export type JobPayload = Record<string, unknown>;
export type JobHandler = (payload: JobPayload, job: { id: string; kind: string; attempt: number }) => Promise<void>;

/** The channel enqueueJob notifies (at commit) so an idle worker wakes at once instead of at its next poll. */
export const JOB_CHANNEL = "job_events";
export const DEFAULT_MAX_ATTEMPTS = 5;
/** A claimed job is this instance's for this long; after that (the instance died) another may claim it. */
export const JOB_LEASE_MS = 10 * 60_000;
/** Backoff after the n-th failed attempt: 10 s, 20 s, 40 s … at most an hour (plus up to 20 % jitter). */
const BACKOFF_BASE_MS = 10_000;
const BACKOFF_MAX_MS = 60 * 60_000;
const MAX_ERROR_LENGTH = 2_000;
const MAX_KIND_LENGTH = 100;
const MAX_DEDUPE_KEY_LENGTH = 200;

const globalForJobs = globalThis as unknown as { taiyakuJobHandlers?: Map<string, JobHandler> };
const handlers = (globalForJobs.taiyakuJobHandlers ??= new Map<string, JobHandler>());

type Db = Prisma.TransactionClient;

/**
 * Inserts a job (in `db` when given, so it commits with the caller's transaction, or not at all).
 * dedupeKey: at most one pending job per key; a second enqueue while one is pending does nothing
 * (bursts coalesce, a period's digest is enqueued once). A running job does not block its key.
 */
export async function enqueueJob(
  kind: string,
  payload: JobPayload,
  options: { runAt?: Date; dedupeKey?: string; maxAttempts?: number; db?: Db } = {},
): Promise<void> {
  if (!kind || kind.length > MAX_KIND_LENGTH) throw new Error(`enqueueJob: kind must be 1–${MAX_KIND_LENGTH} characters`);
  if (options.dedupeKey !== undefined && (!options.dedupeKey || options.dedupeKey.length > MAX_DEDUPE_KEY_LENGTH)) {
    throw new Error(`enqueueJob: dedupeKey must be 1–${MAX_DEDUPE_KEY_LENGTH} characters`);
  }
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 100) throw new Error("enqueueJob: maxAttempts must be an integer in 1–100");
  // Throws on what JSON cannot carry (BigInt, cycles) here, in the caller, not later in the worker.
  const json = JSON.stringify(payload);
  const db = options.db ?? getPrisma();
  await db.$executeRaw`
    INSERT INTO job (id, kind, payload, run_at, max_attempts, dedupe_key)
    VALUES (gen_random_uuid(), ${kind}, ${json}::jsonb, COALESCE(${options.runAt ?? null}::timestamptz, clock_timestamp()),
            ${maxAttempts}, ${options.dedupeKey ?? null})
    ON CONFLICT (dedupe_key) WHERE status = 'pending' DO NOTHING`;
  // Delivered when the transaction commits (never for a rolled-back one).
  await db.$executeRaw`SELECT pg_notify(${JOB_CHANNEL}, ${kind})`;
}

/** Registers the function that runs jobs of `kind` (app/job-handlers.ts). A second registration replaces the first. */
export function registerJobHandler(kind: string, handler: JobHandler): void {
  handlers.set(kind, handler);
}

export function hasJobHandler(kind: string): boolean {
  return handlers.has(kind);
}

type ClaimedJob = { id: string; kind: string; payload: JobPayload; attempts: number; max_attempts: number; run_at: Date; created_at: Date };

const workerId = `${hostname()}:${process.pid}`.slice(0, 100);

/**
 * Claims due jobs (FOR UPDATE SKIP LOCKED: safe with several instances), runs them one after the
 * other, retries failures with backoff and records their errors. Tests call it directly; `now`
 * stands in for the clock (a test that skips past a backoff).
 */
export async function runDueJobs(options: { limit?: number; now?: Date } = {}): Promise<{ ran: number; failed: number }> {
  const limit = Math.max(1, Math.min(options.limit ?? 10, 100));
  const now = options.now ?? null;
  const prisma = getPrisma();
  // A job whose instance died mid-run (lease over) with no attempts left is failed for good
  // instead of being claimed forever.
  await prisma.$executeRaw`
    UPDATE job SET status = 'failed', finished_at = clock_timestamp(), updated_at = clock_timestamp(), locked_until = NULL,
           last_error = COALESCE(last_error || E'\n', '') || 'interrupted: the instance running it stopped'
     WHERE status = 'running' AND locked_until < COALESCE(${now}::timestamptz, clock_timestamp()) AND attempts >= max_attempts`;
  const claimed = await prisma.$queryRaw<ClaimedJob[]>`
    UPDATE job SET status = 'running', attempts = attempts + 1, locked_by = ${workerId}, updated_at = clock_timestamp(),
           locked_until = COALESCE(${now}::timestamptz, clock_timestamp()) + make_interval(secs => ${JOB_LEASE_MS / 1000}::float8)
     WHERE id IN (
       SELECT id FROM job
        WHERE (status = 'pending' AND run_at <= COALESCE(${now}::timestamptz, clock_timestamp()))
           OR (status = 'running' AND locked_until < COALESCE(${now}::timestamptz, clock_timestamp()))
        ORDER BY run_at
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
    RETURNING id::text AS id, kind, payload, attempts, max_attempts, run_at, created_at`;
  let failed = 0;
  // RETURNING has no order: run them in the order they were due.
  const byDue = (a: ClaimedJob, b: ClaimedJob) => a.run_at.getTime() - b.run_at.getTime() || a.created_at.getTime() - b.created_at.getTime();
  for (const job of claimed.sort(byDue)) {
    const ok = await runOne(job, now);
    if (!ok) failed += 1;
  }
  return { ran: claimed.length, failed };
}

async function runOne(job: ClaimedJob, now: Date | null): Promise<boolean> {
  const prisma = getPrisma();
  const handler = handlers.get(job.kind);
  try {
    // An instance of an older version may lack a newer kind's handler: a retry may land elsewhere.
    if (!handler) throw new Error(`no handler registered for job kind "${job.kind}"`);
    await handler(job.payload ?? {}, { id: job.id, kind: job.kind, attempt: job.attempts });
    await prisma.$executeRaw`
      UPDATE job SET status = 'done', finished_at = clock_timestamp(), updated_at = clock_timestamp(), locked_until = NULL
       WHERE id = ${job.id}::uuid`;
    return true;
  } catch (error) {
    const message = errorText(error);
    const final = job.attempts >= job.max_attempts;
    const delayMs = backoffMs(job.attempts);
    getLogger().warn({ job: { id: job.id, kind: job.kind, attempt: job.attempts, final }, err: message }, "job failed");
    // Back to pending for a retry, unless attempts are spent — or a newer job with the same
    // dedupe key is already pending (it does the same work; two pending ones may not exist).
    await prisma.$executeRaw`
      UPDATE job
         SET status = CASE
               WHEN ${final}::boolean OR (dedupe_key IS NOT NULL AND EXISTS (
                 SELECT 1 FROM job other WHERE other.dedupe_key = job.dedupe_key AND other.status = 'pending' AND other.id <> job.id))
               THEN 'failed'::"JobStatus" ELSE 'pending'::"JobStatus" END,
             finished_at = CASE WHEN ${final}::boolean THEN clock_timestamp() ELSE NULL END,
             run_at = COALESCE(${now}::timestamptz, clock_timestamp()) + make_interval(secs => ${delayMs / 1000}::float8),
             last_error = ${message}, locked_until = NULL, updated_at = clock_timestamp()
       WHERE id = ${job.id}::uuid`;
    return false;
  }
}

/** Exponential backoff with jitter, so retries of many jobs that failed together spread out. */
export function backoffMs(attempt: number, random = Math.random()): number {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (1 + 0.2 * random));
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, MAX_ERROR_LENGTH);
}

/** Finished jobs older than this are deleted by the worker; failed ones stay for the admin page. */
export async function pruneFinishedJobs(olderThanDays = 7): Promise<number> {
  return getPrisma().$executeRaw`
    DELETE FROM job WHERE status = 'done' AND finished_at < clock_timestamp() - make_interval(days => ${olderThanDays}::int)`;
}
