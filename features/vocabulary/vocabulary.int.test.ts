import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createAppTestDatabase } from "@/lib/testing/test-database";
import { signUpTestUser, type TestUser } from "@/lib/testing/test-users";

// The vocabulary list (issue 15): a reader's own notes tagged "vocabulary", with the term's
// reading from the stored furigana and its sentence in both languages, and the Anki / CSV files,
// through the route file, against a throwaway database seeded with the real article.

vi.mock("next/cache", () => ({ unstable_cache: <T>(fn: T) => fn, revalidateTag: vi.fn() }));

const SLUG = "japan-patriot-missile-export";
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

let db: Awaited<ReturnType<typeof createAppTestDatabase>>;
let prisma: ReturnType<typeof import("@/lib/db/prisma").getPrisma>;
let notes: Record<string, Handler>;
let exportRoute: Record<string, Handler>;
let data: typeof import("./data");
let p8: { id: string; ja: string; en: string };
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  db = await createAppTestDatabase("vocabulary");
  process.env.SITE_URL = "https://taiyaku.example";
  prisma = (await import("@/lib/db/prisma")).getPrisma();
  notes = (await import("@/app/api/notes/route")) as unknown as Record<string, Handler>;
  exportRoute = (await import("@/app/api/vocabulary/export/route")) as unknown as Record<string, Handler>;
  data = await import("./data");
  const paragraph = await prisma.paragraph.findFirstOrThrow({ where: { key: "p-8", article: { slug: SLUG } }, select: { id: true, texts: { select: { locale: true, text: true } } } });
  p8 = { id: paragraph.id, ja: paragraph.texts.find((t) => t.locale === "ja")!.text, en: paragraph.texts.find((t) => t.locale === "en")!.text };
  alice = await signUpTestUser("vocab-alice");
  bob = await signUpTestUser("vocab-bob");
}, 120_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

async function call(handler: Handler, method: string, path: string, user: TestUser | null, body?: unknown) {
  const headers: Record<string, string> = { host: "localhost", "x-ui-locale": "en" };
  if (user) headers.cookie = user.cookie;
  if (body !== undefined) headers["content-type"] = "application/json";
  return handler(new Request(`http://localhost${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }), { params: Promise.resolve({}) });
}

async function vocabularyNote(user: TestUser, locale: "en" | "ja", exact: string, body: string, extra: Record<string, unknown> = {}) {
  const text = locale === "ja" ? p8.ja : p8.en;
  const at = [...text.slice(0, text.indexOf(exact))].length;
  const response = await call(notes.POST!, "POST", "/api/notes", user, {
    paragraphId: p8.id,
    locale,
    kind: "annotation",
    visibility: "private",
    tag: "vocabulary",
    body,
    range: { start: at, end: at + [...exact].length, exact },
    idempotencyKey: randomUUID(),
    ...extra,
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return ((await response.json()) as { note: { id: string } }).note.id;
}

describe("vocabulary", () => {
  it("lists the reader's own vocabulary notes with reading, meaning and both sentences", async () => {
    await vocabularyNote(alice, "ja", "武器輸出三原則", "Three Principles on Arms Exports");
    await vocabularyNote(alice, "en", "pacifist", "平和主義の");
    // Not vocabulary, someone else's, deleted: none of these are listed.
    await vocabularyNote(alice, "ja", "憲法", "constitution", { tag: "insight" });
    await vocabularyNote(bob, "ja", "制約", "restriction");
    const deleted = await vocabularyNote(alice, "ja", "慎重", "careful");
    await prisma.note.update({ where: { id: deleted }, data: { deletedAt: new Date() } });

    const entries = await data.listVocabulary(alice.id, { sort: "newest" }, "en");
    expect(entries.map((entry) => entry.term)).toEqual(["pacifist", "武器輸出三原則"]);
    const arms = entries.find((entry) => entry.term === "武器輸出三原則")!;
    expect(arms.reading).toBe("ぶきゆしゅつさんげんそく");
    expect(arms.meaning).toBe("Three Principles on Arms Exports");
    expect(arms.sentence).toBe(p8.ja);
    expect(arms.otherSentence).toEqual({ locale: "en", text: p8.en });
    expect(arms.paragraph).toEqual({ key: "p-8", position: 8 });
    const pacifist = entries.find((entry) => entry.term === "pacifist")!;
    expect(pacifist.reading).toBeNull();
    expect(pacifist.otherSentence?.locale).toBe("ja");

    expect((await data.listVocabulary(alice.id, { sort: "newest", lang: "ja" }, "en")).map((e) => e.term)).toEqual(["武器輸出三原則"]);
    expect(await data.listVocabulary(alice.id, { sort: "newest", article: "no-such-article" }, "en")).toEqual([]);
    expect((await data.listVocabulary(bob.id, { sort: "newest" }, "en")).map((e) => e.term)).toEqual(["制約"]);
  });

  it("exports an Anki text file Anki imports: header lines, five tab-separated fields, absolute source links", async () => {
    const response = await call(exportRoute.GET!, "GET", "/api/vocabulary/export?format=anki&sort=term", alice);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(response.headers.get("content-disposition")).toContain("taiyaku-vocabulary.txt");
    const lines = (await response.text()).split("\n").filter(Boolean);
    expect(lines.slice(0, 3)).toEqual(["#separator:tab", "#html:false", "#columns:Front\tBack\tReading\tSentence\tSource"]);
    const cards = lines.slice(3).map((line) => line.split("\t"));
    expect(cards).toHaveLength(2);
    expect(cards.every((fields) => fields.length === 5)).toBe(true);
    const arms = cards.find((fields) => fields[0] === "武器輸出三原則")!;
    expect(arms[2]).toBe("ぶきゆしゅつさんげんそく");
    expect(arms[3]).toBe(`${p8.ja} / ${p8.en}`);
    expect(arms[4]).toBe(`https://taiyaku.example/en/articles/${SLUG}?text=ja#p-8`);
  });

  it("exports CSV with a BOM and a header, and refuses bad formats and strangers", async () => {
    const csv = await call(exportRoute.GET!, "GET", "/api/vocabulary/export?format=csv&lang=en", alice);
    expect(csv.status).toBe(200);
    const bytes = Buffer.from(await csv.arrayBuffer());
    // Response.text() would drop the byte-order mark: read the bytes.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString("utf8");
    expect(text.startsWith("Term,Reading,Meaning,Sentence,Other sentence,Language,Article,URL,Created at\r\n")).toBe(true);
    expect(text.split("\r\n").filter(Boolean)).toHaveLength(2);
    expect(text).toContain("pacifist");

    const refused = await call(exportRoute.GET!, "GET", "/api/vocabulary/export?format=pdf", alice);
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { message: string }).message).toBe("Choose the file format: anki or csv.");
    expect((await call(exportRoute.GET!, "GET", "/api/vocabulary/export?format=anki", null)).status).toBe(401);
  });
});
