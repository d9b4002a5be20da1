import "server-only";
import { getPrisma } from "@/lib/db/prisma";
import { isUuid } from "@/lib/ids";

// What /{locale}/admin/mail and /{locale}/admin/jobs show (ADR 0033): the outbox (every mail the
// site sent or logged) and the job queue's state. Admins only — the pages check (features/admin).

export type OutboxStatus = "queued" | "sent" | "logged" | "failed";

export type OutboxItem = {
  id: string;
  toAddress: string;
  toName: string | null;
  kind: string;
  subject: string;
  locale: string;
  status: OutboxStatus;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
};

export type OutboxMail = OutboxItem & { text: string; html: string; headers: Record<string, string> };

const PAGE = 50;

const itemSelect = {
  id: true,
  toAddress: true,
  toName: true,
  kind: true,
  subject: true,
  locale: true,
  status: true,
  attempts: true,
  lastError: true,
  createdAt: true,
  sentAt: true,
} as const;

/** Newest first, 50 a page; `before` is the createdAt of the last row of the previous page. */
export async function listOutbox(before?: Date | null): Promise<{ items: OutboxItem[]; nextBefore: Date | null }> {
  const rows = await getPrisma().mailOutbox.findMany({
    where: before ? { createdAt: { lt: before } } : {},
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: PAGE + 1,
    select: itemSelect,
  });
  const items = rows.slice(0, PAGE);
  return { items, nextBefore: rows.length > PAGE ? items[items.length - 1]!.createdAt : null };
}

export async function getOutboxMail(id: string): Promise<OutboxMail | null> {
  if (!isUuid(id)) return null;
  const row = await getPrisma().mailOutbox.findUnique({ where: { id }, select: { ...itemSelect, text: true, html: true, headers: true } });
  if (!row) return null;
  const headers = row.headers && typeof row.headers === "object" && !Array.isArray(row.headers) ? (row.headers as Record<string, string>) : {};
  return { ...row, headers };
}

export type JobItem = {
  id: string;
  kind: string;
  status: "pending" | "running" | "done" | "failed";
  runAt: Date;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  createdAt: Date;
  finishedAt: Date | null;
};

const jobSelect = { id: true, kind: true, status: true, runAt: true, attempts: true, maxAttempts: true, lastError: true, createdAt: true, finishedAt: true } as const;
const LIST = 100;

/** The queue at a glance: what waits, what runs, what failed, what needed more than one attempt. */
export async function getQueueState(): Promise<{
  pending: JobItem[];
  running: JobItem[];
  failed: JobItem[];
  retried: JobItem[];
  counts: { pending: number; running: number; failed: number; done: number };
}> {
  const prisma = getPrisma();
  const weekAgo = new Date(Date.now() - 7 * 24 * 3_600_000);
  const [pending, running, failed, retried, grouped] = await Promise.all([
    prisma.job.findMany({ where: { status: "pending" }, orderBy: { runAt: "asc" }, take: LIST, select: jobSelect }),
    prisma.job.findMany({ where: { status: "running" }, orderBy: { updatedAt: "desc" }, take: LIST, select: jobSelect }),
    prisma.job.findMany({ where: { status: "failed" }, orderBy: { updatedAt: "desc" }, take: LIST, select: jobSelect }),
    prisma.job.findMany({ where: { status: "done", attempts: { gt: 1 }, finishedAt: { gte: weekAgo } }, orderBy: { finishedAt: "desc" }, take: LIST, select: jobSelect }),
    prisma.job.groupBy({ by: ["status"], where: { OR: [{ status: { not: "done" } }, { finishedAt: { gte: weekAgo } }] }, _count: { _all: true } }),
  ]);
  const count = (status: string) => grouped.find((g) => g.status === status)?._count._all ?? 0;
  return { pending, running, failed, retried, counts: { pending: count("pending"), running: count("running"), failed: count("failed"), done: count("done") } };
}
