import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createAppTestDatabase } from "@/lib/testing/test-database";
import { signUpTestUser, type TestUser } from "@/lib/testing/test-users";

// "Continue reading at ¶N" (issue 11): the reader's page reports the paragraph at the top of the
// screen by key (PUT /api/articles/{slug}/reading); the list, search and GET /api/me/continue-reading
// show that paragraph's position now, so the number follows revisions.

vi.mock("next/cache", () => ({ unstable_cache: <T>(fn: T) => fn, revalidateTag: vi.fn() }));

const SLUG = "japan-patriot-missile-export";
const NEW_TEXT = "A new first paragraph.";

let db: Awaited<ReturnType<typeof createAppTestDatabase>>;
let api: typeof import("./api");
let articlesData: typeof import("@/features/articles/data");
let prisma: ReturnType<typeof import("@/lib/db/prisma").getPrisma>;
let articleId: string;
let reader: TestUser;

beforeAll(async () => {
  db = await createAppTestDatabase("continue_reading");
  api = await import("./api");
  articlesData = await import("@/features/articles/data");
  prisma = (await import("@/lib/db/prisma")).getPrisma();
  articleId = (await prisma.article.findUniqueOrThrow({ where: { slug: SLUG }, select: { id: true } })).id;
  reader = await signUpTestUser("Continuer");
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

function request(method: string, path: string, user: TestUser | null, body?: unknown): Request {
  const headers: Record<string, string> = { "x-ui-locale": "en" };
  if (user) headers.cookie = user.cookie;
  if (body !== undefined) headers["content-type"] = "application/json";
  return new Request(`http://localhost${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

async function put(user: TestUser | null, paragraph: unknown, slug = SLUG) {
  const response = await api.putReadingPosition(request("PUT", `/api/articles/${slug}/reading`, user, { paragraph }), slug);
  return { status: response.status, body: (await response.json()) as { saved?: boolean; code?: string } };
}

async function continueReading(user: TestUser | null) {
  const response = await api.getContinueReading(request("GET", "/api/me/continue-reading", user));
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: Record<string, { key: string; position: number }> }).items;
}

const storedKey = async (userId: string) =>
  (await prisma.articleVisit.findUnique({ where: { userId_articleId: { userId, articleId } }, select: { paragraphKey: true } }))?.paragraphKey;

describe("remembering where a reader is", () => {
  it("stores nothing before the page has recorded the visit, then stores the key", async () => {
    expect(await put(reader, "p-3")).toEqual({ status: 200, body: { ok: true, saved: false } });
    const opened = await api.openReading(request("POST", `/api/articles/${SLUG}/reading`, reader, {}), SLUG);
    expect(opened.status).toBe(200);
    expect(await put(reader, "p-3")).toEqual({ status: 200, body: { ok: true, saved: true } });
    expect(await storedKey(reader.id)).toBe("p-3");
  });

  it("ignores a key the article does not have, and refuses what is not a key", async () => {
    expect((await put(reader, "p-999")).body.saved).toBe(false);
    expect((await put(reader, "p-0")).status).toBe(422);
    expect((await put(reader, "3")).status).toBe(422);
    expect((await put(reader, "p-3'; --")).status).toBe(422);
    expect(await storedKey(reader.id)).toBe("p-3");
  });

  it("answers 401 signed out and 404 for an article that does not exist", async () => {
    expect((await put(null, "p-3")).status).toBe(401);
    expect((await put(reader, "p-3", "no-such-article")).status).toBe(404);
  });

  it("is rate limited per user with its own bucket", async () => {
    const busy = await signUpTestUser("Scroller");
    await api.openReading(request("POST", `/api/articles/${SLUG}/reading`, busy, {}), SLUG);
    const statuses: number[] = [];
    for (let i = 0; i < api.READING_POSITION_BUCKET.capacity + 1; i++) statuses.push((await put(busy, `p-${(i % 5) + 1}`)).status);
    expect(statuses.slice(0, -1).every((s) => s === 200)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});

describe("showing where a reader left off", () => {
  it("lists the position for the reader only", async () => {
    expect(await continueReading(reader)).toEqual({ [SLUG]: { key: "p-3", position: 3 } });
    expect(await continueReading(null)).toEqual({});
    const other = await signUpTestUser("Stranger");
    expect(await continueReading(other)).toEqual({});
    const search = await articlesData.searchArticles({ q: "", page: 1 } as never, reader.id);
    expect(search.items.find((a) => a.slug === SLUG)?.continueAt).toEqual({ key: "p-3", position: 3 });
    const signedOut = await articlesData.searchArticles({ q: "", page: 1 } as never, null);
    expect(signedOut.items.find((a) => a.slug === SLUG)?.continueAt).toBeNull();
  });

  it("follows the key when a paragraph is inserted before it", async () => {
    // A revision that inserts a paragraph at the top: every position moves down by one, keys stay.
    const maxKey = Math.max(...(await prisma.paragraph.findMany({ where: { articleId }, select: { key: true } })).map((p) => Number(p.key.slice(2))));
    await prisma.$transaction([
      prisma.$executeRaw`UPDATE paragraph SET position = -position - 100000 WHERE article_id = ${articleId}::uuid AND position > 0`,
      prisma.$executeRaw`UPDATE paragraph SET position = -(position + 100000) + 1 WHERE article_id = ${articleId}::uuid AND position < -100000`,
      prisma.paragraph.create({ data: { articleId, key: `p-${maxKey + 1}`, position: 1, texts: { create: [{ locale: "en", text: NEW_TEXT, contentHash: createHash("sha256").update(NEW_TEXT).digest("hex") }] } } }),
    ]);
    expect(await continueReading(reader)).toEqual({ [SLUG]: { key: "p-3", position: 4 } });
    const search = await articlesData.searchArticles({ q: "", page: 1 } as never, reader.id);
    expect(search.items.find((a) => a.slug === SLUG)?.continueAt).toEqual({ key: "p-3", position: 4 });
    const listed = await api.getContinueReading(request("GET", "/api/me/continue-reading", reader));
    expect(await listed.json()).toMatchObject({ items: { [SLUG]: { position: 4 } } });
  });

  it("drops a paragraph that a revision removed, and an article the reader may no longer read", async () => {
    await put(reader, "p-2");
    expect((await continueReading(reader))[SLUG]).toEqual({ key: "p-2", position: 3 });
    const parked = await prisma.paragraph.update({ where: { articleId_key: { articleId, key: "p-2" } }, data: { position: -1, removedInRevision: 2 } });
    expect(await continueReading(reader)).toEqual({});
    await prisma.paragraph.update({ where: { id: parked.id }, data: { position: 3, removedInRevision: null } });
    expect((await continueReading(reader))[SLUG]?.position).toBe(3);

    await prisma.article.update({ where: { id: articleId }, data: { status: "draft" } });
    try {
      expect(await continueReading(reader)).toEqual({});
      expect((await put(reader, "p-4")).status).toBe(404);
    } finally {
      await prisma.article.update({ where: { id: articleId }, data: { status: "published" } });
    }
  });
});
