import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createAppTestDatabase } from "@/lib/testing/test-database";
import { signUpTestUser, type TestUser } from "@/lib/testing/test-users";

// POST /api/import (ADR 0031) through its route file, against a throwaway database seeded with the
// real article: a Hypothesis-style export, dedup, the all-or-nothing transaction, malformed files,
// the limits, group targets, tokens and the rate limit. The round trip through an export into a
// fresh database is round-trip.int.test.ts.

vi.mock("next/cache", () => ({ unstable_cache: <T>(fn: T) => fn, revalidateTag: vi.fn() }));

const SLUG = "japan-patriot-missile-export";
const SOURCE_URL = "https://news.example.test/2026/11/japan-patriot-export";
const FIXTURE = readFileSync(path.join(import.meta.dirname, "../../lib/annotations/fixtures/hypothesis-export.jsonld"), "utf8");

type Prisma = ReturnType<typeof import("@/lib/db/prisma").getPrisma>;
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;

let db: Awaited<ReturnType<typeof createAppTestDatabase>>;
let prisma: Prisma;
let importRoute: Record<string, Handler>;
let tokensRoute: Record<string, Handler>;
let articleId: string;
let paragraphs: { id: string; key: string; texts: Record<string, string> }[];

beforeAll(async () => {
  db = await createAppTestDatabase("noteimport");
  prisma = (await import("@/lib/db/prisma")).getPrisma();
  importRoute = (await import("@/app/api/import/route")) as unknown as Record<string, Handler>;
  tokensRoute = (await import("@/app/api/tokens/route")) as unknown as Record<string, Handler>;
  // The article was taken from a news site: annotations made there (Hypothesis) find it by URL.
  const article = await prisma.article.update({
    where: { slug: SLUG },
    data: { sourceUrl: SOURCE_URL },
    select: { id: true, paragraphs: { where: { position: { gt: 0 } }, orderBy: { position: "asc" }, select: { id: true, key: true, texts: true } } },
  });
  articleId = article.id;
  paragraphs = article.paragraphs.map((p) => ({ id: p.id, key: p.key, texts: Object.fromEntries(p.texts.map((t) => [t.locale, t.text])) }));
}, 120_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

// ---- helpers -----------------------------------------------------------------------------------

type Options = { cookie?: string; bearer?: string; query?: string; locale?: "en" | "ja"; contentType?: string; keepBucket?: boolean };

async function importFile(user: TestUser | null, body: unknown, options: Options = {}) {
  if (user && !options.keepBucket) await prisma.$executeRaw`DELETE FROM rate_limit_bucket WHERE key = ${`import:user:${user.id}`}`;
  const headers: Record<string, string> = { host: "localhost", "x-ui-locale": options.locale ?? "en", "content-type": options.contentType ?? "application/ld+json" };
  const cookie = options.cookie ?? (options.bearer === undefined ? user?.cookie : undefined);
  if (cookie) headers.cookie = cookie;
  if (options.bearer !== undefined) headers.authorization = `Bearer ${options.bearer}`;
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const response = await importRoute.POST!(new Request(`http://localhost/api/import${options.query ?? ""}`, { method: "POST", headers, body: text }), {
    params: Promise.resolve({}),
  });
  const answer = await response.text();
  return { status: response.status, headers: response.headers, body: (answer ? JSON.parse(answer) : null) as Body };
}

const notesOf = (user: TestUser) =>
  prisma.note.findMany({ where: { authorId: user.id }, include: { paragraph: { select: { key: true } } }, orderBy: { createdAt: "asc" } });

const paragraphWith = (words: string, locale = "en") => paragraphs.find((p) => p.texts[locale]?.includes(words))!;

/** A minimal annotation of ours on one paragraph's words. */
function annotation(n: number, extra: Body = {}): Body {
  const p = paragraphs[n % paragraphs.length]!;
  const exact = p.texts.en!.slice(0, 24);
  return {
    type: "Annotation",
    id: `https://elsewhere.example/annotations/${n}`,
    body: { type: "TextualBody", value: `Note ${n}`, format: "text/markdown" },
    target: {
      source: `https://elsewhere.example/en/articles/${SLUG}`,
      selector: { type: "FragmentSelector", value: p.key, refinedBy: { type: "TextQuoteSelector", exact } },
    },
    ...extra,
  };
}

// ---- a Hypothesis-style export --------------------------------------------------------------------

describe("a Hypothesis-style JSON-LD export", () => {
  let reader: TestUser;
  let first: Body;

  beforeAll(async () => {
    reader = await signUpTestUser("import-hyp");
    const result = await importFile(reader, FIXTURE);
    expect(result.status).toBe(200);
    first = result.body;
  });

  it("imports what anchors, on the words it quoted, as private notes", async () => {
    expect(first).toMatchObject({ ok: true, imported: 4, totals: { read: 9, skipped: 2, notAnchored: 3 } });
    const notes = await notesOf(reader);
    expect(notes).toHaveLength(4);
    for (const note of notes) {
      expect(note).toMatchObject({ visibility: "private", groupId: null, status: "visible", articleId, clientKey: null, parentId: null, rootId: null, depth: 0 });
      expect(note.articleRevision).toBeGreaterThan(0);
    }
    const byVia = Object.fromEntries(notes.map((n) => [n.via, n]));

    const vocab = byVia["https://hypothes.is/a/hyp-1-vocab"]!;
    const p1 = paragraphWith("Patriot surface-to-air missiles");
    const start = [...p1.texts.en!.slice(0, p1.texts.en!.indexOf("Patriot surface-to-air missiles"))].length;
    expect(vocab).toMatchObject({
      kind: "annotation",
      locale: "en",
      paragraphId: p1.id,
      tag: "vocabulary",
      body: "The PAC-2 system, built in Japan under licence.\n\n#defence-policy",
      quoteExact: "Patriot surface-to-air missiles",
      posStart: start,
      posEnd: start + "Patriot surface-to-air missiles".length,
    });
    // Hypothesis' own time is kept.
    expect(vocab.createdAt.toISOString()).toBe("2026-11-26T08:15:30.123Z");

    expect(byVia["https://hypothes.is/a/hyp-2-highlight"]).toMatchObject({ kind: "annotation", body: "", tag: null, quoteExact: "third countries" });

    const japanese = byVia["https://hypothes.is/a/hyp-6-japanese"]!;
    expect(japanese).toMatchObject({ locale: "ja", quoteExact: "第三国へ移転しない", paragraphId: paragraphWith("第三国へ移転しない", "ja").id });

    // Slightly different words (a typo) still find their passage; the quote is the article's own.
    const typo = byVia["https://hypothes.is/a/hyp-7-typo"]!;
    expect(typo.quoteExact).toMatch(/^According to Kyodo News, citing government sources/);
    expect(typo.body).toBe("The source of the report.");
  });

  it("reports every other annotation with its reason", () => {
    const lines = (list: Body[]) => list.map((l) => [l.index, l.id, l.code]);
    expect(lines(first.notAnchored)).toEqual([
      [3, "https://hypothes.is/a/hyp-3-page-note", "no_fragment_or_quote"],
      [4, "https://hypothes.is/a/hyp-4-elsewhere", "article_not_found"],
      [5, "https://hypothes.is/a/hyp-5-missing-quote", "quote_not_found"],
    ]);
    expect(lines(first.skipped)).toEqual([
      [8, "https://hypothes.is/a/hyp-1-vocab", "duplicate"],
      [9, "https://hypothes.is/a/hyp-9-no-target", "invalid"],
    ]);
    expect(first.notAnchored[1].reason).toBe("Its page is not an article here that you can read.");
    expect(first.skipped[1].reason).toMatch(/^Not a readable Web Annotation: target: missing/);
  });

  it("skips everything when the same file comes again, and reports in the caller's language", async () => {
    const again = await importFile(reader, FIXTURE, { locale: "ja" });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ imported: 0, totals: { read: 9, skipped: 6, notAnchored: 3 } });
    expect(again.body.skipped.filter((l: Body) => l.code === "duplicate")).toHaveLength(5);
    expect(again.body.skipped[0].reason).toBe("取り込み済みです（同じ注釈から作られたメモがあります）。");
    expect(await notesOf(reader)).toHaveLength(4);
  });

  it("finds the article by its source URL spelled with a trailing slash or a fragment", async () => {
    const user = await signUpTestUser("import-hyp-url");
    const quote = { type: "TextQuoteSelector", exact: "third countries" };
    const file = [`${SOURCE_URL}/`, `${SOURCE_URL}#comments`].map((source, i) => ({ type: "Annotation", id: `https://hypothes.is/a/url-${i}`, target: { source, selector: quote } }));
    expect((await importFile(user, file)).body).toMatchObject({ imported: 2, notAnchored: [] });
  });

  it("reads Hypothesis' own export format, threading replies by `references`", async () => {
    const user = await signUpTestUser("import-hyp-native");
    const quote = { type: "TextQuoteSelector", exact: "Patriot surface-to-air missiles" };
    const file = {
      export_date: "2026-11-27T10:00:00Z",
      annotations: [
        { id: "r2", uri: SOURCE_URL, text: "A reply to the reply.", references: ["root1", "r1"], target: [{ source: SOURCE_URL }] },
        { id: "root1", uri: SOURCE_URL, text: "Why now?", tags: ["question"], target: [{ source: SOURCE_URL, selector: [quote] }] },
        { id: "r1", uri: SOURCE_URL, text: "Shortages in the U.S.", references: ["root1"], target: [{ source: SOURCE_URL }] },
        { id: "r9", uri: SOURCE_URL, text: "Its parent is not in the file.", references: ["gone"], target: [{ source: SOURCE_URL }] },
      ],
    };
    const result = await importFile(user, file, { contentType: "application/json" });
    expect(result.body).toMatchObject({ imported: 3, notAnchored: [{ index: 4, code: "parent_missing" }] });
    const notes = await notesOf(user);
    const byVia = Object.fromEntries(notes.map((n) => [n.via, n]));
    const root = byVia["https://hypothes.is/a/root1"]!;
    const r1 = byVia["https://hypothes.is/a/r1"]!;
    const r2 = byVia["https://hypothes.is/a/r2"]!;
    expect(root).toMatchObject({ tag: "question", parentId: null, depth: 0 });
    expect(r1).toMatchObject({ kind: "comment", parentId: root.id, rootId: root.id, depth: 1, paragraphId: root.paragraphId, visibility: "private" });
    expect(r2).toMatchObject({ parentId: r1.id, rootId: root.id, depth: 2, body: "A reply to the reply." });
  });
});

// ---- dedup ------------------------------------------------------------------------------------------

describe("duplicates", () => {
  it("are recognised by id, canonical and via — and by content for annotations without any IRI", async () => {
    const user = await signUpTestUser("import-dedup");
    const anonymous = { ...annotation(1), id: undefined };
    const first = await importFile(user, [annotation(1), { ...annotation(2), canonical: "urn:uuid:7f1d-canonical" }, anonymous]);
    expect(first.body).toMatchObject({ imported: 3 });
    const notes = await notesOf(user);
    const vias = notes.map((n) => n.via ?? "");
    expect(vias).toHaveLength(3);
    expect(vias).toEqual(expect.arrayContaining(["https://elsewhere.example/annotations/1", "urn:uuid:7f1d-canonical"]));
    expect(vias.filter((via) => /^urn:sha256:[0-9a-f]{64}$/.test(via))).toHaveLength(1);
    // A copy of annotation 2 from a third server names its canonical IRI; a copy of 1 names it as `via`.
    const copies = [
      { ...annotation(7), id: "https://third.example/x/2", canonical: "urn:uuid:7f1d-canonical" },
      { ...annotation(8), id: "https://third.example/x/1", via: "https://elsewhere.example/annotations/1" },
      anonymous,
    ];
    const second = await importFile(user, copies);
    expect(second.body).toMatchObject({ imported: 0, totals: { skipped: 3 } });
    expect(second.body.skipped.map((l: Body) => l.code)).toEqual(["duplicate", "duplicate", "duplicate"]);
  });

  it("skips one of my own notes on this server (my export imported back)", async () => {
    const user = await signUpTestUser("import-own");
    const first = await importFile(user, [annotation(3)]);
    expect(first.body.imported).toBe(1);
    const [note] = await notesOf(user);
    const { siteUrl } = await import("@/lib/site-url");
    const mine = { ...annotation(3), id: `${siteUrl().origin}/api/annotations/${SLUG}/${note!.id}` };
    const again = await importFile(user, [mine]);
    expect(again.body).toMatchObject({ imported: 0, skipped: [{ code: "duplicate" }] });
  });
});

// ---- the file as a whole --------------------------------------------------------------------------

describe("malformed files and limits", () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await signUpTestUser("import-malformed");
  });

  it("refuses what is not JSON (400) or not JSON at all (415)", async () => {
    expect((await importFile(user, "{ not json")).status).toBe(400);
    expect((await importFile(user, "<xml/>", { contentType: "application/xml" })).status).toBe(415);
  });

  it("refuses JSON that is not Web Annotations with a localized 422 listing the first problems", async () => {
    const shape = await importFile(user, { hello: "world" });
    expect(shape.status).toBe(422);
    expect(shape.body.code).toBe("validation");
    expect(shape.body.message).toMatch(/^This file is not W3C Web Annotation JSON-LD that can be imported; nothing was imported\./);
    expect(shape.body.errors).toEqual(['type: expected "Annotation", "AnnotationPage" or "AnnotationCollection", an array, or {"items": [...]}']);

    const broken = await importFile(user, Array.from({ length: 8 }, (_, i) => ({ type: "Annotation", id: `https://x.example/${i}` })), { locale: "ja" });
    expect(broken.status).toBe(422);
    expect(broken.body.message).toMatch(/^このファイルは取り込める W3C Web Annotation の JSON-LD ではありません。/);
    expect(broken.body.errors).toHaveLength(5);
    expect(broken.body.errors[0]).toBe("#1: target: missing");

    const truncated = await importFile(user, { type: "AnnotationCollection", total: 5, first: { type: "AnnotationPage", items: [annotation(1)] } });
    expect(truncated.status).toBe(422);
    expect(truncated.body.errors[0]).toMatch(/says 5 annotations but embeds 1/);
    expect(await notesOf(user)).toHaveLength(0);
  });

  it("refuses more than 50,000 annotations and more than 20 MB", async () => {
    const tiny = { type: "Annotation", target: "https://x.example/en/articles/a" };
    const many = await importFile(user, Array.from({ length: 50_001 }, () => tiny));
    expect(many.status).toBe(422);
    expect(many.body.errors).toEqual(["more than 50000 annotations"]);

    const big = JSON.stringify([{ ...annotation(1), padding: "x".repeat(20 * 1024 * 1024) }]);
    const tooLarge = await importFile(user, big);
    expect(tooLarge.status).toBe(413);
    expect(await notesOf(user)).toHaveLength(0);
  });

  it("imports a collection of 5,000 embedded across pages in one go", async () => {
    const items = Array.from({ length: 5_000 }, (_, i) => annotation(10_000 + i));
    const pages = [items.slice(0, 2_000), items.slice(2_000, 4_000), items.slice(4_000)];
    let next: Body | undefined;
    for (const [index, list] of [...pages.entries()].reverse()) next = { type: "AnnotationPage", startIndex: index * 2_000, items: list, ...(next ? { next } : {}) };
    const started = Date.now();
    const result = await importFile(user, { "@context": "http://www.w3.org/ns/anno.jsonld", type: "AnnotationCollection", total: 5_000, first: next });
    expect(result.body).toMatchObject({ ok: true, imported: 5_000 });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(await prisma.note.count({ where: { authorId: user.id } })).toBe(5_000);
  });
});

describe("all or nothing", () => {
  it("leaves nothing behind when the transaction fails midway", async () => {
    const user = await signUpTestUser("import-atomic");
    // A database-side failure on the 2,400th row: after the first INSERT batch (2,000 rows) went in.
    await prisma.$executeRawUnsafe(`
      CREATE FUNCTION import_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.body = 'BOOM' THEN RAISE EXCEPTION 'refused for the test'; END IF; RETURN NEW; END $$`);
    await prisma.$executeRawUnsafe(`CREATE TRIGGER import_test_refuse BEFORE INSERT ON note FOR EACH ROW EXECUTE FUNCTION import_test_refuse()`);
    try {
      const items = Array.from({ length: 2_500 }, (_, i) => annotation(20_000 + i, i === 2_399 ? { body: { type: "TextualBody", value: "BOOM" } } : {}));
      const result = await importFile(user, items);
      expect(result.status).toBe(500);
      expect(await prisma.note.count({ where: { authorId: user.id } })).toBe(0);
    } finally {
      await prisma.$executeRawUnsafe(`DROP TRIGGER import_test_refuse ON note`);
      await prisma.$executeRawUnsafe(`DROP FUNCTION import_test_refuse()`);
    }
    // The same file imports once the failure is gone: nothing of the failed attempt was kept.
    const items = Array.from({ length: 2_500 }, (_, i) => annotation(20_000 + i));
    expect((await importFile(user, items)).body).toMatchObject({ imported: 2_500 });
  });
});

// ---- who, where, how often -------------------------------------------------------------------------

describe("targets, credentials and limits", () => {
  let owner: TestUser;
  let member: TestUser;
  let outsider: TestUser;
  let groupId: string;
  let moderatedId: string;

  beforeAll(async () => {
    [owner, member, outsider] = await Promise.all([signUpTestUser("import-owner"), signUpTestUser("import-member"), signUpTestUser("import-outsider")]);
    groupId = (await prisma.group.create({ data: { name: "Import circle", createdById: owner.id } })).id;
    moderatedId = (await prisma.group.create({ data: { name: "Moderated circle", createdById: owner.id, preModeration: true } })).id;
    await prisma.groupMember.createMany({
      data: [
        { groupId, userId: owner.id, role: "owner" },
        { groupId, userId: member.id, role: "member" },
        { groupId: moderatedId, userId: owner.id, role: "owner" },
        { groupId: moderatedId, userId: member.id, role: "member" },
      ],
    });
  });

  it("imports into a group the caller belongs to, as group notes", async () => {
    const result = await importFile(member, [annotation(30, { "taiyaku:visibility": "public" })], { query: `?group=${groupId}` });
    expect(result.body).toMatchObject({ imported: 1 });
    const [note] = await notesOf(member);
    expect(note).toMatchObject({ visibility: "group", groupId, status: "visible" });
  });

  it("holds a plain member's imports for approval in a pre-moderated group", async () => {
    await importFile(member, [annotation(31)], { query: `?group=${moderatedId}` });
    await importFile(owner, [annotation(31)], { query: `?group=${moderatedId}` });
    expect(await prisma.note.findFirst({ where: { authorId: member.id, groupId: moderatedId } })).toMatchObject({ status: "pending" });
    expect(await prisma.note.findFirst({ where: { authorId: owner.id, groupId: moderatedId } })).toMatchObject({ status: "visible" });
  });

  it("answers 404 for a group the caller is not in, a deleted group or no group at all", async () => {
    const deleted = (await prisma.group.create({ data: { name: "Gone", createdById: owner.id, deletedAt: new Date() } })).id;
    await prisma.groupMember.create({ data: { groupId: deleted, userId: outsider.id, role: "owner" } });
    for (const target of [groupId, deleted, randomUUID()]) {
      const result = await importFile(outsider, [annotation(32)], { query: `?group=${target}` });
      expect(result.status).toBe(404);
    }
    expect((await importFile(outsider, [annotation(32)], { query: "?group=not-a-uuid" })).status).toBe(422);
    expect(await notesOf(outsider)).toHaveLength(0);
  });

  it("with REQUIRE_VERIFIED_EMAIL, imports into a group only from a confirmed address (private always)", async () => {
    const user = await signUpTestUser("import-unverified");
    await prisma.groupMember.create({ data: { groupId, userId: user.id, role: "member" } });
    const before = process.env.REQUIRE_VERIFIED_EMAIL;
    process.env.REQUIRE_VERIFIED_EMAIL = "true";
    try {
      const refused = await importFile(user, [annotation(35)], { query: `?group=${groupId}` });
      expect(refused.status).toBe(422);
      expect(refused.body.message).toMatch(/^Confirm your email address to import notes into a group/);
      expect(await notesOf(user)).toHaveLength(0);
      expect((await importFile(user, [annotation(35)])).body).toMatchObject({ imported: 1 });
      await prisma.user.update({ where: { id: user.id }, data: { emailVerified: true } });
      expect((await importFile(user, [annotation(36)], { query: `?group=${groupId}` })).body).toMatchObject({ imported: 1 });
    } finally {
      if (before === undefined) delete process.env.REQUIRE_VERIFIED_EMAIL;
      else process.env.REQUIRE_VERIFIED_EMAIL = before;
    }
  });

  it("keeps a reply out of a thread with another audience", async () => {
    const user = await signUpTestUser("import-audience");
    await prisma.groupMember.create({ data: { groupId, userId: user.id, role: "member" } });
    await importFile(user, [annotation(40)]);
    const reply = { type: "Annotation", id: "https://elsewhere.example/annotations/40-reply", motivation: "replying", body: { type: "TextualBody", value: "Me again" }, target: "https://elsewhere.example/annotations/40" };
    const result = await importFile(user, [reply], { query: `?group=${groupId}` });
    expect(result.body).toMatchObject({ imported: 0, notAnchored: [{ code: "parent_other_visibility" }] });
    const same = await importFile(user, [reply]);
    expect(same.body).toMatchObject({ imported: 1 });
  });

  it("needs credentials: 401 with a Bearer challenge, write scope for tokens", async () => {
    const anonymous = await importFile(null, [annotation(50)]);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer/);

    const user = await signUpTestUser("import-token");
    const mint = async (scopes: string[]) => {
      const response = await tokensRoute.POST!(
        new Request("http://localhost/api/tokens", {
          method: "POST",
          headers: { host: "localhost", cookie: user.cookie, "content-type": "application/json" },
          body: JSON.stringify({ name: "importer", scopes, expiresInDays: 30 }),
        }),
        { params: Promise.resolve({}) },
      );
      return ((await response.json()) as { token: string }).token;
    };
    const readOnly = await mint(["read"]);
    expect((await importFile(user, [annotation(50)], { bearer: readOnly })).status).toBe(403);
    const writer = await mint(["write"]);
    const result = await importFile(user, [annotation(50)], { bearer: writer });
    expect(result.status).toBe(200);
    expect(result.headers.get("access-control-allow-origin")).toBe("*");
    expect(await notesOf(user)).toHaveLength(1);
  });

  it("allows one import at a time per user (two in a burst, then 429)", async () => {
    const user = await signUpTestUser("import-rate");
    expect((await importFile(user, [annotation(60)])).status).toBe(200);
    expect((await importFile(user, [annotation(61)], { keepBucket: true })).status).toBe(200);
    const third = await importFile(user, [annotation(62)], { keepBucket: true });
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
