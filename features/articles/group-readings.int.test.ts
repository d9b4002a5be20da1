import { createHash, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { LiveListener } from "@/lib/live/listener";
import { createAppTestDatabase } from "@/lib/testing/test-database";
import { signUpTestUser, type TestUser } from "@/lib/testing/test-users";

// Group readings never leak (issue 11, ADR 0019): a reading of a live group is seen by that
// group's current members only — in the list, search (also by a word of its text), the sitemap,
// the feeds, the reader data (the cached public loader and the /readings loader), the notes API,
// highlights, the reader state, the live stream and the export — and drafts or unpublished
// articles by no reader at all. Everything runs the same functions the routes call, against a
// throwaway PostgreSQL seeded with the real article.

vi.mock("next/cache", () => ({ unstable_cache: <T>(fn: T) => fn, revalidateTag: vi.fn() }));
process.env.LOG_LEVEL = "silent";

const WORD_EN = "quokkaribbon";
const WORD_JA = "秘密の読書会";
const SLUGS = {
  reading: "group-reading-secret",
  readingDraft: "group-reading-draft",
  readingUnpublished: "group-reading-unpublished",
  publicDraft: "public-draft-article",
  deletedGroupReading: "deleted-group-reading",
} as const;

type Prisma = ReturnType<typeof import("@/lib/db/prisma").getPrisma>;
type Body = { ok: boolean; code?: string; [key: string]: unknown };

let db: Awaited<ReturnType<typeof createAppTestDatabase>>;
let prisma: Prisma;
let articlesApi: typeof import("./api");
let articlesData: typeof import("./data");
let loaders: typeof import("./loaders");
let notesApi: typeof import("@/features/notes/api");
let notesData: typeof import("@/features/notes/data");
let readingApi: typeof import("@/features/reading/api");
let liveApi: typeof import("@/features/live/api");
let groupsData: typeof import("@/features/groups/data");
let sitemap: typeof import("@/app/sitemap").default;
let listener: LiveListener;

const users = {} as Record<"owner" | "member" | "outsider" | "exMember" | "editor", TestUser>;
const groups = { live: "", deleted: "" };
const articleIds = {} as Record<keyof typeof SLUGS, string>;
let readingParagraph: { id: string; key: string };
let publicNoteId: string;

const sha = (text: string) => createHash("sha256").update(text).digest("hex");

async function createArticle(slug: string, status: "draft" | "published" | "unpublished", groupId: string | null, words: { en: string; ja: string }) {
  const id = randomUUID();
  await prisma.article.create({
    data: {
      id,
      slug,
      status,
      groupId,
      originalLocale: "en",
      source: "Group test",
      publishedAt: new Date("2026-11-01"),
      firstPublishedAt: status === "draft" ? null : new Date(),
      tags: [`tag-${slug}`],
      translations: {
        create: [
          { locale: "en", title: `Title of ${slug}`, summary: `Summary of ${slug}`, contentHash: sha(slug) },
          { locale: "ja", title: `${slug}の題`, summary: `${slug}の要約`, contentHash: sha(`${slug}ja`) },
        ],
      },
      paragraphs: {
        create: [
          {
            key: "p-1",
            position: 1,
            texts: {
              create: [
                { locale: "en", text: `The ${words.en} paragraph of ${slug}, read together.`, contentHash: sha(`${slug}1en`) },
                { locale: "ja", text: `${words.ja}で${slug}を読みます。`, contentHash: sha(`${slug}1ja`) },
              ],
            },
          },
        ],
      },
    },
  });
  // Written row by row here, not through applyDocument: the search document too (ADR 0021).
  await prisma.$executeRaw`SELECT refresh_article_search(ARRAY[${id}::uuid])`;
  return id;
}

function request(method: string, path: string, user: TestUser | null, body?: unknown): Request {
  const headers: Record<string, string> = { "x-ui-locale": "en", host: "localhost" };
  if (user) headers.cookie = user.cookie;
  if (body !== undefined) headers["content-type"] = "application/json";
  return new Request(`http://localhost${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

async function json(response: Response): Promise<Body> {
  return (await response.json()) as Body;
}

beforeAll(async () => {
  db = await createAppTestDatabase("group-readings");
  prisma = (await import("@/lib/db/prisma")).getPrisma();
  articlesApi = await import("./api");
  articlesData = await import("./data");
  loaders = await import("./loaders");
  notesApi = await import("@/features/notes/api");
  notesData = await import("@/features/notes/data");
  readingApi = await import("@/features/reading/api");
  liveApi = await import("@/features/live/api");
  groupsData = await import("@/features/groups/data");
  sitemap = (await import("@/app/sitemap")).default;
  const { LiveListener } = await import("@/lib/live/listener");
  listener = new LiveListener(db.url, { log: () => undefined });
  await listener.start();

  for (const name of ["owner", "member", "outsider", "exMember", "editor"] as const) users[name] = await signUpTestUser(name);
  await prisma.user.update({ where: { id: users.editor.id }, data: { role: "editor" } });
  groups.live = (await prisma.group.create({ data: { name: "Reading circle", createdById: users.owner.id } })).id;
  groups.deleted = (await prisma.group.create({ data: { name: "Gone circle", createdById: users.owner.id, deletedAt: new Date() } })).id;
  await prisma.groupMember.createMany({
    data: [
      { groupId: groups.live, userId: users.owner.id, role: "owner" },
      { groupId: groups.live, userId: users.member.id, role: "member" },
      { groupId: groups.live, userId: users.exMember.id, role: "member" },
      { groupId: groups.deleted, userId: users.owner.id, role: "owner" },
      { groupId: groups.deleted, userId: users.member.id, role: "member" },
    ],
  });

  const words = { en: WORD_EN, ja: WORD_JA };
  articleIds.reading = await createArticle(SLUGS.reading, "published", groups.live, words);
  articleIds.readingDraft = await createArticle(SLUGS.readingDraft, "draft", groups.live, words);
  articleIds.readingUnpublished = await createArticle(SLUGS.readingUnpublished, "unpublished", groups.live, words);
  articleIds.publicDraft = await createArticle(SLUGS.publicDraft, "draft", null, words);
  articleIds.deletedGroupReading = await createArticle(SLUGS.deletedGroupReading, "published", groups.deleted, words);
  readingParagraph = (await prisma.paragraph.findFirstOrThrow({ where: { articleId: articleIds.reading }, select: { id: true, key: true } }))!;

  // The ex-member wrote a public note while a member, then left the group.
  const post = (user: TestUser, body: string) =>
    notesApi.postNote(
      request("POST", "/api/notes", user, { paragraphId: readingParagraph.id, locale: "en", kind: "comment", visibility: "public", body, idempotencyKey: randomUUID() }),
    );
  const created = await post(users.exMember, "A public note on the group reading");
  expect(created.status).toBe(201);
  publicNoteId = ((await json(created)).note as { id: string }).id;
  await prisma.groupMember.delete({ where: { groupId_userId: { groupId: groups.live, userId: users.exMember.id } } });
}, 180_000);

afterAll(async () => {
  await listener?.stop();
  await prisma?.$disconnect();
  await db?.drop();
});

const outsiders = () => [null, users.outsider, users.exMember, users.editor] as const;
const label = (user: TestUser | null) => user?.name ?? "anonymous";
const ourSlugs = Object.values(SLUGS) as string[];

describe("lists, feeds and the sitemap carry public articles only", () => {
  it("the home list (and so the feeds and the sitemap) has none of them", async () => {
    const slugs = (await articlesData.listPublicArticles()).map((a) => a.slug);
    expect(slugs).toContain("japan-patriot-missile-export");
    for (const slug of ourSlugs) expect(slugs).not.toContain(slug);
  });

  it("the Atom feeds and /sitemap.xml name none of them, and no /readings address", async () => {
    for (const locale of ["en", "ja"]) {
      const xml = await (await articlesApi.getArticleFeed(request("GET", `/${locale}/feed.xml`, users.member), locale)).text();
      expect(xml).toContain("japan-patriot-missile-export");
      for (const slug of ourSlugs) expect(xml).not.toContain(slug);
    }
    const urls = (await sitemap()).map((entry) => entry.url).join("\n");
    expect(urls).toContain("japan-patriot-missile-export");
    expect(urls).not.toContain("/readings/");
    for (const slug of ourSlugs) expect(urls).not.toContain(slug);
  });

  it("the tag filter's choices are public articles' tags only", async () => {
    const tags = await articlesData.listArticleTags();
    for (const slug of ourSlugs) expect(tags).not.toContain(`tag-${slug}`);
  });
});

describe("search", () => {
  const search = (q: string, viewer: TestUser | null, group?: string) =>
    articlesData.searchArticles({ q, page: 1, ...(group ? { group } : {}) } as Parameters<typeof articlesData.searchArticles>[0], viewer?.id ?? null);

  it("outsiders and ex-members find nothing by a word of its text, in either language, nor by its title", async () => {
    for (const user of outsiders()) {
      for (const q of [WORD_EN, WORD_JA, "Title of group-reading"]) {
        const result = await search(q, user);
        expect(result.items.map((i) => i.slug), `${label(user)} / ${q}`).toEqual([]);
        expect(result.total).toBe(0);
      }
      const all = await search("", user);
      for (const slug of ourSlugs) expect(all.items.map((i) => i.slug)).not.toContain(slug);
    }
  });

  it("members find the published reading (never drafts, unpublished or a deleted group's), marked with its group", async () => {
    for (const user of [users.member, users.owner]) {
      for (const q of [WORD_EN, WORD_JA]) {
        const result = await search(q, user);
        expect(result.items.map((i) => i.slug), `${label(user)} / ${q}`).toEqual([SLUGS.reading]);
        expect(result.items[0]!.group).toEqual({ id: groups.live, name: "Reading circle" });
      }
    }
    const publicHit = (await search("", users.member)).items.find((i) => i.slug === "japan-patriot-missile-export");
    expect(publicHit?.group).toBeNull();
  });

  it("the group filter narrows to the group's readings and cannot open a group the viewer is not in", async () => {
    expect((await search("", users.member, groups.live)).items.map((i) => i.slug)).toEqual([SLUGS.reading]);
    expect((await search("", users.outsider, groups.live)).items).toEqual([]);
    expect((await search("", users.member, groups.deleted)).items).toEqual([]);
  });

  it("GET /api/articles answers the same for a member and an outsider", async () => {
    const member = await json(await articlesApi.listArticles(request("GET", `/api/articles?q=${WORD_EN}`, users.member)));
    expect((member.items as { slug: string }[]).map((i) => i.slug)).toEqual([SLUGS.reading]);
    const outsider = await json(await articlesApi.listArticles(request("GET", `/api/articles?q=${WORD_EN}`, users.outsider)));
    expect(outsider.items).toEqual([]);
    const badGroup = await articlesApi.listArticles(request("GET", `/api/articles?group=not-a-uuid`, users.member));
    expect(badGroup.status).toBe(422);
  });

  it("the search page's group choices are the viewer's groups with readings", async () => {
    expect((await loaders.loadLibrarySearch({}, users.member.id)).groups).toEqual([{ id: groups.live, name: "Reading circle" }]);
    expect((await loaders.loadLibrarySearch({}, users.outsider.id)).groups).toEqual([]);
    expect((await loaders.loadLibrarySearch({}, null)).groups).toEqual([]);
  });
});

describe("reader data", () => {
  it("the cached public loader never returns a group reading, a draft or an unpublished article", async () => {
    for (const slug of ourSlugs) expect(await articlesData.getReaderArticle(slug), slug).toBeNull();
    expect(await articlesData.getReaderArticle("japan-patriot-missile-export")).not.toBeNull();
  });

  it("the /readings loader gives the reading to members only", async () => {
    const article = await loaders.loadGroupReading(SLUGS.reading, users.member.id);
    expect(article?.groupId).toBe(groups.live);
    expect(article?.paragraphs[0]?.text.en).toContain(WORD_EN);
    for (const user of outsiders()) expect(await loaders.loadGroupReading(SLUGS.reading, user?.id ?? null), label(user)).toBeNull();
    for (const user of [users.member, users.owner, users.editor]) {
      for (const slug of [SLUGS.readingDraft, SLUGS.readingUnpublished, SLUGS.publicDraft, SLUGS.deletedGroupReading]) {
        expect(await loaders.loadGroupReading(slug, user.id), `${label(user)} / ${slug}`).toBeNull();
      }
    }
  });

  it("the export is the reading's members' only", async () => {
    const member = await articlesApi.exportArticle(request("GET", `/api/articles/${SLUGS.reading}/export`, users.member), SLUGS.reading);
    expect(member.status).toBe(200);
    expect(member.headers.get("content-type")).toBe("application/zip");
    for (const user of outsiders()) {
      const response = await articlesApi.exportArticle(request("GET", `/api/articles/${SLUGS.reading}/export`, user), SLUGS.reading);
      expect(response.status, label(user)).toBe(404);
    }
    const draft = await articlesApi.exportArticle(request("GET", `/api/articles/${SLUGS.publicDraft}/export`, users.editor), SLUGS.publicDraft);
    expect(draft.status).toBe(404);
  });

  it("the group page lists published readings to members, and drafts too to owners", async () => {
    const forMember = await groupsData.listGroupReadings(groups.live, users.member.id, "en");
    expect(forMember?.map((r) => r.slug)).toEqual([SLUGS.reading]);
    const forOwner = await groupsData.listGroupReadings(groups.live, users.owner.id, "en");
    expect(forOwner?.map((r) => r.slug).sort()).toEqual([SLUGS.reading, SLUGS.readingDraft, SLUGS.readingUnpublished].sort());
    expect(await groupsData.listGroupReadings(groups.live, users.outsider.id, "en")).toBeNull();
    expect(await groupsData.listGroupReadings(groups.live, users.exMember.id, "en")).toBeNull();
  });
});

describe("notes, highlights and the reader state", () => {
  it("the notes list answers 404 to outsiders and lists the public note for members", async () => {
    for (const user of outsiders()) {
      const response = await notesApi.listNotes(request("GET", `/api/notes?article=${SLUGS.reading}`, user));
      expect(response.status, label(user)).toBe(404);
    }
    const member = await json(await notesApi.listNotes(request("GET", `/api/notes?article=${SLUGS.reading}`, users.member)));
    expect((member.notes as { id: string }[]).map((n) => n.id)).toContain(publicNoteId);
  });

  it("a public note on the reading is invisible to outsiders, by id and in every note read", async () => {
    for (const user of outsiders()) {
      const response = await notesApi.getNote(request("GET", `/api/notes/${publicNoteId}`, user), publicNoteId);
      expect(response.status, label(user)).toBe(404);
      expect(await notesData.getVisibleNote(publicNoteId, user?.id ?? null)).toBeNull();
    }
    expect((await notesApi.getNote(request("GET", `/api/notes/${publicNoteId}`, users.member), publicNoteId)).status).toBe(200);
    // The anonymous (shared, cached) reads of the article's notes hold nothing of it.
    expect((await notesData.getPublicArticleThreads(articleIds.reading, {} as never)).notes).toEqual([]);
    expect((await notesData.getPublicNoteOverlayData(articleIds.reading)).counts).toEqual({});
  });

  it("outsiders can neither write on the reading nor reply to its notes", async () => {
    const note = await notesApi.postNote(
      request("POST", "/api/notes", users.outsider, { paragraphId: readingParagraph.id, locale: "en", kind: "comment", visibility: "public", body: "Let me in", idempotencyKey: randomUUID() }),
    );
    expect(note.status).toBe(404);
    const reply = await notesApi.postNote(request("POST", "/api/notes", users.exMember, { parentId: publicNoteId, locale: "en", body: "Still here?", idempotencyKey: randomUUID() }));
    expect(reply.status).toBe(404);
    expect(await prisma.note.count({ where: { articleId: articleIds.reading } })).toBe(1);
  });

  it("highlights and the reader state answer 404 to outsiders and 200 to members", async () => {
    const path = `/api/articles/${SLUGS.reading}/highlights?paragraphs=${readingParagraph.id}`;
    for (const user of outsiders()) {
      expect((await readingApi.getHighlights(request("GET", path, user), SLUGS.reading)).status, label(user)).toBe(404);
      expect((await readingApi.openReading(request("POST", `/api/articles/${SLUGS.reading}/reading`, user, {}), SLUGS.reading)).status, label(user)).toBe(404);
    }
    expect((await readingApi.getHighlights(request("GET", path, users.member), SLUGS.reading)).status).toBe(200);
    const state = await json(await readingApi.openReading(request("POST", `/api/articles/${SLUGS.reading}/reading`, users.member, {}), SLUGS.reading));
    expect((state.state as { counts: Record<string, number> }).counts[readingParagraph.id]).toBe(1);
  });
});

describe("the live stream", () => {
  async function subscribe(user: TestUser | null, slug: string) {
    const abort = new AbortController();
    const response = await liveApi.articleEventsEndpoint({ listener })(
      new Request(`http://localhost/api/articles/${slug}/events`, { headers: user ? { cookie: user.cookie } : {}, signal: abort.signal }),
      slug,
    );
    let text = "";
    if (response.ok) {
      void (async () => {
        const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
        try {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            text += value;
          }
        } catch {
          // Aborted.
        }
      })();
    }
    return { status: response.status, text: () => text, close: () => abort.abort() };
  }

  it("outsiders (signed in or not) get 404; a member receives the reading's notes as they are written", async () => {
    for (const user of outsiders()) {
      const stream = await subscribe(user, SLUGS.reading);
      expect(stream.status, label(user)).toBe(404);
      stream.close();
    }
    for (const slug of [SLUGS.readingDraft, SLUGS.publicDraft, SLUGS.deletedGroupReading]) {
      const stream = await subscribe(users.member, slug);
      expect(stream.status, slug).toBe(404);
      stream.close();
    }
    const member = await subscribe(users.member, SLUGS.reading);
    expect(member.status).toBe(200);
    // Someone on the public article at the same time must not hear of it either.
    const elsewhere = await subscribe(users.outsider, "japan-patriot-missile-export");
    expect(elsewhere.status).toBe(200);
    const created = await notesApi.postNote(
      request("POST", "/api/notes", users.owner, { paragraphId: readingParagraph.id, locale: "en", kind: "comment", visibility: "public", body: "Live on the reading", idempotencyKey: randomUUID() }),
    );
    expect(created.status).toBe(201);
    const id = ((await json(created)).note as { id: string }).id;
    await expect.poll(() => member.text(), { timeout: 3_000 }).toContain(id);
    expect(elsewhere.text()).not.toContain(id);
    member.close();
    elsewhere.close();
  });
});

describe("promotion and membership changes", () => {
  it("an ex-member loses the reading at once; a reading made public is read at its public address", async () => {
    expect(await loaders.loadReadableArticle(SLUGS.reading, { id: users.exMember.id, role: "member" })).toBeNull();
    const promoted = await createArticle("group-reading-promoted", "published", groups.live, { en: "promotedword", ja: "昇格" });
    expect(await articlesData.getReaderArticle("group-reading-promoted")).toBeNull();
    await prisma.article.update({ where: { id: promoted }, data: { groupId: null } });
    // The /readings page redirects a public article to /articles/{slug}: its loader says so with groupId null.
    expect((await loaders.loadGroupReading("group-reading-promoted", users.outsider.id))?.groupId).toBeNull();
    expect(await articlesData.getReaderArticle("group-reading-promoted")).not.toBeNull();
  });
});
