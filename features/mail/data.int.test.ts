import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAppTestDatabase } from "@/lib/testing/test-database";

// What the admin pages read (ADR 0033): the outbox newest first with paging and one message in
// full, and the queue's pending / failed / retried jobs with their errors.

type Prisma = ReturnType<typeof import("@/lib/db/prisma").getPrisma>;

let db: Awaited<ReturnType<typeof createAppTestDatabase>>;
let prisma: Prisma;
let data: typeof import("./data");
let queue: typeof import("@/lib/jobs/queue");
let mailer: typeof import("@/lib/mail/mailer");

beforeAll(async () => {
  db = await createAppTestDatabase("mailadmin");
  process.env.LOG_LEVEL = "silent";
  await import("@/app/job-handlers");
  prisma = (await import("@/lib/db/prisma")).getPrisma();
  data = await import("./data");
  queue = await import("@/lib/jobs/queue");
  mailer = await import("@/lib/mail/mailer");
}, 120_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

const mail = (n: number) => ({
  to: `reader${n}@example.test`,
  toName: `Reader ${n}`,
  locale: "en" as const,
  subject: `Message ${n}`,
  text: `Hello ${n}\nhttps://taiyaku.test/en/x?n=${n}`,
  html: `<p>Hello ${n}</p>`,
  kind: "notification",
  headers: { "List-Unsubscribe": `<https://taiyaku.test/u/${n}>` },
});

describe("admin outbox and queue reads", () => {
  it("lists the outbox newest first, 50 a page, and opens one message with its headers", async () => {
    for (let n = 0; n < 52; n++) await mailer.queueMail(mail(n));
    await queue.runDueJobs({ limit: 100 });
    const first = await data.listOutbox();
    expect(first.items).toHaveLength(50);
    expect(first.items[0]!.subject).toBe("Message 51");
    expect(first.items.every((item) => item.status === "logged")).toBe(true);
    expect(first.nextBefore).not.toBeNull();
    const second = await data.listOutbox(first.nextBefore);
    expect(second.items.map((item) => item.subject)).toEqual(["Message 1", "Message 0"]);
    expect(second.nextBefore).toBeNull();

    const one = await data.getOutboxMail(first.items[0]!.id);
    expect(one).toMatchObject({ toAddress: "reader51@example.test", text: "Hello 51\nhttps://taiyaku.test/en/x?n=51", headers: { "List-Unsubscribe": "<https://taiyaku.test/u/51>" } });
    expect(await data.getOutboxMail("not-a-uuid")).toBeNull();
    expect(await data.getOutboxMail("00000000-0000-4000-8000-000000000000")).toBeNull();
  });

  it("shows pending, failed (with the error) and retried jobs, and counts them", async () => {
    let calls = 0;
    queue.registerJobHandler("test.admin-flaky", async () => {
      calls += 1;
      if (calls === 1) throw new Error("first try fails");
    });
    queue.registerJobHandler("test.admin-broken", async () => {
      throw new Error("always fails");
    });
    await queue.enqueueJob("test.admin-flaky", {});
    await queue.enqueueJob("test.admin-broken", {}, { maxAttempts: 1 });
    await queue.enqueueJob("test.admin-later", {}, { runAt: new Date(Date.now() + 3_600_000) });
    await queue.runDueJobs();
    await queue.runDueJobs({ now: new Date(Date.now() + 60_000) });
    const state = await data.getQueueState();
    expect(state.failed.map((job) => [job.kind, job.lastError])).toEqual([["test.admin-broken", "Error: always fails"]]);
    expect(state.retried.map((job) => [job.kind, job.attempts, job.lastError])).toEqual([["test.admin-flaky", 2, "Error: first try fails"]]);
    expect(state.pending.map((job) => job.kind)).toEqual(["test.admin-later"]);
    expect(state.counts).toMatchObject({ pending: 1, failed: 1, running: 0 });
    expect(state.counts.done).toBeGreaterThanOrEqual(53);
  });
});
