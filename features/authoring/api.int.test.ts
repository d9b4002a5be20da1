import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import en from "@/messages/en.json";
import ja from "@/messages/ja.json";
import type { ArticleDocument } from "@/lib/content/article-document";
import { createAppTestDatabase } from "@/lib/testing/test-database";
import { signUpTestUser, type TestUser } from "@/lib/testing/test-users";

// Integration tests for the authoring API (ADR 0020): the Request → Response functions the route
// files in app/api/authoring/** call, against a throwaway PostgreSQL database seeded with the
// real article. The permission matrix, drafts and their versions, slugs, limits, uploads, and
// publish / unpublish / promote as readers then see them.

vi.mock("next/cache", () => ({ unstable_cache: <T>(fn: T) => fn, revalidateTag: vi.fn() }));
process.env.LOG_LEVEL = "silent";

const SEED_SLUG = "japan-patriot-missile-export";

type Api = typeof import("./api");
type Prisma = ReturnType<typeof import("@/lib/db/prisma").getPrisma>;
type Role = "member" | "moderator" | "editor" | "admin";
type User = TestUser;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;

let db: Awaited<ReturnType<typeof createAppTestDatabase>>;
let api: Api;
let notesApi: typeof import("@/features/notes/api");
let articlesData: typeof import("@/features/articles/data");
let articlesSchema: typeof import("@/features/articles/schema");
let prisma: Prisma;
let revalidateTag: ReturnType<typeof vi.fn>;

beforeAll(async () => {
  db = await createAppTestDatabase("authoring");
  api = await import("./api");
  notesApi = await import("@/features/notes/api");
  articlesData = await import("@/features/articles/data");
  articlesSchema = await import("@/features/articles/schema");
  prisma = (await import("@/lib/db/prisma")).getPrisma();
  revalidateTag = vi.mocked((await import("next/cache")).revalidateTag) as unknown as ReturnType<typeof vi.fn>;
}, 120_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

beforeEach(() => {
  revalidateTag?.mockClear();
});

// ---- helpers -----------------------------------------------------------------------------------

async function signUp(label: string, role: Role = "member"): Promise<User> {
  const user = await signUpTestUser(label);
  if (role !== "member") await prisma.user.update({ where: { id: user.id }, data: { role } });
  return user;
}

function request(method: string, path: string, options: { user?: User | null; body?: unknown; rawBody?: string; locale?: "en" | "ja" } = {}): Request {
  const headers: Record<string, string> = { "x-ui-locale": options.locale ?? "en" };
  if (options.user) headers.cookie = options.user.cookie;
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined) headers["content-type"] = "application/json";
  return new Request(`http://localhost${path}`, { method, headers, body });
}

async function call(response: Promise<Response>): Promise<{ status: number; body: Body }> {
  const r = await response;
  expect(r.headers.get("content-type")).toMatch(/^application\/json/);
  return { status: r.status, body: (await r.json()) as Body };
}

type Rows = [string, string][];

/** A bilingual document; `rows` are [en, ja] pairs. */
function documentOf(options: { slug?: string; en?: string; ja?: string; rows?: Rows; source?: string; publishedAt?: string } = {}): ArticleDocument {
  const translations: ArticleDocument["meta"]["translations"] = {};
  if (options.en !== undefined) translations.en = { title: options.en, summary: "A summary." };
  if (options.ja !== undefined) translations.ja = { title: options.ja, summary: "要約。" };
  const rows = options.rows ?? [
    ["First paragraph.", "第一段落。"],
    ["Second paragraph.", "第二段落。"],
  ];
  return {
    meta: {
      slug: options.slug ?? "",
      originalLocale: "en",
      source: options.source ?? "Test Wire",
      publishedAt: options.publishedAt ?? "2026-11-01",
      tags: ["test"],
      translations,
    },
    rows: rows.map(([enText, jaText]) => ({
      heading: false,
      text: { ...(translations.en ? { en: enText } : {}), ...(translations.ja ? { ja: jaText } : {}) },
    })),
  };
}

const create = (user: User | null, document: ArticleDocument, groupId?: string | null, locale: "en" | "ja" = "en") =>
  call(api.postAuthoringArticle(request("POST", "/api/authoring/articles", { user, body: { groupId, document }, locale })));
const getArticle = (user: User | null, id: string) => call(api.getAuthoringArticle(request("GET", `/api/authoring/articles/${id}`, { user }), id));
const save = (user: User | null, id: string, version: number, document: ArticleDocument, locale: "en" | "ja" = "en") =>
  call(api.putDraft(request("PUT", `/api/authoring/articles/${id}/draft`, { user, body: { version, document }, locale }), id));
const discard = (user: User | null, id: string) => call(api.deleteDraft(request("DELETE", `/api/authoring/articles/${id}/draft`, { user }), id));
const publish = (user: User | null, id: string, version: number, summary = "", locale: "en" | "ja" = "en") =>
  call(api.postPublish(request("POST", `/api/authoring/articles/${id}/publish`, { user, body: { version, summary }, locale }), id));
const unpublish = (user: User | null, id: string) => call(api.postUnpublish(request("POST", `/api/authoring/articles/${id}/unpublish`, { user }), id));
const promote = (user: User | null, id: string) => call(api.postPromote(request("POST", `/api/authoring/articles/${id}/promote`, { user }), id));
const list = (user: User | null) => call(api.getAuthoringArticles(request("GET", "/api/authoring/articles", { user })));
const convert = (user: User, body: Record<string, unknown>, locale: "en" | "ja" = "en") =>
  call(api.postConvert(request("POST", "/api/authoring/convert", { user, body, locale })));

async function createOk(user: User, document: ArticleDocument, groupId?: string | null): Promise<{ id: string; slug: string; version: number }> {
  const { status, body } = await create(user, document, groupId);
  expect(status, JSON.stringify(body)).toBe(201);
  return body as { id: string; slug: string; version: number };
}

/** A live group with an owner, a moderator and a member. */
async function groupWithRoles(): Promise<{ groupId: string; owner: User; moderator: User; member: User }> {
  const owner = await signUp("g-owner");
  const moderator = await signUp("g-moderator");
  const member = await signUp("g-member");
  const group = await prisma.group.create({ data: { name: "Readers", createdById: owner.id } });
  await prisma.groupMember.createMany({
    data: [
      { groupId: group.id, userId: owner.id, role: "owner" },
      { groupId: group.id, userId: moderator.id, role: "moderator" },
      { groupId: group.id, userId: member.id, role: "member" },
    ],
  });
  return { groupId: group.id, owner, moderator, member };
}

const uniqueTitle = (prefix: string) => `${prefix} ${randomUUID().slice(0, 8)}`;

/** Slugs a library search (as an anonymous reader) finds for a query. */
async function searchSlugs(q: string): Promise<string[]> {
  const result = await articlesData.searchArticles(articlesSchema.articleSearchSchema.parse({ q }), null);
  return result.items.map((item) => item.slug);
}

// ---- permissions -------------------------------------------------------------------------------

describe("who may do what", () => {
  let people: Record<"member" | "moderator" | "editor" | "admin" | "outsider", User>;
  let group: Awaited<ReturnType<typeof groupWithRoles>>;

  beforeAll(async () => {
    people = {
      member: await signUp("site-member"),
      moderator: await signUp("site-moderator", "moderator"),
      editor: await signUp("site-editor", "editor"),
      admin: await signUp("site-admin", "admin"),
      outsider: await signUp("outsider"),
    };
    group = await groupWithRoles();
  });

  it("public articles: editors and admins create, edit, publish and unpublish; everyone else gets 401/404", async () => {
    expect((await create(null, documentOf({ en: "Anonymous" }))).status).toBe(401);
    for (const who of [people.member, people.moderator, people.outsider, group.owner, group.moderator]) {
      const refused = await create(who, documentOf({ en: uniqueTitle("Refused") }));
      expect(refused.status).toBe(404);
      expect(refused.body).toMatchObject({ ok: false, code: "not_found", message: en.AuthoringApi.errors.notFound });
    }
    for (const who of [people.editor, people.admin]) {
      const { id } = await createOk(who, documentOf({ en: uniqueTitle("Public"), ja: "公開" }));
      // Everyone but editors and admins: the article does not exist for them.
      for (const other of [people.member, people.moderator, group.owner, group.moderator, group.member]) {
        expect((await getArticle(other, id)).status).toBe(404);
        expect((await save(other, id, 1, documentOf({ en: "Hijack", ja: "乗っ取り" }))).status).toBe(404);
        expect((await publish(other, id, 1)).status).toBe(404);
        expect((await unpublish(other, id)).status).toBe(404);
        expect((await promote(other, id)).status).toBe(404);
      }
      expect((await getArticle(null, id)).status).toBe(401);
      // The other editor may edit it too.
      const otherEditor = who === people.editor ? people.admin : people.editor;
      expect((await getArticle(otherEditor, id)).status).toBe(200);
      const published = await publish(otherEditor, id, 1, "First publish");
      expect(published.status, JSON.stringify(published.body)).toBe(200);
      expect((await unpublish(who, id)).body).toMatchObject({ ok: true, status: "unpublished" });
    }
  });

  it("group readings: the group's owners and moderators create and edit them, editors and admins edit them, nobody else sees them", async () => {
    const { groupId, owner, moderator, member } = group;
    // Members, outsiders and editors outside the group cannot create a reading for it.
    for (const who of [member, people.outsider, people.member, people.editor, people.admin]) {
      expect((await create(who, documentOf({ en: uniqueTitle("Reading") }), groupId)).status).toBe(404);
    }
    expect((await create(owner, documentOf({ en: uniqueTitle("Reading") }), randomUUID())).status).toBe(404);
    const byOwner = await createOk(owner, documentOf({ en: uniqueTitle("Owner reading"), ja: "読み物" }), groupId);
    const byModerator = await createOk(moderator, documentOf({ en: uniqueTitle("Moderator reading"), ja: "読み物" }), groupId);
    expect(await prisma.article.findUniqueOrThrow({ where: { id: byOwner.id }, select: { status: true, groupId: true, createdById: true } })).toEqual({
      status: "draft",
      groupId,
      createdById: owner.id,
    });

    for (const who of [owner, moderator, people.editor, people.admin]) {
      expect((await getArticle(who, byModerator.id)).status).toBe(200);
    }
    for (const who of [member, people.outsider, people.member, people.moderator]) {
      expect((await getArticle(who, byOwner.id)).status).toBe(404);
      expect((await save(who, byOwner.id, 1, documentOf({ en: "Hijack" }))).status).toBe(404);
      expect((await publish(who, byOwner.id, 1)).status).toBe(404);
      expect((await unpublish(who, byOwner.id)).status).toBe(404);
      expect((await promote(who, byOwner.id)).status).toBe(404);
      expect((await discard(who, byOwner.id)).status).toBe(404);
    }
    // Editors and admins edit group readings they are not members of.
    expect((await save(people.editor, byModerator.id, 1, documentOf({ en: "Edited by an editor", ja: "編集" }))).status).toBe(200);
    expect((await save(people.admin, byModerator.id, 2, documentOf({ en: "Edited by an admin", ja: "編集" }))).status).toBe(200);
    expect((await publish(moderator, byOwner.id, 1)).status).toBe(200);
    expect((await unpublish(owner, byOwner.id)).status).toBe(200);
    expect((await publish(owner, byOwner.id, 0)).status).toBe(200);

    // The editor's list: what each may edit.
    const ownerList = (await list(owner)).body.items.map((item: Body) => item.id);
    expect(ownerList).toEqual(expect.arrayContaining([byOwner.id, byModerator.id]));
    expect((await list(member)).body.items).toEqual([]);
    expect((await list(people.outsider)).body.items).toEqual([]);
    const editorList = (await list(people.editor)).body.items as Body[];
    expect(editorList.find((item) => item.id === byOwner.id)).toMatchObject({ status: "published", groupId, groupName: "Readers", hasDraft: false, revision: 1 });
    expect(editorList.some((item) => item.slug === SEED_SLUG)).toBe(true);
    expect((await list(null)).status).toBe(401);

    // Promote: editors and admins only; the group's own owner may not make it public.
    expect((await promote(owner, byOwner.id)).status).toBe(404);
    expect((await promote(moderator, byOwner.id)).status).toBe(404);
    const promoted = await promote(people.editor, byOwner.id);
    expect(promoted.body).toMatchObject({ ok: true, groupId: null });
    expect((await prisma.article.findUniqueOrThrow({ where: { id: byOwner.id } })).groupId).toBeNull();
    // A public article is no longer the group's to edit.
    expect((await getArticle(owner, byOwner.id)).status).toBe(404);
    expect((await promote(people.admin, byModerator.id)).status).toBe(200);
  });

  it("refuses suspended writers with 403, and readers signed out with 401", async () => {
    const suspended = await signUp("suspended-editor", "editor");
    await prisma.userSuspension.create({ data: { userId: suspended.id, reason: "Spam", createdById: people.admin.id } });
    const refused = await create(suspended, documentOf({ en: uniqueTitle("Suspended") }));
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe("suspended");
    expect((await convert(suspended, { filename: "a.txt", type: "text/plain", text: "x", locale: "en" })).status).toBe(403);
  });
});

// ---- drafts ------------------------------------------------------------------------------------

describe("drafts", () => {
  let editor: User;
  beforeAll(async () => {
    editor = await signUp("draft-editor", "editor");
  });

  it("accepts a half-written draft and loads it back", async () => {
    const half = documentOf({ en: "", ja: "", rows: [["", ""]], source: "", publishedAt: "" });
    const created = await createOk(editor, half);
    expect(created.slug).toMatch(/^\d{4}-\d{2}-\d{2}-[a-z2-7]{6}$/);
    const loaded = await getArticle(editor, created.id);
    expect(loaded.body.article).toMatchObject({ id: created.id, slug: created.slug, status: "draft", groupId: null, revision: 0, firstPublishedAt: null });
    expect(loaded.body.draft).toMatchObject({ version: 1, updatedBy: { id: editor.id, name: "draft-editor" } });
    expect(loaded.body.draft.document).toEqual({ ...half, meta: { ...half.meta, slug: created.slug } });
    // Publishing it is another matter: the missing source and date are named.
    const incomplete = await publish(editor, created.id, 1);
    expect(incomplete.status).toBe(422);
    expect(incomplete.body.code).toBe("incomplete");
    expect(Object.keys(incomplete.body.fieldErrors).sort()).toEqual(["publishedAt", "source"]);
  });

  it("two tabs: the second save over an old version gets 409 with the other tab's draft, and nothing is overwritten", async () => {
    const { id } = await createOk(editor, documentOf({ en: uniqueTitle("Two tabs"), ja: "二つのタブ" }));
    const tabA = documentOf({ en: "Tab A's title", ja: "A" });
    const tabB = documentOf({ en: "Tab B's title", ja: "B" });
    const first = await save(editor, id, 1, tabA);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ ok: true, version: 2 });
    expect(Date.parse(first.body.savedAt)).not.toBeNaN();
    const second = await save(editor, id, 1, tabB, "ja");
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ ok: false, code: "stale_draft", message: ja.AuthoringApi.errors.staleDraft });
    expect(second.body.current.version).toBe(2);
    expect(second.body.current.document.meta.translations.en.title).toBe("Tab A's title");
    const stored = await getArticle(editor, id);
    expect(stored.body.draft.document.meta.translations.en.title).toBe("Tab A's title");
    // Publishing from the stale tab is stale too.
    expect((await publish(editor, id, 1)).status).toBe(409);
    // Saving over the current version works.
    expect((await save(editor, id, 2, tabB)).body.version).toBe(3);
    // Two saves over the same version at the same moment: exactly one wins.
    const race = await Promise.all([save(editor, id, 3, tabA), save(editor, id, 3, tabB)]);
    expect(race.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = race.find((r) => r.status === 200)!;
    const loser = race.find((r) => r.status === 409)!;
    expect(winner.body.version).toBe(4);
    expect(loser.body.current.version).toBe(4);
  });

  it("a published article's draft starts from the live text (version 0, keys and headings), and discarding goes back to it", async () => {
    const seed = await prisma.article.findUniqueOrThrow({
      where: { slug: SEED_SLUG },
      select: { id: true, paragraphs: { where: { position: { gt: 0 } }, orderBy: { position: "asc" }, select: { key: true, heading: true } } },
    });
    const loaded = await getArticle(editor, seed.id);
    expect(loaded.status).toBe(200);
    expect(loaded.body.article).toMatchObject({ slug: SEED_SLUG, status: "published" });
    expect(loaded.body.draft.version).toBe(0);
    expect(loaded.body.draft.updatedBy).toBeNull();
    const document = loaded.body.draft.document as ArticleDocument;
    expect(document.rows.map((row) => ({ key: row.key, heading: row.heading }))).toEqual(seed.paragraphs);
    expect(Object.keys(document.meta.translations).sort()).toEqual(["en", "ja"]);
    expect(document.rows.every((row) => row.text.en && row.text.ja)).toBe(true);
    expect(await prisma.articleDraft.count({ where: { articleId: seed.id } })).toBe(0);

    // The first save stores the draft; a second tab still on version 0 is stale.
    const edited = { ...document, meta: { ...document.meta, translations: { ...document.meta.translations, en: { ...document.meta.translations.en!, title: "Edited title" } } } };
    expect((await save(editor, seed.id, 0, edited)).body.version).toBe(1);
    const stale = await save(editor, seed.id, 0, document);
    expect(stale.status).toBe(409);
    expect(stale.body.current.document.meta.translations.en.title).toBe("Edited title");
    expect((await list(editor)).body.items.find((item: Body) => item.id === seed.id)).toMatchObject({ hasDraft: true, titles: { en: "Edited title" } });

    // Discard: back to the live text, which was never touched.
    expect((await discard(editor, seed.id)).body).toEqual({ ok: true, articleDeleted: false });
    const again = await getArticle(editor, seed.id);
    expect(again.body.draft.version).toBe(0);
    expect(again.body.draft.document.meta.translations.en.title).toBe(document.meta.translations.en!.title);
  });

  it("discarding the draft of an article never published deletes it", async () => {
    const { id } = await createOk(editor, documentOf({ en: uniqueTitle("Throwaway") }));
    expect((await discard(editor, id)).body).toEqual({ ok: true, articleDeleted: true });
    expect(await prisma.article.count({ where: { id } })).toBe(0);
    expect((await getArticle(editor, id)).status).toBe(404);
  });
});

// ---- slugs -------------------------------------------------------------------------------------

describe("slugs", () => {
  let editor: User;
  beforeAll(async () => {
    editor = await signUp("slug-editor", "editor");
  });

  it("generates a slug from the English title, and one for a title only in Japanese", async () => {
    const title = `Héllo, Wörld! ${randomUUID().slice(0, 6)}`;
    const english = await createOk(editor, documentOf({ en: title, ja: "こんにちは" }));
    expect(english.slug).toBe(`hello-world-${title.slice(-6)}`);
    const japanese = await createOk(editor, documentOf({ ja: "日本語だけの題名", publishedAt: "2026-03-04" }));
    expect(japanese.slug).toMatch(/^2026-03-04-[a-z2-7]{6}$/);
  });

  it("refuses a chosen slug that is taken with a free suggestion; a generated one takes the suffix itself", async () => {
    const clash = await create(editor, documentOf({ slug: SEED_SLUG, en: "Clash" }), null, "ja");
    expect(clash.status).toBe(409);
    expect(clash.body).toMatchObject({ ok: false, code: "slug_taken", suggestion: `${SEED_SLUG}-2` });
    expect(clash.body.message).toBe(ja.AuthoringApi.errors.slugTaken.replace("{suggestion}", `${SEED_SLUG}-2`));
    const base = `same-title-${randomUUID().slice(0, 6)}`;
    const title = base.replace(/-/g, " ");
    expect((await createOk(editor, documentOf({ en: title }))).slug).toBe(base);
    expect((await createOk(editor, documentOf({ en: title }))).slug).toBe(`${base}-2`);
    expect((await createOk(editor, documentOf({ en: title }))).slug).toBe(`${base}-3`);
    const chosen = await create(editor, documentOf({ slug: base, en: title }));
    expect(chosen.body.suggestion).toBe(`${base}-4`);
  });

  it("moves the slug with the draft until the first publish, then keeps it", async () => {
    const { id, slug } = await createOk(editor, documentOf({ en: uniqueTitle("Moving") }));
    const wanted = `moved-${randomUUID().slice(0, 6)}`;
    expect((await save(editor, id, 1, documentOf({ slug: wanted, en: "Moving" }))).status).toBe(200);
    expect((await prisma.article.findUniqueOrThrow({ where: { id } })).slug).toBe(wanted);
    const taken = await save(editor, id, 2, documentOf({ slug: SEED_SLUG, en: "Moving" }));
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe("slug_taken");
    expect((await publish(editor, id, 2)).body).toMatchObject({ ok: true, slug: wanted });
    const fixed = await save(editor, id, 0, documentOf({ slug: slug, en: "Moving" }));
    expect(fixed.status).toBe(422);
    expect(fixed.body.code).toBe("slug_fixed");
  });
});

// ---- limits ------------------------------------------------------------------------------------

describe("bad input", () => {
  let editor: User;
  let articleId: string;
  beforeAll(async () => {
    editor = await signUp("limits-editor", "editor");
    articleId = (await createOk(editor, documentOf({ en: uniqueTitle("Limits"), ja: "上限" }))).id;
  });

  it("refuses more than 2 MB of text in one language (413) and takes exactly 2 MB", async () => {
    const MB2 = 2 * 1024 * 1024;
    const chunk = "x".repeat(MB2 / 4);
    const exact = documentOf({ en: "Big", rows: [[chunk, ""], [chunk, ""], [chunk, ""], [chunk, ""]] });
    expect((await save(editor, articleId, 1, exact)).status).toBe(200);
    const over = documentOf({ en: "Big", rows: [[chunk, ""], [chunk, ""], [chunk, ""], [`${chunk}y`, ""]] });
    const refused = await save(editor, articleId, 2, over, "ja");
    expect(refused.status).toBe(413);
    expect(refused.body).toMatchObject({ ok: false, code: "too_large", message: ja.AuthoringApi.errors.textTooLarge });
    // Japanese counts bytes (3 per character), not characters.
    const jaChunk = "あ".repeat(Math.floor(MB2 / 3) + 1);
    expect((await save(editor, articleId, 2, documentOf({ ja: "大", rows: [["", jaChunk]] }))).status).toBe(413);
  });

  it("refuses 2,001 rows and takes 2,000", async () => {
    const rows = (n: number): Rows => Array.from({ length: n }, (_, i) => [`Row ${i}.`, `行${i}。`]);
    const { version } = (await getArticle(editor, articleId)).body.draft;
    expect((await save(editor, articleId, version, documentOf({ en: "Many", ja: "多", rows: rows(2000) }))).status).toBe(200);
    const refused = await save(editor, articleId, version + 1, documentOf({ en: "Many", ja: "多", rows: rows(2001) }));
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: "validation", message: en.AuthoringApi.errors.tooManyRows });
  });

  it("refuses control characters (a newline inside a paragraph too) and says where", async () => {
    const { version } = (await getArticle(editor, articleId)).body.draft;
    for (const bad of ["line\nbreak", "tab\there", "bell\u0007", "c1\u0085", "sep\u2028"]) {
      const refused = await save(editor, articleId, version, documentOf({ en: "Ctl", ja: "制御", rows: [["fine", "良"], [bad, "良"]] }));
      expect(refused.status, bad).toBe(422);
      expect(refused.body.message).toBe(en.AuthoringApi.errors.controlCharacters);
      expect(refused.body.issues).toEqual([{ path: "rows.1.text.en", message: en.AuthoringApi.errors.controlCharacters }]);
    }
    const inTitle = await save(editor, articleId, version, documentOf({ en: "A\rtitle" }));
    expect(inTitle.body.issues[0].path).toBe("meta.translations.en.title");
    // NUL never reaches the schema: the pipeline refuses it first.
    expect((await save(editor, articleId, version, documentOf({ en: "nul\u0000" }))).status).toBe(422);
  });

  it("refuses bad metadata: a javascript: source link, an impossible date, a bad tag, an unknown field", async () => {
    const { version } = (await getArticle(editor, articleId)).body.draft;
    const base = documentOf({ en: "Meta" });
    const cases: [ArticleDocument, string][] = [
      [{ ...base, meta: { ...base.meta, sourceUrl: "javascript:alert(1)" } }, "meta.sourceUrl"],
      [{ ...base, meta: { ...base.meta, publishedAt: "2026-02-31" } }, "meta.publishedAt"],
      [{ ...base, meta: { ...base.meta, tags: ["Not A Tag"] } }, "meta.tags.0"],
      [{ ...base, meta: { ...base.meta, slug: "Bad Slug" } }, "meta.slug"],
      [{ ...base, meta: { ...base.meta, translations: { en: { title: "t".repeat(501), summary: "" } } } }, "meta.translations.en.title"],
      [{ ...base, rows: [{ heading: false, text: { en: "x" }, status: "published" } as never] }, "rows.0"],
    ];
    for (const [document, path] of cases) {
      const refused = await save(editor, articleId, version, document);
      expect(refused.status, path).toBe(422);
      expect(refused.body.issues[0].path, path).toBe(path);
    }
    expect((await save(editor, articleId, version, { ...base, meta: { ...base.meta, sourceUrl: "https://example.com/a" } })).status).toBe(200);
  });
});

// ---- uploads -----------------------------------------------------------------------------------

describe("convert", () => {
  let writer: User;
  beforeAll(async () => {
    writer = await signUp("converter", "editor");
  });

  it("turns HTML into text rows, dropping scripts, iframes and event handlers", async () => {
    const html = `<h1>Title</h1><p onclick="steal()">Hello <script>alert(1)</script>world</p><iframe src="https://evil.example"></iframe><h2>Part</h2><p>End</p>`;
    const { status, body } = await convert(writer, { filename: "page.html", type: "text/html", text: html, locale: "en" });
    expect(status).toBe(200);
    expect(body).toEqual({
      ok: true,
      title: "Title",
      rows: [
        { heading: false, text: "Hello world" },
        { heading: true, text: "Part" },
        { heading: false, text: "End" },
      ],
    });
  });

  it("reads Markdown and plain text", async () => {
    const md = await convert(writer, { filename: "a.md", type: "", text: "# T\n\nOne\ntwo.\n\n## H\n\n- item", locale: "en" });
    expect(md.body).toMatchObject({ title: "T", rows: [{ heading: false, text: "One two." }, { heading: true, text: "H" }, { heading: false, text: "item" }] });
    const txt = await convert(writer, { filename: "a.txt", type: "text/plain", text: "# 題\n\n一行目\n二行目\n\n次。", locale: "ja" });
    expect(txt.body).toMatchObject({ title: "題", rows: [{ heading: false, text: "一行目二行目" }, { heading: false, text: "次。" }] });
  });

  it("refuses a file of the wrong type with 415 and a localized message", async () => {
    for (const [filename, type] of [["photo.png", "image/png"], ["notes.docx", ""], ["page.html", "image/png"], ["noextension", "text/plain"], ["a.txt", "text/html"]]) {
      const refused = await convert(writer, { filename, type, text: "x", locale: "en" }, "ja");
      expect(refused.status, filename).toBe(415);
      expect(refused.body).toMatchObject({ ok: false, code: "unsupported_media_type", message: ja.AuthoringApi.errors.wrongFileType });
    }
  });

  it("refuses control characters, too many paragraphs and too much text", async () => {
    expect((await convert(writer, { filename: "a.txt", type: "", text: "bad\u0007bell", locale: "en" })).status).toBe(422);
    // Tabs, form feeds and CRLF are whitespace a text file may hold.
    expect((await convert(writer, { filename: "a.txt", type: "", text: "a\tb\f\r\n\r\nc", locale: "en" })).body.rows).toEqual([
      { heading: false, text: "a b" },
      { heading: false, text: "c" },
    ]);
    const many = Array.from({ length: 2001 }, (_, i) => `p${i}`).join("\n\n");
    expect((await convert(writer, { filename: "a.txt", type: "", text: many, locale: "en" })).status).toBe(422);
    const big = "y".repeat(2 * 1024 * 1024 + 1);
    const tooBig = await convert(writer, { filename: "a.txt", type: "", text: big, locale: "en" });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.message).toBe(en.AuthoringApi.errors.textTooLarge);
  });
});

// ---- publishing --------------------------------------------------------------------------------

describe("publish, unpublish", () => {
  let editor: User;
  let reader: User;
  beforeAll(async () => {
    editor = await signUp("publisher", "editor");
    reader = await signUp("reader");
  });

  it("refuses a misaligned draft with the problems, then publishes it once fixed: readers see it at once", async () => {
    const title = uniqueTitle("Aligned story");
    const misaligned = documentOf({ en: title, ja: "揃った話", rows: [["One.", "一。"], ["Two.", ""], ["", "二。"]] });
    const { id, slug } = await createOk(editor, misaligned);
    const refused = await publish(editor, id, 1, "", "ja");
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe("misaligned");
    expect(refused.body.problems).toEqual(
      expect.arrayContaining([
        { kind: "emptyCell", row: 1, locale: "ja" },
        { kind: "emptyCell", row: 2, locale: "en" },
      ]),
    );
    expect(await articlesData.getReaderArticle(slug)).toBeNull();
    expect((await articlesData.listPublicArticles()).some((a) => a.slug === slug)).toBe(false);
    expect(await searchSlugs(title)).toEqual([]);

    const fixed = documentOf({ en: title, ja: "揃った話", rows: [["One.", "一。"], ["Two.", "二。"]] });
    expect((await save(editor, id, 1, fixed)).status).toBe(200);
    revalidateTag.mockClear();
    const published = await publish(editor, id, 2, "First version");
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    expect(published.body).toMatchObject({ ok: true, revision: 1, slug, stats: { changed: true, added: 2 } });
    expect(revalidateTag).toHaveBeenCalledWith("articles", { expire: 0 });
    expect(revalidateTag).toHaveBeenCalledWith(`article:${slug}`, { expire: 0 });
    expect(revalidateTag).toHaveBeenCalledWith(`notes:${id}`, { expire: 0 });

    const article = await prisma.article.findUniqueOrThrow({ where: { id }, include: { draft: true, revisions: true } });
    expect(article).toMatchObject({ status: "published", revision: 1, draft: null });
    expect(article.firstPublishedAt).toBeInstanceOf(Date);
    expect(article.revisions).toMatchObject([{ number: 1, authorId: editor.id, summary: "First version" }]);
    const live = await articlesData.getReaderArticle(slug);
    expect(live?.paragraphs.map((p) => p.text)).toEqual([
      { en: "One.", ja: "一。" },
      { en: "Two.", ja: "二。" },
    ]);
    expect((await articlesData.listPublicArticles()).some((a) => a.slug === slug)).toBe(true);
    expect(await searchSlugs(title)).toEqual([slug]);
  });

  it("unpublishing hides the article from readers (404) and keeps its text, revisions and notes; republishing shows it again", async () => {
    const title = uniqueTitle("Kept story");
    const { id, slug } = await createOk(editor, documentOf({ en: title, ja: "残る話" }));
    expect((await publish(editor, id, 1)).status).toBe(200);
    const paragraph = await prisma.paragraph.findFirstOrThrow({ where: { articleId: id, position: 1 } });
    const note = await call(
      notesApi.postNote(
        request("POST", "/api/notes", {
          user: reader,
          body: { paragraphId: paragraph.id, locale: "en", kind: "comment", visibility: "public", body: "A note that must survive", idempotencyKey: randomUUID() },
        }),
      ),
    );
    expect(note.status, JSON.stringify(note.body)).toBe(201);
    const before = await prisma.article.findUniqueOrThrow({
      where: { id },
      select: { translations: true, paragraphs: { include: { texts: true } }, notes: true, revisions: true, firstPublishedAt: true },
    });

    revalidateTag.mockClear();
    expect((await unpublish(editor, id)).body).toEqual({ ok: true, status: "unpublished" });
    expect(revalidateTag).toHaveBeenCalledWith(`article:${slug}`, { expire: 0 });
    expect(await articlesData.getReaderArticle(slug)).toBeNull();
    expect((await articlesData.listPublicArticles()).some((a) => a.slug === slug)).toBe(false);
    expect(await searchSlugs(title)).toEqual([]);
    const after = await prisma.article.findUniqueOrThrow({
      where: { id },
      select: { translations: true, paragraphs: { include: { texts: true } }, notes: true, revisions: true, firstPublishedAt: true },
    });
    expect(after).toEqual(before);
    expect(after.notes).toHaveLength(1);

    // The editor still has it, and republishing the live text (version 0, no draft) shows it again.
    expect((await getArticle(editor, id)).body.article.status).toBe("unpublished");
    const again = await publish(editor, id, 0, "Back");
    expect(again.status).toBe(200);
    expect(again.body.stats.changed).toBe(false);
    expect(await articlesData.getReaderArticle(slug)).not.toBeNull();
    expect((await prisma.article.findUniqueOrThrow({ where: { id } })).firstPublishedAt).toEqual(before.firstPublishedAt);
  });

  it("an edit of the published text keeps paragraph keys and makes a revision", async () => {
    const { id } = await createOk(editor, documentOf({ en: uniqueTitle("Revised story"), ja: "改訂" }));
    expect((await publish(editor, id, 1)).status).toBe(200);
    const live = (await getArticle(editor, id)).body.draft;
    const document = live.document as ArticleDocument;
    const inserted: ArticleDocument = {
      ...document,
      rows: [{ heading: true, text: { en: "A new heading", ja: "新しい見出し" } }, ...document.rows],
    };
    expect((await save(editor, id, 0, inserted)).status).toBe(200);
    const published = await publish(editor, id, 1, "Heading at the top");
    expect(published.body).toMatchObject({ revision: 2, stats: { kept: 2, added: 1, removed: 0 } });
    const paragraphs = await prisma.paragraph.findMany({ where: { articleId: id, position: { gt: 0 } }, orderBy: { position: "asc" } });
    expect(paragraphs.map((p) => [p.key, p.heading])).toEqual([
      ["p-3", true],
      ["p-1", false],
      ["p-2", false],
    ]);
  });

  it("readers get the heading flag, the byline and the rights note of what was published", async () => {
    const base = documentOf({ en: uniqueTitle("Credited story"), ja: "出典つき" });
    const document: ArticleDocument = {
      meta: { ...base.meta, author: "Aiko Tanaka", rightsNote: "© Kyodo News, quoted for study" },
      rows: [{ heading: true, text: { en: "Background", ja: "背景" } }, ...base.rows],
    };
    const { id, slug } = await createOk(editor, document);
    expect((await publish(editor, id, 1)).status).toBe(200);
    const live = await articlesData.getReaderArticle(slug);
    expect(live).toMatchObject({ author: "Aiko Tanaka", rightsNote: "© Kyodo News, quoted for study" });
    expect(live?.paragraphs.map((p) => p.heading)).toEqual([true, false, false]);
  });
});
