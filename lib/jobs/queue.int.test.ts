import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAppTestDatabase } from "@/lib/testing/test-database";

// The durable job queue (ADR 0033) against a real PostgreSQL: jobs run once, failures are
// retried with backoff and then given up with their error, dedupe keys coalesce, a job enqueued in
// a rolled-back transaction never exists, two workers never run the same job, and the worker
// wakes on NOTIFY instead of waiting for its poll.

type Queue = typeof import("@/lib/jobs/queue");
type Prisma = ReturnType<typeof import("@/lib/db/prisma").getPrisma>;

let db: Awaited<ReturnType<typeof createAppTestDatabase>>;
let queue: Queue;
let prisma: Prisma;

beforeAll(async () => {
  db = await createAppTestDatabase("jobs");
  process.env.LOG_LEVEL = "silent";
  queue = await import("@/lib/jobs/queue");
  prisma = (await import("@/lib/db/prisma")).getPrisma();
}, 120_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

const later = (ms: number) => new Date(Date.now() + ms);

async function jobsOf(kind: string) {
  return prisma.job.findMany({ where: { kind }, orderBy: { createdAt: "asc" } });
}

describe("job queue", () => {
  it("runs a due job once with its payload and marks it done", async () => {
    const seen: unknown[] = [];
    queue.registerJobHandler("test.echo", async (payload, job) => {
      seen.push({ payload, attempt: job.attempt, kind: job.kind });
    });
    await queue.enqueueJob("test.echo", { word: "こんにちは", n: 1 });
    const first = await queue.runDueJobs();
    expect(first.ran).toBeGreaterThanOrEqual(1);
    expect(seen).toEqual([{ payload: { word: "こんにちは", n: 1 }, attempt: 1, kind: "test.echo" }]);
    const [job] = await jobsOf("test.echo");
    expect(job!.status).toBe("done");
    expect(job!.finishedAt).not.toBeNull();
    // Nothing left: a second run does not run it again.
    await queue.runDueJobs();
    expect(seen).toHaveLength(1);
  });

  it("waits for runAt", async () => {
    let calls = 0;
    queue.registerJobHandler("test.delayed", async () => void (calls += 1));
    await queue.enqueueJob("test.delayed", {}, { runAt: later(60_000) });
    await queue.runDueJobs();
    expect(calls).toBe(0);
    await queue.runDueJobs({ now: later(61_000) });
    expect(calls).toBe(1);
  });

  it("retries a failing job with growing backoff, then fails it for good with its error", async () => {
    let calls = 0;
    queue.registerJobHandler("test.flaky", async () => {
      calls += 1;
      throw new Error(`boom ${calls}`);
    });
    await queue.enqueueJob("test.flaky", {}, { maxAttempts: 3 });
    await queue.runDueJobs();
    let [job] = await jobsOf("test.flaky");
    expect(job).toMatchObject({ status: "pending", attempts: 1, lastError: "Error: boom 1" });
    const firstDelay = job!.runAt.getTime() - Date.now();
    expect(firstDelay).toBeGreaterThan(5_000);
    // Not due yet: the backoff holds.
    await queue.runDueJobs();
    expect(calls).toBe(1);
    await queue.runDueJobs({ now: later(15_000) });
    [job] = await jobsOf("test.flaky");
    expect(job).toMatchObject({ status: "pending", attempts: 2, lastError: "Error: boom 2" });
    expect(job!.runAt.getTime() - Date.now()).toBeGreaterThan(firstDelay + 5_000);
    await queue.runDueJobs({ now: later(3_600_000) });
    [job] = await jobsOf("test.flaky");
    expect(job).toMatchObject({ status: "failed", attempts: 3, lastError: "Error: boom 3" });
    await queue.runDueJobs({ now: later(7_200_000) });
    expect(calls).toBe(3);
  });

  it("a job without a handler fails like any other failure (retried, not lost)", async () => {
    await queue.enqueueJob("test.nobody-handles-this", {});
    await queue.runDueJobs();
    const [job] = await jobsOf("test.nobody-handles-this");
    expect(job!.status).toBe("pending");
    expect(job!.lastError).toMatch(/no handler registered/);
  });

  it("coalesces pending jobs with the same dedupe key; a finished one does not block the key", async () => {
    let calls = 0;
    queue.registerJobHandler("test.dedupe", async () => void (calls += 1));
    await queue.enqueueJob("test.dedupe", { n: 1 }, { dedupeKey: "digest:u1:2026-11-29" });
    await queue.enqueueJob("test.dedupe", { n: 2 }, { dedupeKey: "digest:u1:2026-11-29" });
    expect(await jobsOf("test.dedupe")).toHaveLength(1);
    await queue.runDueJobs();
    expect(calls).toBe(1);
    await queue.enqueueJob("test.dedupe", { n: 3 }, { dedupeKey: "digest:u1:2026-11-29" });
    expect(await jobsOf("test.dedupe")).toHaveLength(2);
  });

  it("a job enqueued in a transaction that rolls back never exists", async () => {
    await expect(
      prisma.$transaction(async (tx) => {
        await queue.enqueueJob("test.rolled-back", {}, { db: tx });
        throw new Error("the caller's change failed");
      }),
    ).rejects.toThrow("the caller's change failed");
    expect(await jobsOf("test.rolled-back")).toHaveLength(0);
    await prisma.$transaction(async (tx) => queue.enqueueJob("test.committed", {}, { db: tx }));
    expect(await jobsOf("test.committed")).toHaveLength(1);
    await prisma.job.deleteMany({ where: { kind: "test.committed" } });
  });

  it("two workers racing run each job exactly once (FOR UPDATE SKIP LOCKED)", async () => {
    const runs = new Map<number, number>();
    queue.registerJobHandler("test.race", async (payload) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const n = payload.n as number;
      runs.set(n, (runs.get(n) ?? 0) + 1);
    });
    for (let n = 0; n < 12; n++) await queue.enqueueJob("test.race", { n });
    await Promise.all([queue.runDueJobs({ limit: 5 }), queue.runDueJobs({ limit: 5 }), queue.runDueJobs({ limit: 5 })]);
    await queue.runDueJobs({ limit: 20 });
    expect([...runs.keys()].sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
    expect([...runs.values()].every((count) => count === 1)).toBe(true);
  });

  it("reclaims a job whose instance died mid-run once its lease is over", async () => {
    let calls = 0;
    queue.registerJobHandler("test.orphan", async () => void (calls += 1));
    await queue.enqueueJob("test.orphan", {});
    // As if an instance had claimed it and been killed.
    await prisma.job.updateMany({ where: { kind: "test.orphan" }, data: { status: "running", attempts: 1, lockedUntil: later(queue.JOB_LEASE_MS) } });
    await queue.runDueJobs();
    expect(calls).toBe(0);
    await queue.runDueJobs({ now: later(queue.JOB_LEASE_MS + 1_000) });
    expect(calls).toBe(1);
    expect((await jobsOf("test.orphan"))[0]).toMatchObject({ status: "done", attempts: 2 });
  });

  it("refuses what it cannot store", async () => {
    await expect(queue.enqueueJob("", {})).rejects.toThrow(/kind/);
    await expect(queue.enqueueJob("test.x", {}, { maxAttempts: 0 })).rejects.toThrow(/maxAttempts/);
    await expect(queue.enqueueJob("test.x", { big: BigInt(1) })).rejects.toThrow();
  });

  it("the worker wakes on NOTIFY, long before its next poll", async () => {
    const { startJobWorker } = await import("@/lib/jobs/worker");
    let resolveRun!: () => void;
    const ran = new Promise<void>((resolve) => (resolveRun = resolve));
    queue.registerJobHandler("test.wake", async () => resolveRun());
    const worker = startJobWorker({ pollMs: 600_000, listenUrl: db.url });
    try {
      // Let the first drain and the LISTEN finish, then enqueue.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const started = Date.now();
      await queue.enqueueJob("test.wake", {});
      await ran;
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await worker.stop();
    }
  });
});
