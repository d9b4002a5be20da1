import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { validateAnnotationCollection } from "@/lib/annotations/web-annotation";
import { codePointLength, sliceCodePoints } from "@/lib/text/code-points";
import { createAppTestDatabase } from "@/lib/testing/test-database";
import { signUpTestUser, type TestUser } from "@/lib/testing/test-users";

// The issue's "take your notes out and bring them back": notes written through the notes API,
// exported with GET /api/export?format=jsonld, imported with POST /api/import by ANOTHER user into
// a FRESH database (another server with the same article) — the same notes land on the same
// words: same paragraph keys, quotes, code-point positions, bodies, tags and threads. A second
// import of the same file adds nothing.

vi.mock("next/cache", () => ({ unstable_cache: <T>(fn: T) => fn, revalidateTag: vi.fn() }));

const SLUG = "japan-patriot-missile-export";

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;
type Db = Awaited<ReturnType<typeof createAppTestDatabase>>;

/** What must survive the trip, per note: keyed by the IRI the export gave it. */
type Shape = {
  paragraphKey: string;
  locale: string;
  kind: string;
  body: string;
  tag: string | null;
  quote: [string | null, string | null, string | null, number | null, number | null];
  parentIri: string | null;
  depth: number;
};

const dbs: Db[] = [];
let exported = "";
let originals = new Map<string, Shape>();

async function call(handler: Handler, method: string, path: string, user: TestUser, body?: unknown, contentType = "application/json") {
  const headers: Record<string, string> = { host: "localhost", "x-ui-locale": "en", cookie: user.cookie };
  if (body !== undefined) headers["content-type"] = contentType;
  const request = new Request(`http://localhost${path}`, { method, headers, body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body) });
  return handler(request, { params: Promise.resolve({}) });
}

async function prismaClient() {
  return (await import("@/lib/db/prisma")).getPrisma();
}

/** Snapshot of a user's notes in the current database, keyed by the IRI they are known by. */
async function shapes(authorId: string, iriOf: (note: { id: string; via: string | null }) => string): Promise<Map<string, Shape>> {
  const prisma = await prismaClient();
  const notes = await prisma.note.findMany({ where: { authorId }, include: { paragraph: { select: { key: true } } } });
  const byId = new Map(notes.map((n) => [n.id, n]));
  return new Map(
    notes.map((n) => [
      iriOf(n),
      {
        paragraphKey: n.paragraph.key,
        locale: n.locale,
        kind: n.kind,
        body: n.body,
        tag: n.tag,
        quote: [n.quoteExact, n.quotePrefix, n.quoteSuffix, n.posStart, n.posEnd],
        parentIri: n.parentId ? iriOf(byId.get(n.parentId)!) : null,
        depth: n.depth,
      },
    ]),
  );
}

beforeAll(async () => {
  // ---- server 1: Aiko writes notes and exports them ------------------------------------------
  dbs.push(await createAppTestDatabase("roundtrip1"));
  const prisma = await prismaClient();
  const notesRoute = (await import("@/app/api/notes/route")) as unknown as Record<string, Handler>;
  const exportRoute = (await import("@/app/api/export/route")) as unknown as Record<string, Handler>;
  const aiko = await signUpTestUser("roundtrip-aiko");
  const article = await prisma.article.findUniqueOrThrow({
    where: { slug: SLUG },
    select: { paragraphs: { where: { position: { gt: 0 } }, orderBy: { position: "asc" }, select: { id: true, key: true, texts: true } } },
  });
  const text = (index: number, locale: string) => article.paragraphs[index]!.texts.find((t) => t.locale === locale)!.text;
  const range = (index: number, locale: string, words: string) => {
    const full = text(index, locale);
    const start = codePointLength(full.slice(0, full.indexOf(words)));
    return { start, end: start + codePointLength(words), exact: words };
  };
  const post = async (input: Body) => {
    const response = await call(notesRoute.POST!, "POST", "/api/notes", aiko, { idempotencyKey: randomUUID(), ...input });
    const answer = (await response.json()) as Body;
    expect(answer.ok, JSON.stringify(answer)).toBe(true);
    return answer.note as { id: string };
  };
  const p = (index: number) => article.paragraphs[index]!.id;
  // A passage at the very end of a paragraph (no suffix), one in the middle, Japanese, a comment,
  // a highlight, a question, replies two deep, public and private.
  const lastWords = sliceCodePoints(text(0, "en"), codePointLength(text(0, "en")) - 22);
  const first = await post({ paragraphId: p(0), locale: "en", kind: "annotation", visibility: "private", body: "Policy **shift**.", tag: "insight", range: range(0, "en", "Patriot surface-to-air missiles") });
  await post({ paragraphId: p(0), locale: "en", kind: "annotation", visibility: "public", body: "", tag: "vocabulary", range: { ...range(0, "en", lastWords) } });
  await post({ paragraphId: p(1), locale: "en", kind: "comment", visibility: "private", body: "Who asked, and when?", tag: "question" });
  await post({ paragraphId: p(4), locale: "ja", kind: "annotation", visibility: "private", body: "「第三国」— third country", tag: "vocabulary", range: range(4, "ja", "第三国へ移転しない") });
  await post({ paragraphId: p(1), locale: "en", kind: "annotation", visibility: "private", body: "", range: range(1, "en", "Kyodo News") });
  const reply = await post({ parentId: first.id, locale: "en", body: "Also a first since 2014." });
  await post({ parentId: reply.id, locale: "ja", body: "そうですね。" });

  const response = await call(exportRoute.GET!, "GET", `/api/export?format=jsonld&article=all&scope=mine`, aiko);
  expect(response.status).toBe(200);
  exported = await response.text();
  const { siteUrl } = await import("@/lib/site-url");
  originals = await shapes(aiko.id, (n) => `${siteUrl().origin}/api/annotations/${SLUG}/${n.id}`);
  expect(originals.size).toBe(7);
  await prisma.$disconnect();

  // ---- server 2: a fresh database with the same article --------------------------------------
  const globals = globalThis as { taiyakuPrisma?: unknown; taiyakuAuth?: unknown };
  delete globals.taiyakuPrisma;
  delete globals.taiyakuAuth;
  dbs.push(await createAppTestDatabase("roundtrip2"));
}, 240_000);

afterAll(async () => {
  await (await prismaClient()).$disconnect();
  for (const db of dbs) await db.drop();
});

describe("export → import into a fresh database", () => {
  let ken: TestUser;
  let importRoute: Record<string, Handler>;

  beforeAll(async () => {
    ken = await signUpTestUser("roundtrip-ken");
    importRoute = (await import("@/app/api/import/route")) as unknown as Record<string, Handler>;
  });

  it("the export is a valid W3C collection", () => {
    const collection = JSON.parse(exported) as Body;
    expect(validateAnnotationCollection(collection)).toEqual({ valid: true, errors: [] });
    expect(collection.total).toBe(7);
  });

  it("brings back the same notes on the same words", async () => {
    const response = await call(importRoute.POST!, "POST", "/api/import", ken, exported, "application/ld+json");
    const report = (await response.json()) as Body;
    expect(response.status).toBe(200);
    expect(report).toMatchObject({ ok: true, imported: 7, skipped: [], notAnchored: [], totals: { read: 7 } });
    // The imported notes are known by the IRI they came from (their `via`).
    const imported = await shapes(ken.id, (n) => n.via!);
    expect(imported).toEqual(originals);
    const prisma = await prismaClient();
    const notes = await prisma.note.findMany({ where: { authorId: ken.id } });
    // Ken's own notes now: private by default, whatever Aiko's were.
    expect(new Set(notes.map((n) => n.visibility))).toEqual(new Set(["private"]));
    expect(notes.every((n) => n.clientKey === null && n.articleRevision !== null)).toBe(true);
    // Really another database: Aiko's notes are not in it.
    expect(await prisma.note.count()).toBe(7);
  });

  it("adds nothing when the same file is imported again", async () => {
    const prisma = await prismaClient();
    await prisma.$executeRaw`DELETE FROM rate_limit_bucket WHERE key = ${`import:user:${ken.id}`}`;
    const response = await call(importRoute.POST!, "POST", "/api/import", ken, exported, "application/ld+json");
    const report = (await response.json()) as Body;
    expect(report).toMatchObject({ imported: 0, notAnchored: [], totals: { read: 7, skipped: 7 } });
    expect(report.skipped.every((line: Body) => line.code === "duplicate")).toBe(true);
    expect(await prisma.note.count({ where: { authorId: ken.id } })).toBe(7);
  });
});
