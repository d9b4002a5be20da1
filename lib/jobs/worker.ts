import "server-only";
import pg from "pg";
import { directDatabaseUrl } from "@/lib/db/database-url";
import { getLogger } from "@/lib/log";
import { JOB_CHANNEL, pruneFinishedJobs, runDueJobs } from "@/lib/jobs/queue";

// The worker every server process runs (started by instrumentation.ts, ADR 0033): it drains due
// jobs, then sleeps until the next poll — or until enqueueJob's NOTIFY (committed anywhere, on
// any instance) wakes it at once. Polling covers delayed jobs (runAt, backoff) and a LISTEN
// connection that is down; FOR UPDATE SKIP LOCKED lets every instance's worker share the work.
// It stops on `taiyaku:shutdown` (graceful shutdown, ADR 0023), after the job in hand.

export type JobWorker = { stop(): Promise<void>; wake(): void };

const DEFAULT_POLL_MS = 5_000;
const BATCH = 10;
const PRUNE_EVERY_MS = 60 * 60_000;

const globalForWorker = globalThis as unknown as { taiyakuJobWorker?: JobWorker };

function pollInterval(): number {
  const value = Number(process.env.TAIYAKU_JOB_POLL_MS);
  return Number.isFinite(value) && value >= 100 ? value : DEFAULT_POLL_MS;
}

/** One worker per process; a second call returns the first. */
export function startJobWorker(options: { pollMs?: number; listenUrl?: string | null } = {}): JobWorker {
  if (globalForWorker.taiyakuJobWorker) return globalForWorker.taiyakuJobWorker;
  const log = getLogger();
  const pollMs = options.pollMs ?? pollInterval();
  const listenUrl = options.listenUrl === undefined ? directDatabaseUrl() : options.listenUrl;
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | null = null;
  let listener: pg.Client | null = null;
  let reconnectTimer: NodeJS.Timeout | null = null;
  let reconnectAttempt = 0;
  let lastPrune = 0;

  const schedule = (ms: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void tick(), ms);
    timer.unref?.();
  };

  async function drain() {
    do {
      again = false;
      for (;;) {
        const { ran } = await runDueJobs({ limit: BATCH });
        if (ran < BATCH || stopped) break;
      }
    } while (again && !stopped);
    if (Date.now() - lastPrune > PRUNE_EVERY_MS) {
      lastPrune = Date.now();
      await pruneFinishedJobs();
    }
  }

  async function tick() {
    if (stopped) return;
    if (running) {
      // A wake-up while draining: go round once more when this drain ends.
      again = true;
      return;
    }
    running = drain()
      .catch((error: unknown) => log.warn({ err: error instanceof Error ? error.message : String(error) }, "job worker: run failed"))
      .finally(() => {
        running = null;
        schedule(pollMs);
      });
  }

  async function listen() {
    if (!listenUrl || stopped) return;
    const client = new pg.Client({ connectionString: listenUrl, application_name: "taiyaku-jobs" });
    const retry = () => {
      if (listener !== client) return;
      listener = null;
      client.end().catch(() => undefined);
      if (stopped || reconnectTimer) return;
      const delay = Math.min(30_000, 500 * 2 ** reconnectAttempt++);
      reconnectTimer = setTimeout(() => {
        reconnectTimer = null;
        void listen();
      }, delay);
      reconnectTimer.unref?.();
    };
    listener = client;
    client.on("error", retry);
    client.on("end", retry);
    client.on("notification", () => void tick());
    try {
      await client.connect();
      await client.query(`LISTEN ${JOB_CHANNEL}`);
      reconnectAttempt = 0;
      // Whatever was enqueued while we were not listening.
      void tick();
    } catch {
      retry();
    }
  }

  const worker: JobWorker = {
    wake: () => void tick(),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (reconnectTimer) clearTimeout(reconnectTimer);
      const client = listener;
      listener = null;
      await client?.end().catch(() => undefined);
      await running;
      if (globalForWorker.taiyakuJobWorker === worker) delete globalForWorker.taiyakuJobWorker;
    },
  };
  globalForWorker.taiyakuJobWorker = worker;
  process.once("taiyaku:shutdown", () => void worker.stop());
  void listen();
  schedule(0);
  return worker;
}
