import { createHash, randomUUID } from "node:crypto";
import { unzipSync, strFromU8 } from "fflate";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { validateAnnotationCollection, validateAnnotationPage, validateWebAnnotation } from "@/lib/annotations/web-annotation";
import { createAppTestDatabase } from "@/lib/testing/test-database";
import { signUpTestUser, type TestUser } from "@/lib/testing/test-users";

// GET /api/export (ADR 0030) through its route file, against a throwaway PostgreSQL database
// seeded with the real article: who gets which notes (cookie and token), every format's shape,
// JSON-LD validity against the W3C MUST schemas, and that the body is streamed batch by batch.

vi.mock("next/cache", () => ({ unstable_cache: <T>(fn: T) => fn, revalidateTag: vi.fn() }));

const SLUG = "japan-patriot-missile-export";
const OTHER_SLUG = `export-second-${randomUUID().slice(0, 8)}`;

type Prisma = ReturnType<typeof import("@/lib/db/prisma").getPrisma>;
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

let db: Awaited<ReturnType<typeof createAppTestDatabase>>;
let prisma: Prisma;
let route: Record<string, Handler>;
let tokens: Record<string, Handler>;
let articleId: string;
let paragraphs: { id: string; key: string; position: number; en: string }[];
let otherArticleId: string;
let otherParagraphId: string;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;
let groupId: string;
let leftGroupId: string;
/** label → note id, for the matrix. */
const ids: Record<string, string> = {};

beforeAll(async () => {
  db = await createAppTestDatabase("export");
  prisma = (await import("@/lib/db/prisma")).getPrisma();
  route = (await import("@/app/api/export/route")) as unknown as Record<string, Handler>;
  tokens = (await import("@/app/api/tokens/route")) as unknown as Record<string, Handler>;
  const article = await prisma.article.findUniqueOrThrow({
    where: { slug: SLUG },
    select: { id: true, paragraphs: { where: { position: { gt: 0 } }, orderBy: { position: "asc" }, take: 3, select: { id: true, key: true, position: true, texts: { where: { locale: "en" }, select: { text: true } } } } },
  });
  articleId = article.id;
  paragraphs = article.paragraphs.map((p) => ({ id: p.id, key: p.key, position: p.position, en: p.texts[0]!.text }));
  alice = await signUpTestUser("export-alice");
  bob = await signUpTestUser("export-bob");
  carol = await signUpTestUser("export-carol");

  const sha = (text: string) => createHash("sha256").update(text).digest("hex");
  const other = await prisma.article.create({
    data: {
      slug: OTHER_SLUG,
      status: "published",
      originalLocale: "ja",
      source: "Test source",
      publishedAt: new Date("2026-11-01"),
      firstPublishedAt: new Date(),
      translations: { create: [{ locale: "ja", title: "二つ目の記事", summary: "S", contentHash: sha(OTHER_SLUG) }] },
      paragraphs: { create: [{ key: "p-1", position: 1, texts: { create: [{ locale: "ja", text: "日本語の段落です。", contentHash: sha(`${OTHER_SLUG}1`) }] } }] },
    },
    select: { id: true, paragraphs: { select: { id: true } } },
  });
  otherArticleId = other.id;
  otherParagraphId = other.paragraphs[0]!.id;

  const group = await prisma.group.create({ data: { name: "読書会 Export", createdById: bob.id } });
  groupId = group.id;
  await prisma.groupMember.createMany({ data: [{ groupId, userId: bob.id, role: "owner" }, { groupId, userId: alice.id, role: "member" }] });
  // A group Alice has left: her notes there are the group's, no longer hers to see.
  const left = await prisma.group.create({ data: { name: "Left group", createdById: bob.id } });
  leftGroupId = left.id;
  await prisma.groupMember.create({ data: { groupId: leftGroupId, userId: bob.id, role: "owner" } });

  const p1 = paragraphs[0]!;
  const at = (minutes: number) => new Date(Date.UTC(2026, 10, 1, 9, minutes));
  const note = async (label: string, data: Record<string, unknown>) => {
    const row = await prisma.note.create({
      data: { articleId, paragraphId: p1.id, locale: "en", kind: "comment", visibility: "private", body: label, createdAt: at(Object.keys(ids).length), ...data } as never,
      select: { id: true },
    });
    ids[label] = row.id;
    return row.id;
  };
  const quote = { kind: "annotation", quoteExact: p1.en.slice(0, 12), quotePrefix: "", quoteSuffix: p1.en.slice(12, 20), posStart: 0, posEnd: 12 };
  await note("alice-private", { authorId: alice.id, ...quote, tag: "question" });
  await note("alice-public", { authorId: alice.id, visibility: "public" });
  await note("alice-group", { authorId: alice.id, visibility: "group", groupId });
  await note("alice-left-group", { authorId: alice.id, visibility: "group", groupId: leftGroupId });
  await note("alice-hidden", { authorId: alice.id, visibility: "public", status: "hidden" });
  await note("alice-pending", { authorId: alice.id, visibility: "group", groupId, status: "pending" });
  await note("alice-deleted", { authorId: alice.id, deletedAt: new Date() });
  await note("alice-purged", { authorId: alice.id, body: "", purgedAt: new Date(), deletedAt: new Date() });
  await note("alice-ja", { authorId: alice.id, articleId: otherArticleId, paragraphId: otherParagraphId, locale: "ja", body: "日本語のメモ" });
  await note("bob-public", { authorId: bob.id, visibility: "public" });
  await note("bob-group", { authorId: bob.id, visibility: "group", groupId });
  const bobRoot = ids["bob-group"]!;
  await note("alice-reply-to-bob", { authorId: alice.id, visibility: "group", groupId, parentId: bobRoot, rootId: bobRoot, depth: 1 });
  await note("bob-group-hidden", { authorId: bob.id, visibility: "group", groupId, status: "hidden" });
  await note("bob-group-pending", { authorId: bob.id, visibility: "group", groupId, status: "pending" });
  await note("bob-group-deleted", { authorId: bob.id, visibility: "group", groupId, deletedAt: new Date() });
  await note("bob-private", { authorId: bob.id });
  await note("bob-left-group", { authorId: bob.id, visibility: "group", groupId: leftGroupId });
}, 180_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

// ---- helpers -----------------------------------------------------------------------------------

type Auth = { cookie?: string; bearer?: string; locale?: "en" | "ja" };

function get(query: string, auth: Auth = {}): Promise<Response> {
  const headers: Record<string, string> = { host: "localhost", "x-ui-locale": auth.locale ?? "en" };
  if (auth.cookie) headers.cookie = auth.cookie;
  if (auth.bearer) headers.authorization = `Bearer ${auth.bearer}`;
  return route.GET!(new Request(`http://localhost/api/export?${query}`, { headers }), { params: Promise.resolve({}) });
}

async function token(user: TestUser, scopes: string[]): Promise<string> {
  await prisma.$executeRaw`DELETE FROM rate_limit_bucket WHERE key = ${`tokens:user:${user.id}`}`;
  const response = await tokens.POST!(
    new Request("http://localhost/api/tokens", {
      method: "POST",
      headers: { host: "localhost", origin: "http://localhost", cookie: user.cookie, "content-type": "application/json", "x-ui-locale": "en" },
      body: JSON.stringify({ name: "export", scopes, expiresInDays: 30 }),
    }),
    { params: Promise.resolve({}) },
  );
  expect(response.status).toBe(201);
  return ((await response.json()) as { token: string }).token;
}

/** RFC 4180 parser (enough for our own output): records of cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

async function csvIds(response: Response): Promise<string[]> {
  expect(response.status).toBe(200);
  const rows = parseCsv((await response.text()).replace(/^\uFEFF/, ""));
  const idColumn = rows[0]!.indexOf("Id");
  return rows.slice(1).map((r) => r[idColumn]!);
}

const labelsOf = (noteIds: string[]) => noteIds.map((id) => Object.entries(ids).find(([, v]) => v === id)?.[0] ?? id).sort();

// ---- visibility --------------------------------------------------------------------------------

describe("who gets which notes", () => {
  const mine = ["alice-group", "alice-hidden", "alice-ja", "alice-pending", "alice-private", "alice-public", "alice-reply-to-bob"];

  it("scope=mine: every visibility of the caller's own live notes, never deleted, purged, others' or a left group's", async () => {
    const response = await get("format=csv&article=all&scope=mine", { cookie: alice.cookie });
    expect(response.headers.get("x-export-total")).toBe(String(mine.length));
    expect(labelsOf(await csvIds(response))).toEqual(mine);
  });

  it("the same with a read token; a write-only token is 403, no credentials 401 with a Bearer challenge", async () => {
    const read = await token(alice, ["read"]);
    const response = await get("format=csv&scope=mine", { bearer: read });
    expect(response.headers.get("cache-control")).toMatch(/private/);
    expect(labelsOf(await csvIds(response))).toEqual(mine);

    const writeOnly = await get("format=csv", { bearer: await token(alice, ["write"]) });
    expect(writeOnly.status).toBe(403);
    expect(writeOnly.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
    const anonymous = await get("format=csv");
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toContain("Bearer");
    expect((await get("format=csv", { bearer: "tyk_not-a-real-token-at-all-0000000000000000000" })).status).toBe(401);
  });

  it("scope=group: members get the group's visible notes and their own hidden/pending ones, not others' hidden, pending or deleted", async () => {
    const expected = ["alice-group", "alice-pending", "alice-reply-to-bob", "bob-group"];
    expect(labelsOf(await csvIds(await get(`format=csv&scope=group&group=${groupId}`, { cookie: alice.cookie })))).toEqual(expected);
    const read = await token(alice, ["read"]);
    expect(labelsOf(await csvIds(await get(`format=csv&scope=group&group=${groupId}`, { bearer: read })))).toEqual(expected);
    // Bob (owner) sees his own hidden and pending notes, not Alice's pending one.
    expect(labelsOf(await csvIds(await get(`format=csv&scope=group&group=${groupId}`, { cookie: bob.cookie })))).toEqual([
      "alice-group",
      "alice-reply-to-bob",
      "bob-group",
      "bob-group-hidden",
      "bob-group-pending",
    ]);
  });

  it("non-members, former members, unknown and deleted groups, unreadable articles: 404", async () => {
    for (const [query, user] of [
      [`format=csv&scope=group&group=${groupId}`, carol],
      [`format=csv&scope=group&group=${leftGroupId}`, alice],
      [`format=csv&scope=group&group=${randomUUID()}`, alice],
      ["format=csv&article=no-such-article", alice],
    ] as const) {
      const response = await get(query, { cookie: user.cookie });
      expect(response.status).toBe(404);
    }
    const deleted = await prisma.group.create({ data: { name: "Gone", createdById: alice.id, deletedAt: new Date() } });
    await prisma.groupMember.create({ data: { groupId: deleted.id, userId: alice.id, role: "owner" } });
    expect((await get(`format=csv&scope=group&group=${deleted.id}`, { cookie: alice.cookie })).status).toBe(404);
  });

  it("validates the query in the caller's language", async () => {
    const bad = await get("format=pdf", { cookie: alice.cookie, locale: "ja" });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { message: string }).message).toContain("形式");
    expect((await get("format=csv&scope=group", { cookie: alice.cookie })).status).toBe(422);
    expect((await get(`format=csv&scope=mine&group=${groupId}`, { cookie: alice.cookie })).status).toBe(422);
  });

  it("one article only with article=<slug>", async () => {
    const response = await get(`format=csv&article=${OTHER_SLUG}`, { cookie: alice.cookie });
    expect(labelsOf(await csvIds(response))).toEqual(["alice-ja"]);
  });
});

// ---- formats -----------------------------------------------------------------------------------

describe("formats", () => {
  it("CSV: BOM, Hypothesis columns then ours, RFC 4180 quoting, formula cells neutralised, a good file name", async () => {
    const formula = await prisma.note.create({
      data: { articleId, paragraphId: paragraphs[1]!.id, locale: "en", kind: "comment", visibility: "private", body: '=HYPERLINK("http://evil.example","x"), and more\nline two', authorId: carol.id },
    });
    const response = await get("format=csv", { cookie: carol.cookie });
    expect(response.headers.get("content-type")).toMatch(/^text\/csv; charset=utf-8/);
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="taiyaku-notes-all-mine-\d{4}-\d{2}-\d{2}\.csv"; filename\*=UTF-8''taiyaku-notes-all-mine-/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    expect(text.startsWith("\uFEFFCreated at,Author,Page,URL,Group,Type,Quote,Comment,Tags,Paragraph,Language,Visibility,Id,Parent\r\n")).toBe(true);
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""x""), and more\nline two"`);
    const row = parseCsv(text.slice(1))[1]!;
    expect(row).toEqual([
      formula.createdAt.toISOString(),
      carol.name,
      expect.any(String),
      `http://localhost:${process.env.PORT ?? "3000"}/en/articles/${SLUG}`,
      "",
      "Annotation",
      "",
      `'=HYPERLINK("http://evil.example","x"), and more\nline two`,
      "",
      paragraphs[1]!.key,
      "en",
      "private",
      formula.id,
      "",
    ]);
  });

  it("Readwise: its template's columns, quotes as highlights, a comment highlights its paragraph, replies left out", async () => {
    const response = await get(`format=readwise&scope=group&group=${groupId}`, { cookie: alice.cookie });
    const rows = parseCsv((await response.text()).replace(/^\uFEFF/, ""));
    expect(rows[0]).toEqual(["Highlight", "Title", "Author", "URL", "Note", "Location", "Date"]);
    expect(rows.length - 1).toBe(3); // alice-group, alice-pending, bob-group; the reply is not a highlight
    expect(rows[1]![0]).toBe(paragraphs[0]!.en);
    expect(rows[1]![3]).toMatch(new RegExp(`/en/articles/${SLUG}#${paragraphs[0]!.key}$`));
    expect(rows[1]![5]).toBe(String(paragraphs[0]!.position));
    const mine = parseCsv((await (await get("format=readwise", { cookie: alice.cookie })).text()).replace(/^\uFEFF/, ""));
    const questionRow = mine.find((r) => r[4]?.startsWith(".question"))!;
    expect(questionRow[0]).toBe(paragraphs[0]!.en.slice(0, 12));
  });

  it("Markdown, one article: front matter, quote, link to the paragraph, tags, replies indented under their note", async () => {
    await prisma.note.create({
      data: { articleId, paragraphId: paragraphs[0]!.id, locale: "en", kind: "comment", visibility: "group", groupId, body: "Second-level reply", authorId: bob.id, parentId: ids["alice-reply-to-bob"]!, rootId: ids["bob-group"]!, depth: 2 },
    });
    const response = await get(`format=markdown&article=${SLUG}&scope=group&group=${groupId}`, { cookie: alice.cookie, locale: "ja" });
    expect(response.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    expect(response.headers.get("content-disposition")).toContain(`filename*=UTF-8''taiyaku-notes-${SLUG}-%E8%AA%AD%E6%9B%B8%E4%BC%9A%20Export-`);
    const md = await response.text();
    expect(md).toMatch(/^---\ntitle: ".+"\nurl: "http:\/\/localhost:\d+\/(en|ja)\/articles\/japan-patriot-missile-export"\nsource: ".+"\n/);
    expect(md).toMatch(/\nexported: "\d{4}-\d{2}-\d{2}T[\d:.]+Z"\n---\n/);
    expect(md).toContain(`](http://localhost:${process.env.PORT ?? "3000"}/en/articles/${SLUG}#${paragraphs[0]!.key})`);
    // Bob's thread: his note, Alice's reply as a list item, Bob's answer to it indented further.
    const thread = md.slice(md.indexOf(`taiyaku:note ${ids["bob-group"]}`));
    expect(thread).toMatch(new RegExp(`\\n- <!-- taiyaku:note ${ids["alice-reply-to-bob"]} --> \\*[^\\n]+\\*\\n  alice-reply-to-bob\\n`));
    expect(thread).toMatch(/\n  - <!-- taiyaku:note [0-9a-f-]+ --> \*[^\n]+グループ\*\n    Second-level reply\n/);
  });

  it("Markdown, all articles: a zip with one file per article, Japanese and English notes both; quotes escaped", async () => {
    const response = await get("format=markdown&article=all", { cookie: alice.cookie });
    expect(response.headers.get("content-type")).toBe("application/zip");
    expect(response.headers.get("x-export-articles")).toBe("2");
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual([`${OTHER_SLUG}.md`, `${SLUG}.md`].sort());
    const ja = strFromU8(files[`${OTHER_SLUG}.md`]!);
    expect(ja).toContain('title: "二つ目の記事"');
    expect(ja).toContain("日本語のメモ");
    expect(ja).toContain("日本語 · private");
    const en = strFromU8(files[`${SLUG}.md`]!);
    expect(en).toContain("\n\n#question\n\n");
    expect(en).toContain(`> ${paragraphs[0]!.en.slice(0, 12).replace(/[\\`*_[\]<>#~|!]/g, (c) => `\\${c}`)}`);
  });

  it("JSON-LD: a W3C AnnotationCollection whose embedded pages and annotations all validate", async () => {
    const response = await get("format=jsonld", { cookie: alice.cookie });
    expect(response.headers.get("content-type")).toBe('application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"; charset=utf-8');
    const collection = (await response.json()) as Record<string, unknown>;
    expect(validateAnnotationCollection(collection)).toEqual({ valid: true, errors: [] });
    expect(collection.total).toBe(7);
    const page = collection.first as Record<string, unknown>;
    expect(validateAnnotationPage(page)).toEqual({ valid: true, errors: [] });
    expect(page.partOf).toMatchObject({ id: collection.id, type: "AnnotationCollection" });
    expect(collection.last).toBe(page.id);
    const items = page.items as Record<string, unknown>[];
    expect(items).toHaveLength(7);
    for (const item of items) expect(validateWebAnnotation(item)).toEqual({ valid: true, errors: [] });
    const reply = items.find((i) => String(i.id).endsWith(ids["alice-reply-to-bob"]!))!;
    expect(reply.motivation).toBe("replying");
    expect(reply.target).toBe(`http://localhost:${process.env.PORT ?? "3000"}/api/annotations/${SLUG}/${ids["bob-group"]}`);
  });

  it("JSON-LD with several pages: next/prev chain, startIndex, exact total and last", async () => {
    const { exportedPages, jsonLdExport } = await import("./loaders");
    const until = new Date();
    const plan = {
      format: "jsonld" as const,
      selection: { viewerId: alice.id, scope: "mine" as const, groupId: null, articleId: null, until },
      locale: "en" as const,
      label: "My notes",
      allArticles: true,
      exportedAt: until,
      iri: "http://localhost/api/export?format=jsonld",
      batchSize: 2,
      pageSize: 3,
    };
    let text = "";
    for await (const chunk of jsonLdExport(plan)) text += chunk;
    const collection = JSON.parse(text) as Record<string, unknown>;
    expect(validateAnnotationCollection(collection)).toEqual({ valid: true, errors: [] });
    const seen: string[] = [];
    const byId = new Map(exportedPages(collection).map((p) => [p.id, p]));
    let page = collection.first as Record<string, unknown> | undefined;
    let index = 0;
    while (page) {
      expect(validateAnnotationPage(page)).toEqual({ valid: true, errors: [] });
      expect(page.startIndex).toBe(index * 3);
      expect(page.id).toBe(`${plan.iri}#page-${index}`);
      if (index > 0) expect(page.prev).toBe(`${plan.iri}#page-${index - 1}`);
      for (const item of page.items as Record<string, unknown>[]) seen.push(String(item.id));
      if (!page.next) expect(collection.last).toBe(page.id);
      page = page.next ? byId.get(page.next) : undefined;
      index += 1;
    }
    expect(index).toBe(3);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect(collection.total).toBe(7);
  });

  it("no notes: an empty but valid collection", async () => {
    const fresh = await signUpTestUser("export-empty");
    const collection = (await (await get("format=jsonld", { cookie: fresh.cookie })).json()) as Record<string, unknown>;
    expect(collection.total).toBe(0);
    expect(collection.first).toBeUndefined();
    expect(validateAnnotationCollection(collection)).toEqual({ valid: true, errors: [] });
  });
});

// ---- streaming ---------------------------------------------------------------------------------

describe("streaming", () => {
  it("20,000 notes: counted first, then written batch by batch as the client reads (not buffered)", async () => {
    const volume = await signUpTestUser("export-volume");
    const rows = Array.from({ length: 20_000 }, (_, i) => ({
      articleId,
      paragraphId: paragraphs[i % paragraphs.length]!.id,
      locale: "en",
      kind: "comment" as const,
      visibility: "private" as const,
      body: `Note number ${i}`,
      authorId: volume.id,
      createdAt: new Date(Date.UTC(2026, 0, 1) + i * 1000),
    }));
    for (let i = 0; i < rows.length; i += 5000) await prisma.note.createMany({ data: rows.slice(i, i + 5000) });

    const full = await get("format=csv", { cookie: volume.cookie });
    expect(full.headers.get("x-export-total")).toBe("20000");
    const all = await csvIds(full);
    expect(all).toHaveLength(20_000);
    expect(new Set(all).size).toBe(20_000);

    // Read the first chunk, then delete every note: a stream that had buffered the export would
    // still deliver all 20,000; ours reads each batch when asked, so what follows is (nearly) gone.
    const response = await get("format=csv", { cookie: volume.cookie });
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    await prisma.note.updateMany({ where: { authorId: volume.id }, data: { deletedAt: new Date() } });
    let text = new TextDecoder().decode(first.value);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    const delivered = parseCsv(text.replace(/^\uFEFF/, "")).length - 1;
    expect(delivered).toBeGreaterThan(0);
    expect(delivered).toBeLessThanOrEqual(3 * 500);
  }, 180_000);
});
