// Next.js calls register() once when a server process starts (npm start, start:cluster's
// instances, the e2e server, next dev): it starts that process's job worker (ADR 0033). Not
// during `next build` (no database then) and not in the edge runtime.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (!process.env.DATABASE_URL || process.env.NEXT_PHASE === "phase-production-build") return;
  // TAIYAKU_JOB_WORKER=0: an instance that serves requests only (jobs still run on the others).
  if (process.env.TAIYAKU_JOB_WORKER === "0") return;
  const { scheduleRecurringJobs } = await import("./app/job-handlers");
  const { startJobWorker } = await import("./lib/jobs/worker");
  startJobWorker();
  await scheduleRecurringJobs();
}
