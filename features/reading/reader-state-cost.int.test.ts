import { createHash, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { deployMigrations } from "@/lib/db/migration-engine";
import { createTestDatabase } from "@/lib/testing/test-database";
import { signUpTestUser, type TestUser } from "@/lib/testing/test-users";
import { seedContent } from "@/prisma/seed";
import { startQueryCounterOnAnyPort, type QueryCounter } from "@/scripts/lib/pg-query-counter";
import type { ReaderState } from "./types";

// What POST /api/articles/{slug}/reading costs the database (ADR 0012: every signed-in page view
// sends it once the cached page has loaded, so `npm run bench` measures it): SQL statements for
// the whole request, session lookup included, counted by the bench's pass-through in front of
// PostgreSQL. The public article comes from the data cache, as in production (the mock below
// keeps what it is given until a tag is revalidated), so it costs nothing per request.

const cache = new Map<string, unknown>();
vi.mock("next/cache", () => ({
  unstable_cache:
    <A extends unknown[], T>(fn: (...args: A) => Promise<T>, keyParts: string[]) =>
    async (...args: A): Promise<T> => {
      const key = JSON.stringify([keyParts, args]);
      if (!cache.has(key)) cache.set(key, await fn(...args));
      return cache.get(key) as T;
    },
  revalidateTag: vi.fn(() => cache.clear()),
}));

const SLUG = "japan-patriot-missile-export";
/** Session lookup, the visit (with the reader's groups and suspension), the overlay's counts. */
const PUBLIC_BUDGET = 3;
/** A group reading is read per request and never cached (ADR 0019): one statement more. */
const GROUP_READING_BUDGET = PUBLIC_BUDGET + 1;

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let counter: QueryCounter;
let prisma: ReturnType<typeof import("@/lib/db/prisma").getPrisma>;
let api: typeof import("./api");
let reader: TestUser;
let member: TestUser;
let articleId: string;
let groupSlug: string;

beforeAll(async () => {
  db = await createTestDatabase("reader_state_cost");
  await deployMigrations(db.url);
  await seedContent(db.url);
  counter = await startQueryCounterOnAnyPort(db.url);
  // Every module below reaches the database through the counter.
  process.env.DATABASE_URL = counter.url;
  process.env.BETTER_AUTH_SECRET = "test-secret-for-reader-state-cost-integration-0123456789";
  prisma = (await import("@/lib/db/prisma")).getPrisma();
  api = await import("./api");
  reader = await signUpTestUser("Reader");
  member = await signUpTestUser("Member");
  articleId = (await prisma.article.findUniqueOrThrow({ where: { slug: SLUG }, select: { id: true } })).id;

  // A group reading with one paragraph, read by a member of its group.
  const group = await prisma.group.create({ data: { name: `Group ${randomUUID().slice(0, 6)}`, createdById: member.id } });
  await prisma.groupMember.create({ data: { groupId: group.id, userId: member.id, role: "owner" } });
  groupSlug = `cost-reading-${randomUUID().slice(0, 8)}`;
  const sha = (text: string) => createHash("sha256").update(text).digest("hex");
  await prisma.article.create({
    data: {
      slug: groupSlug,
      status: "published",
      groupId: group.id,
      originalLocale: "en",
      source: "Cost test",
      publishedAt: new Date("2026-11-01"),
      firstPublishedAt: new Date(),
      translations: { create: [{ locale: "en", title: "A reading", summary: "S", contentHash: sha(groupSlug) }] },
      paragraphs: { create: [{ key: "p-1", position: 1, texts: { create: [{ locale: "en", text: "Read together.", contentHash: sha(`${groupSlug}1`) }] } }] },
    },
  });
});

afterAll(async () => {
  await prisma?.$disconnect();
  await counter?.close();
  await db?.drop();
});

function openReading(slug: string, user: TestUser): Promise<Response> {
  return api.openReading(
    new Request(`http://localhost/api/articles/${slug}/reading`, {
      method: "POST",
      headers: { cookie: user.cookie, "x-ui-locale": "en", "content-type": "application/json" },
      body: "{}",
    }),
    slug,
  );
}

/** Statements of one POST /reading (nothing else uses the database meanwhile), and its state. */
async function counted(slug: string, user: TestUser): Promise<{ statements: number; state: ReaderState }> {
  // The pool's first connection would add its own setup: open it before counting.
  await prisma.$queryRaw`SELECT 1`;
  const before = counter.count();
  const response = await openReading(slug, user);
  const statements = counter.count() - before;
  expect(response.status).toBe(200);
  const { state } = (await response.json()) as { state: ReaderState };
  return { statements, state };
}

describe("statements per reader state (POST /reading, the whole request)", () => {
  it(`a public article: at most ${PUBLIC_BUDGET}, whether or not it has notes whose passage changed`, async () => {
    await openReading(SLUG, reader); // fills the data cache, as the page's first render does
    const plain = await counted(SLUG, reader);
    console.log(`reader state, public article: ${plain.statements} statements`);
    expect(plain.state.viewer.id).toBe(reader.id);
    expect(plain.state.passageChanged).toEqual([]);
    expect(plain.statements).toBeLessThanOrEqual(PUBLIC_BUDGET);

    // A revision removed a paragraph and left a private note detached (as publishing leaves it):
    // the list now has something to say, still within the same statements.
    const paragraph = await prisma.paragraph.findFirstOrThrow({ where: { articleId, position: { gt: 0 } }, orderBy: { position: "desc" } });
    const note = await prisma.note.create({
      data: {
        articleId,
        paragraphId: paragraph.id,
        locale: "en",
        authorId: reader.id,
        kind: "comment",
        visibility: "private",
        body: "Where did this go?",
        passageChangedAt: new Date(),
        passageChangedIn: 2,
      },
    });
    await prisma.paragraph.update({ where: { id: paragraph.id }, data: { position: -1, removedInRevision: 2 } });
    cache.clear(); // what the publish does (revalidateTag of the article and its public notes)
    await openReading(SLUG, reader);
    const changed = await counted(SLUG, reader);
    console.log(`reader state, public article with a note whose passage changed: ${changed.statements} statements`);
    expect(changed.state.passageChanged.map((n) => [n.id, n.paragraphRemoved, n.changedIn])).toEqual([[note.id, true, 2]]);
    expect(changed.statements).toBeLessThanOrEqual(PUBLIC_BUDGET);
    // Another reader does not get someone's private note.
    expect((await counted(SLUG, member)).state.passageChanged).toEqual([]);
  });

  it(`a group reading: at most ${GROUP_READING_BUDGET} (its text is read per request, never shared)`, async () => {
    await openReading(groupSlug, member);
    const reading = await counted(groupSlug, member);
    console.log(`reader state, group reading: ${reading.statements} statements`);
    expect(reading.state.viewer.id).toBe(member.id);
    expect(reading.statements).toBeLessThanOrEqual(GROUP_READING_BUDGET);
    // Not a member: the ordinary 404.
    expect((await openReading(groupSlug, reader)).status).toBe(404);
  });
});
