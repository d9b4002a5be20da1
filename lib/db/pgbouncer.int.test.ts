import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startPgBouncer, type PgBouncer } from "@/lib/testing/pgbouncer";
import { createAppTestDatabase } from "@/lib/testing/test-database";
import { signUpTestUser, type TestUser } from "@/lib/testing/test-users";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { NoteEvent } from "@/lib/live/listener";

// The app's real data layer through a real PgBouncer in transaction mode (ADR 0026):
// DATABASE_URL is the pooler, DIRECT_DATABASE_URL the server. Queries, transactions, the
// rate-limit bucket and sign-up go through the pooler; LISTEN stays on a direct connection. The
// test database's default time zone is set to Asia/Tokyo, so a session that missed the app's
// `SET TimeZone` would shift every timestamp the adapter sends by nine hours.

vi.mock("next/cache", () => ({ unstable_cache: <T>(fn: T) => fn, revalidateTag: vi.fn(), revalidatePath: vi.fn(), updateTag: vi.fn() }));

const SLUG = "japan-patriot-missile-export";
// Server connections PgBouncer may open: well under the app pool (DATABASE_POOL_SIZE below), so
// concurrent transactions really share server connections.
const SERVER_POOL = 4;
const APP_POOL = 10;

let db: Awaited<ReturnType<typeof createAppTestDatabase>>;
let bouncer: PgBouncer;
let prisma: PrismaClient;
let mutations: typeof import("@/features/notes/mutations");
let notesApi: typeof import("@/features/notes/api");
let readingApi: typeof import("@/features/reading/api");
let readingData: typeof import("@/features/reading/data");
let live: typeof import("@/lib/live/listener");
let articleId: string;
let paragraphId: string;
let author: TestUser;
let reader: TestUser;
const clients: pg.Client[] = [];

beforeAll(async () => {
  db = await createAppTestDatabase("pgbouncer");
  const setup = new pg.Client({ connectionString: db.url });
  await setup.connect();
  await setup.query(`ALTER DATABASE "${db.name}" SET timezone TO 'Asia/Tokyo'`);
  await setup.end();
  bouncer = await startPgBouncer({ serverUrl: db.url, poolSize: SERVER_POOL });
  process.env.DATABASE_URL = bouncer.url;
  process.env.DIRECT_DATABASE_URL = db.url;
  process.env.DATABASE_POOL_SIZE = String(APP_POOL);

  prisma = (await import("@/lib/db/prisma")).getPrisma();
  mutations = await import("@/features/notes/mutations");
  notesApi = await import("@/features/notes/api");
  readingApi = await import("@/features/reading/api");
  readingData = await import("@/features/reading/data");
  live = await import("@/lib/live/listener");
  const article = await prisma.article.findUniqueOrThrow({
    where: { slug: SLUG },
    select: { id: true, paragraphs: { where: { position: 3 }, select: { id: true } } },
  });
  articleId = article.id;
  paragraphId = article.paragraphs[0]!.id;
  [author, reader] = await Promise.all([signUpTestUser("Pooled author", { unique: true }), signUpTestUser("Pooled reader", { unique: true })]);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  await (globalThis as { taiyakuLiveListener?: { stop(): Promise<void> } }).taiyakuLiveListener?.stop();
  await prisma?.$disconnect();
  await bouncer?.stop();
  await db?.drop();
  delete process.env.DIRECT_DATABASE_URL;
  delete process.env.DATABASE_POOL_SIZE;
});

async function connect(url: string, config: Partial<pg.ClientConfig> = {}): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, ...config });
  client.on("error", () => undefined);
  clients.push(client);
  await client.connect();
  return client;
}

/** PgBouncer's own counters for the test database (SHOW STATS), via its admin console. */
async function transactionsThroughPooler(): Promise<number> {
  const admin = await connect(bouncer.adminUrl);
  try {
    const { rows } = await admin.query<{ database: string; total_xact_count: string }>("SHOW STATS");
    return Number(rows.find((row) => row.database === db.name)?.total_xact_count ?? 0);
  } finally {
    await admin.end();
    clients.splice(clients.indexOf(admin), 1);
  }
}

function noteInput(body: string) {
  return { paragraphId, locale: "en" as const, kind: "comment" as const, visibility: "public" as const, body, tag: null, idempotencyKey: randomUUID().replaceAll("-", "") };
}

async function createNote(user: TestUser, body: string) {
  const result = await mutations.createNote({ id: user.id }, noteInput(body));
  if (!result.ok) throw new Error(`createNote failed: ${JSON.stringify(result)}`);
  return result.note;
}

function request(method: string, path: string, user: TestUser, body?: unknown): Request {
  const headers: Record<string, string> = { "x-ui-locale": "en", cookie: user.cookie };
  if (body !== undefined) headers["content-type"] = "application/json";
  return new Request(`http://localhost${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

describe("the app's data layer through PgBouncer (transaction mode)", () => {
  it("is really pooled: PgBouncer refuses the old `options` startup parameter, and a session without SET gets the database's zone", async () => {
    // Why prisma.ts sets the zone with SET: the startup parameter is refused outright …
    await expect(connect(bouncer.url, { options: "-c TimeZone=UTC" })).rejects.toThrow(/unsupported startup parameter: options/);
    // … and without it a pooled session runs in the database's zone, the hazard this test guards.
    const plain = await connect(bouncer.url);
    expect((await plain.query<{ TimeZone: string }>("SHOW TimeZone")).rows[0]!.TimeZone).toBe("Asia/Tokyo");
    const before = await transactionsThroughPooler();
    await prisma.user.count();
    expect(await transactionsThroughPooler()).toBeGreaterThan(before);
  });

  it("keeps timestamps right: what the app writes reads back as the same instant, in the app and on a direct connection", async () => {
    const started = Date.now();
    const note = await createNote(author, "Written through the pooler");
    const stored = await prisma.note.findUniqueOrThrow({ where: { id: note.id }, select: { createdAt: true } });
    expect(Math.abs(stored.createdAt.getTime() - started)).toBeLessThan(5_000);

    // A value the app chooses (not now()): sent by the adapter, read back by both paths.
    const instant = new Date("2026-03-04T05:06:07.089Z");
    await prisma.note.update({ where: { id: note.id }, data: { passageChangedAt: instant } });
    expect((await prisma.note.findUniqueOrThrow({ where: { id: note.id }, select: { passageChangedAt: true } })).passageChangedAt?.toISOString()).toBe(instant.toISOString());
    const direct = await connect(db.url);
    const { rows } = await direct.query<{ epoch: string }>("SELECT extract(epoch FROM passage_changed_at)::text AS epoch FROM note WHERE id = $1", [note.id]);
    expect(Number(rows[0]!.epoch) * 1000).toBeCloseTo(instant.getTime(), 0);

    // Every pooled server connection the app used now runs in UTC, even though each started in Tokyo.
    const zones = await Promise.all(Array.from({ length: SERVER_POOL * 2 }, () => prisma.$queryRaw<{ tz: string }[]>`SELECT current_setting('TimeZone') AS tz, pg_sleep(0.05)::text`));
    expect(new Set(zones.map((z) => z[0]!.tz))).toEqual(new Set(["UTC"]));

    // The control: the adapter without prisma.ts's SET stores the same instant nine hours off.
    const { PrismaPg } = await import("@prisma/adapter-pg");
    const { PrismaClient } = await import("@/lib/generated/prisma/client");
    const bare = new PrismaClient({ adapter: new PrismaPg({ connectionString: bouncer.url, max: 1 }) });
    try {
      await bare.note.update({ where: { id: note.id }, data: { passageChangedAt: instant } });
    } finally {
      await bare.$disconnect();
    }
    const shifted = await direct.query<{ epoch: string }>("SELECT extract(epoch FROM passage_changed_at)::text AS epoch FROM note WHERE id = $1", [note.id]);
    expect(instant.getTime() - Number(shifted.rows[0]!.epoch) * 1000).toBe(9 * 3600_000);
  });

  it("reads reader state, whose 'new since your last visit' compares timestamps the app sends", async () => {
    const before = await createNote(author, "Before the visit");
    await new Promise((resolve) => setTimeout(resolve, 20));
    const since = new Date();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await createNote(author, "After the visit");
    const state = await readingData.getReaderOverlayData(articleId, reader.id, { since });
    expect(state.unread[paragraphId]).toBe(1);
    expect(state.counts[paragraphId]).toBeGreaterThanOrEqual(2);
    const unreadSinceBefore = await readingData.getReaderOverlayData(articleId, reader.id, { since: new Date(before.createdAt) });
    expect(unreadSinceBefore.unread[paragraphId]).toBe(1);

    // The real endpoint: records the visit (a write) and answers with the reader's state.
    const response = await readingApi.openReading(request("POST", `/api/articles/${SLUG}/reading`, reader, {}), SLUG);
    const body = (await response.json()) as { state: { viewer: { id: string }; counts: Record<string, number> } };
    expect(response.status).toBe(200);
    expect(body.state.viewer.id).toBe(reader.id);
    expect(body.state.counts[paragraphId]).toBe(state.counts[paragraphId]);
  });

  it("enforces the write rate limit: a burst past the bucket is refused, and every accepted note is stored once", async () => {
    const writer = await signUpTestUser("Pooled burst", { unique: true });
    const t0 = performance.now();
    const responses = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        notesApi.postNote(
          request("POST", "/api/notes", writer, { paragraphId, locale: "en", kind: "comment", visibility: "public", body: `Burst ${i}`, idempotencyKey: randomUUID() }),
        ),
      ),
    );
    const seconds = (performance.now() - t0) / 1000;
    const statuses = responses.map((r) => r.status);
    const created = statuses.filter((s) => s === 201).length;
    expect(statuses.every((s) => s === 201 || s === 429), statuses.join(",")).toBe(true);
    expect(statuses).toContain(429);
    // The bucket's capacity plus what refilled while the burst ran: never more.
    expect(created).toBeLessThanOrEqual(notesApi.NOTE_WRITE_BUCKET.capacity + Math.ceil(seconds * notesApi.NOTE_WRITE_BUCKET.refillPerSecond));
    expect(created).toBeGreaterThanOrEqual(1);
    expect(await prisma.note.count({ where: { authorId: writer.id } })).toBe(created);
  });

  it("delivers live NOTIFYs to the listener, which LISTENs on the direct connection", async () => {
    const listener = live.getLiveListener();
    await listener.start();
    // The LISTEN backend is not one of PgBouncer's server connections.
    const direct = await connect(db.url);
    const listening = await direct.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %' AND pid <> pg_backend_pid()",
    );
    const admin = await connect(bouncer.adminUrl);
    const servers = await admin.query<{ remote_pid: string }>("SHOW SERVERS");
    const pooledPids = new Set(servers.rows.map((row) => Number(row.remote_pid)));
    expect(listening.rows.length).toBeGreaterThanOrEqual(1);
    for (const row of listening.rows) expect(pooledPids.has(row.pid)).toBe(false);

    const received = new Promise<NoteEvent>((resolve) => {
      const off = listener.subscribeArticle(articleId, (event) => {
        off();
        resolve(event);
      });
    });
    const note = await createNote(author, "Live through the pooler");
    const event = await Promise.race([received, new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no NOTIFY within 5 s")), 5_000))]);
    expect(event).toEqual({ id: note.id, articleId, op: "created" });
  });

  it("gives the launchers and db:* scripts the pooler for queries and the direct URL for migrations", async () => {
    const { openProjectDatabase } = await import("@/lib/db/project-database");
    const { migrationStatus } = await import("@/lib/db/migration-engine");
    const project = await openProjectDatabase({ mode: "project", log: () => undefined });
    try {
      expect(project).toMatchObject({ source: "env", url: bouncer.url, directUrl: db.url });
      expect(await migrationStatus(project.directUrl)).toMatchObject({ pending: [], problems: [] });
    } finally {
      await project.stop();
    }
  });

  it("runs 20 concurrent writer transactions on 4 server connections, all committed; throughput direct vs pooled", async () => {
    const { createPrismaClient } = await import("@/lib/db/prisma");
    const holder = globalThis as unknown as { taiyakuPrisma?: PrismaClient };
    const writers = await Promise.all(Array.from({ length: 20 }, (_, i) => signUpTestUser(`Writer ${i}`, { unique: true })));

    // The same mutations, first on a direct pool of the same size, then through PgBouncer.
    async function round(label: string, perWriter: number): Promise<{ label: string; notes: number; ms: number; perSecond: number }> {
      const t0 = performance.now();
      const results = await Promise.allSettled(
        writers.map(async (writer, w) => {
          for (let i = 0; i < perWriter; i++) await createNote(writer, `${label} ${w}.${i}`);
        }),
      );
      const ms = performance.now() - t0;
      const failed = results.filter((r) => r.status === "rejected");
      expect(failed, failed.map((f) => String((f as PromiseRejectedResult).reason)).join("\n")).toEqual([]);
      const notes = writers.length * perWriter;
      return { label, notes, ms: Math.round(ms), perSecond: Math.round((notes / ms) * 1000) };
    }

    const pooled = holder.taiyakuPrisma!;
    const directClient = createPrismaClient(db.url, APP_POOL);
    const switchToDirect = () => (holder.taiyakuPrisma = directClient);
    const switchToPooled = () => (holder.taiyakuPrisma = pooled);
    const direct: Awaited<ReturnType<typeof round>>[] = [];
    const viaPooler: Awaited<ReturnType<typeof round>>[] = [];
    let pooledTransactions = 0;
    try {
      // Warm both (connections, JIT), then alternate so neither side gets the warmer machine.
      switchToDirect();
      await round("warm-up direct", 1);
      switchToPooled();
      await round("warm-up pooled", 1);
      for (let i = 0; i < 2; i++) {
        switchToDirect();
        direct.push(await round("direct", 5));
        switchToPooled();
        const before = await transactionsThroughPooler();
        viaPooler.push(await round("pooled", 5));
        pooledTransactions += (await transactionsThroughPooler()) - before;
      }
    } finally {
      switchToPooled();
      await directClient.$disconnect();
    }

    // The budget held: PostgreSQL saw at most SERVER_POOL connections from PgBouncer, however
    // many the app pool opened to it.
    const admin = await connect(bouncer.adminUrl);
    const servers = (await admin.query<{ database: string }>("SHOW SERVERS")).rows.filter((row) => row.database === db.name);
    const appClients = (await admin.query<{ database: string }>("SHOW CLIENTS")).rows.filter((row) => row.database === db.name);
    expect(servers.length).toBeGreaterThan(0);
    expect(servers.length).toBeLessThanOrEqual(SERVER_POOL);
    expect(appClients.length).toBeGreaterThan(SERVER_POOL);

    // Each createNote is (at least) one transaction, and the pooled ones all went through PgBouncer.
    expect(pooledTransactions).toBeGreaterThanOrEqual(viaPooler.reduce((sum, r) => sum + r.notes, 0));
    const counts = await prisma.note.groupBy({ by: ["authorId"], where: { authorId: { in: writers.map((w) => w.id) } }, _count: true });
    expect(counts).toHaveLength(writers.length);
    for (const row of counts) expect(row._count).toBe(1 + 1 + 4 * 5);
    const rates = (rounds: typeof direct) => rounds.map((r) => `${r.notes} in ${r.ms} ms = ${r.perSecond}/s`).join(", ");
    console.log(
      `[pgbouncer] ${writers.length} concurrent writers, app pool ${APP_POOL}: direct ${rates(direct)}; ` +
        `via PgBouncer (${servers.length} server connections for ${appClients.length} client connections) ${rates(viaPooler)}`,
    );
  });
});
