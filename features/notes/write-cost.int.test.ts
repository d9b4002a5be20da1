import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { deployMigrations } from "@/lib/db/migration-engine";
import { createTestDatabase } from "@/lib/testing/test-database";
import { signUpTestUser, type TestUser } from "@/lib/testing/test-users";
import { seedContent } from "@/prisma/seed";
import { describeRange } from "@/lib/text/anchoring";
import { startQueryCounterOnAnyPort, type QueryCounter } from "@/scripts/lib/pg-query-counter";

// What a note creation costs the database on the handler side (createNote / createReply, after
// the request pipeline has found the viewer and taken a rate-limit token): SQL statements,
// BEGIN/COMMIT included, counted by the bench's pass-through in front of PostgreSQL. The
// pipeline adds its own (viewer, token); the whole POST must stay within the bench's budget.

vi.mock("next/cache", () => ({ unstable_cache: <T>(fn: T) => fn, revalidateTag: vi.fn() }));

const SLUG = "japan-patriot-missile-export";
const HANDLER_BUDGET = 4;

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let counter: QueryCounter;
let prisma: ReturnType<typeof import("@/lib/db/prisma").getPrisma>;
let mutations: typeof import("./mutations");
const paragraphs = new Map<string, { id: string; en: string }>();

beforeAll(async () => {
  db = await createTestDatabase("write_cost");
  await deployMigrations(db.url);
  await seedContent(db.url);
  counter = await startQueryCounterOnAnyPort(db.url);
  // Every module below reaches the database through the counter.
  process.env.DATABASE_URL = counter.url;
  process.env.BETTER_AUTH_SECRET = "test-secret-for-write-cost-integration-0123456789";
  prisma = (await import("@/lib/db/prisma")).getPrisma();
  mutations = await import("./mutations");
  const article = await prisma.article.findUniqueOrThrow({
    where: { slug: SLUG },
    select: { paragraphs: { where: { position: { gt: 0 } }, select: { id: true, key: true, texts: { where: { locale: "en" } } } } },
  });
  for (const p of article.paragraphs) paragraphs.set(p.key, { id: p.id, en: p.texts[0]!.text });
});

afterAll(async () => {
  await prisma?.$disconnect();
  await counter?.close();
  await db?.drop();
});

/** The statements `run` sends (nothing else uses the database meanwhile), and its result. */
async function counted<T>(run: () => Promise<T>): Promise<{ statements: number; result: T }> {
  // The pool's first connection would add its own setup: open it before counting.
  await prisma.$queryRaw`SELECT 1`;
  const before = counter.count();
  const result = await run();
  return { statements: counter.count() - before, result };
}

function paragraph(key: string) {
  const p = paragraphs.get(key);
  if (!p) throw new Error(`no paragraph ${key}`);
  return p;
}

const comment = (key: string, extra: Record<string, unknown> = {}) => ({
  paragraphId: paragraph(key).id,
  locale: "en" as const,
  kind: "comment" as const,
  visibility: "public" as const,
  body: "A comment",
  tag: null,
  idempotencyKey: randomUUID(),
  ...extra,
});

async function makeGroup(members: TestUser[], preModeration = false): Promise<string> {
  const group = await prisma.group.create({ data: { name: `Group ${randomUUID().slice(0, 6)}`, createdById: members[0]!.id, preModeration } });
  await prisma.groupMember.createMany({
    data: members.map((m, i) => ({ groupId: group.id, userId: m.id, role: i === 0 ? ("owner" as const) : ("member" as const) })),
  });
  return group.id;
}

function created(result: Awaited<ReturnType<typeof mutations.createNote>>) {
  if (!result.ok) throw new Error(`expected a note, got ${result.code}`);
  return result;
}

describe("statements per note creation (handler side)", () => {
  it("a comment, an annotation and their idempotent replays", async () => {
    const alice = await signUpTestUser("alice", { unique: true });
    const input = comment("p-3");
    const first = await counted(() => mutations.createNote(alice, input));
    expect(created(first.result).created).toBe(true);
    expect(first.result).toMatchObject({ note: { body: "A comment", author: { id: alice.id, name: alice.name }, replyCount: 0, version: 1 } });
    console.log(`comment: ${first.statements} statements`);
    expect(first.statements).toBeLessThanOrEqual(HANDLER_BUDGET);

    const replay = await counted(() => mutations.createNote(alice, input));
    expect(created(replay.result)).toMatchObject({ created: false, note: { id: created(first.result).note.id } });
    console.log(`comment replay: ${replay.statements} statements`);
    expect(replay.statements).toBeLessThanOrEqual(HANDLER_BUDGET);

    const text = paragraph("p-4").en;
    const exact = Array.from(text).slice(40, 52).join("");
    const annotation = { ...comment("p-4"), kind: "annotation" as const, body: "", range: { start: 40, end: 52, exact } };
    const note = await counted(() => mutations.createNote(alice, annotation));
    expect(created(note.result)).toMatchObject({ created: true, note: { quote: { exact, start: 40, end: 52 } } });
    console.log(`annotation: ${note.statements} statements`);
    expect(note.statements).toBeLessThanOrEqual(HANDLER_BUDGET);
  });

  it("concurrent submissions with one key: one note, at most two statements each", async () => {
    const alice = await signUpTestUser("alice", { unique: true });
    const input = comment("p-7");
    // Open several pool connections first, so the three statements really run at once (one
    // waits on the unique index for another's insert, then reads the winner's note again).
    await Promise.all([1, 2, 3, 4].map(() => prisma.$queryRaw`SELECT pg_sleep(0.05)::text`));
    const race = await counted(() => Promise.all([1, 2, 3].map(() => mutations.createNote(alice, input))));
    const results = race.result.map(created);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.note.id)).size).toBe(1);
    console.log(`3 concurrent submissions of one key: ${race.statements} statements`);
    expect(race.statements).toBeLessThanOrEqual(6);
  });

  it("computes the quote's context in SQL exactly as describeRange does (text edges included)", async () => {
    const alice = await signUpTestUser("alice", { unique: true });
    const text = paragraph("p-8").en;
    const length = Array.from(text).length;
    for (const [start, end] of [[0, 5], [10, 40], [length - 6, length]] as const) {
      const exact = Array.from(text).slice(start, end).join("");
      const result = created(await mutations.createNote(alice, { ...comment("p-8"), kind: "annotation", body: "", range: { start, end, exact } }));
      const expected = describeRange(text, start, end);
      expect(result.note.quote).toEqual({ exact: expected.exact, prefix: expected.prefix, suffix: expected.suffix, start: expected.start, end: expected.end });
    }
    const mismatch = await mutations.createNote(alice, { ...comment("p-8"), kind: "annotation", body: "", range: { start: 1, end: 6, exact: "zzzzz" } });
    expect(mismatch).toEqual({ ok: false, code: "validation", field: "range", message: "rangeMismatch" });
  });

  it("replies, with the parent author's notification, in public and group threads with mentions", async () => {
    const [alice, bob, carol] = await Promise.all([signUpTestUser("alice", { unique: true }), signUpTestUser("bob", { unique: true }), signUpTestUser("carol", { unique: true })]);
    const root = created(await mutations.createNote(alice, comment("p-5"))).note;
    const input = { parentId: root.id, locale: "en" as const, body: "A reply", idempotencyKey: randomUUID() };
    const reply = await counted(() => mutations.createReply(bob, input));
    expect(created(reply.result)).toMatchObject({ created: true, note: { parentId: root.id, rootId: root.id, depth: 1 } });
    console.log(`reply (public, notifies the parent's author): ${reply.statements} statements`);
    expect(reply.statements).toBeLessThanOrEqual(HANDLER_BUDGET);
    expect(await prisma.notification.count({ where: { userId: alice.id, kind: "reply", noteId: created(reply.result).note.id } })).toBe(1);

    const replay = await counted(() => mutations.createReply(bob, input));
    expect(created(replay.result)).toMatchObject({ created: false, note: { id: created(reply.result).note.id } });
    console.log(`reply replay: ${replay.statements} statements`);
    expect(replay.statements).toBeLessThanOrEqual(HANDLER_BUDGET);

    const groupId = await makeGroup([alice, bob, carol]);
    const groupNote = await counted(() => mutations.createNote(alice, comment("p-6", { visibility: "group", groupId, mentions: [bob.id] })));
    expect(created(groupNote.result)).toMatchObject({ created: true, note: { visibility: "group", group: { id: groupId } } });
    console.log(`group comment with a mention: ${groupNote.statements} statements`);
    expect(groupNote.statements).toBeLessThanOrEqual(HANDLER_BUDGET);
    expect(await prisma.notification.count({ where: { userId: bob.id, kind: "mention" } })).toBe(1);

    const groupReply = await counted(() =>
      mutations.createReply(carol, { parentId: created(groupNote.result).note.id, locale: "en", body: "@bob", mentions: [bob.id], idempotencyKey: randomUUID() }),
    );
    const replyId = created(groupReply.result).note.id;
    console.log(`group reply with a mention (notifies the parent's author too): ${groupReply.statements} statements`);
    expect(groupReply.statements).toBeLessThanOrEqual(HANDLER_BUDGET);
    expect(await prisma.notification.findMany({ where: { noteId: replyId }, select: { userId: true, kind: true }, orderBy: { kind: "asc" } })).toEqual([
      { userId: alice.id, kind: "reply" },
      { userId: bob.id, kind: "mention" },
    ]);
    expect(await prisma.noteMention.findMany({ where: { noteId: replyId }, select: { userId: true } })).toEqual([{ userId: bob.id }]);
  });
});

describe("what reading notes costs", () => {
  // Relation reads are joins in one statement (prisma relationJoins): an empty list must not
  // send a query per relation (`WHERE id IN (NULL)`) for users, paragraphs, groups, reactions, flags.
  it("lists an article's threads, reads a note and a paragraph thread in one statement each", async () => {
    const data = await import("./data");
    const { listNotesQuerySchema } = await import("./schema");
    const articleId = (await prisma.article.findUniqueOrThrow({ where: { slug: SLUG }, select: { id: true } })).id;
    const query = listNotesQuerySchema.parse({ article: SLUG });
    const emptyArticle = await counted(() => data.listArticleThreads(randomUUID(), null, query, null, null));
    expect(emptyArticle.result.notes).toEqual([]);
    expect(emptyArticle.statements).toBeLessThanOrEqual(1);
    const alice = await signUpTestUser("reader-cost");
    const created = await mutations.createNote(alice, comment("p-6"));
    if (!created.ok) throw new Error("create failed");
    for (const viewer of [null, alice.id]) {
      const list = await counted(() => data.listArticleThreads(articleId, viewer, query, null, null));
      expect(list.result.notes.length).toBeGreaterThan(0);
      expect({ viewer, statements: list.statements }).toEqual({ viewer, statements: 1 });
      const one = await counted(() => data.getVisibleNote(created.note.id, viewer));
      expect(one.result?.id).toBe(created.note.id);
      expect({ viewer, statements: one.statements }).toEqual({ viewer, statements: 1 });
    }
  });
});
