import { createHash, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { RevisionSnapshot } from "@/lib/content/article-document";
import { createAppTestDatabase } from "@/lib/testing/test-database";
import { signUpTestUser, type TestUser } from "@/lib/testing/test-users";

// The read side of revisions: the history (ordering, who, the comparison chosen), and "notes
// whose passage changed" (what is listed, to whom, and that such notes are not drawn as
// highlights). States are written directly, as publishing (features/revisions/mutations.ts) would
// leave them, so these tests do not depend on the matching engine.

vi.mock("next/cache", () => ({ unstable_cache: <T>(fn: T) => fn, revalidateTag: vi.fn() }));

let db: Awaited<ReturnType<typeof createAppTestDatabase>>;
let prisma: ReturnType<typeof import("@/lib/db/prisma").getPrisma>;
let data: typeof import("./data");
let loaders: typeof import("./loaders");
let notesData: typeof import("@/features/notes/data");
let readingApi: typeof import("@/features/reading/api");
let notesApi: typeof import("@/features/notes/api");

let editor: TestUser;
let reader: TestUser;
let other: TestUser;
const slug = `history-${randomUUID().slice(0, 8)}`;
let articleId: string;
/** key → paragraph id */
const ids = new Map<string, string>();

const hash = (text: string) => createHash("sha256").update(text).digest("hex");

const meta: RevisionSnapshot["meta"] = {
  slug,
  originalLocale: "en",
  source: "Test Wire",
  publishedAt: "2026-11-01",
  tags: [],
  translations: { en: { title: "A test article", summary: "S" }, ja: { title: "テスト記事", summary: "要約" } },
};

const revision1: RevisionSnapshot = {
  meta,
  paragraphs: [
    { key: "p-1", heading: false, text: { en: "The first paragraph.", ja: "最初の段落。" } },
    { key: "p-2", heading: false, text: { en: "A sentence with a typo hre.", ja: "誤字のある文。" } },
    { key: "p-3", heading: false, text: { en: "This paragraph will go.", ja: "この段落は消える。" } },
  ],
};
const revision2: RevisionSnapshot = {
  meta,
  paragraphs: [
    { key: "p-4", heading: false, text: { en: "A new opening.", ja: "新しい冒頭。" } },
    { key: "p-1", heading: false, text: { en: "The first paragraph.", ja: "最初の段落。" } },
    { key: "p-2", heading: false, text: { en: "A sentence with a typo here.", ja: "誤字のある文。" } },
  ],
};
const revision3: RevisionSnapshot = { meta, paragraphs: [...revision2.paragraphs.slice(0, 2), { ...revision2.paragraphs[2]!, text: { en: "Fixed again.", ja: "再修正。" } }] };

beforeAll(async () => {
  db = await createAppTestDatabase("revision_history");
  prisma = (await import("@/lib/db/prisma")).getPrisma();
  data = await import("./data");
  loaders = await import("./loaders");
  notesData = await import("@/features/notes/data");
  readingApi = await import("@/features/reading/api");
  notesApi = await import("@/features/notes/api");
  [editor, reader, other] = await Promise.all([signUpTestUser("Editor", { unique: true }), signUpTestUser("Reader"), signUpTestUser("Other")]);

  // The live article after revision 3: p-3 was removed by revision 2 (parked at position 0).
  const article = await prisma.article.create({
    data: {
      slug,
      originalLocale: "en",
      source: "Test Wire",
      publishedAt: new Date("2026-11-01"),
      revision: 3,
      translations: {
        create: [
          { locale: "en", title: "A test article", summary: "S", contentHash: hash("en") },
          { locale: "ja", title: "テスト記事", summary: "要約", contentHash: hash("ja") },
        ],
      },
    },
  });
  articleId = article.id;
  const live = revision3.paragraphs.map((p, i) => ({ ...p, position: i + 1, removedInRevision: null as number | null }));
  const parked = { ...revision1.paragraphs[2]!, position: 0, removedInRevision: 2 };
  for (const p of [...live, parked]) {
    const row = await prisma.paragraph.create({
      data: {
        articleId,
        key: p.key,
        position: p.position,
        heading: p.heading,
        removedInRevision: p.removedInRevision,
        texts: { create: Object.entries(p.text).map(([locale, text]) => ({ locale, text: text!, contentHash: hash(text!) })) },
      },
    });
    ids.set(p.key, row.id);
  }
  // Revision 1 by the import (no author), 2 and 3 by the editor; created out of order on purpose.
  for (const [number, snapshot, authorId, summary] of [
    [2, revision2, editor.id, "Insert an opening, fix a typo"],
    [1, revision1, null, ""],
    [3, revision3, editor.id, "Rewrite p-2"],
  ] as const) {
    await prisma.articleRevision.create({
      data: { articleId, number, authorId, summary, snapshot: snapshot as object, createdAt: new Date(Date.UTC(2026, 10, number)) },
    });
  }
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

type NoteInput = {
  author: TestUser;
  key: string;
  body: string;
  visibility?: "public" | "private";
  quote?: string;
  changedIn?: number | null;
  writtenOn?: number | null;
  parentId?: string;
  deleted?: boolean;
};

async function note(input: NoteInput): Promise<string> {
  const row = await prisma.note.create({
    data: {
      articleId,
      paragraphId: ids.get(input.key)!,
      locale: "en",
      authorId: input.author.id,
      kind: input.quote ? "annotation" : "comment",
      visibility: input.visibility ?? "public",
      body: input.body,
      quoteExact: input.quote ?? null,
      quotePrefix: input.quote ? "" : null,
      quoteSuffix: input.quote ? "" : null,
      posStart: input.quote ? 0 : null,
      posEnd: input.quote ? [...input.quote].length : null,
      articleRevision: input.writtenOn ?? null,
      passageChangedAt: input.changedIn ? new Date() : null,
      passageChangedIn: input.changedIn ?? null,
      parentId: input.parentId ?? null,
      rootId: input.parentId ?? null,
      depth: input.parentId ? 1 : 0,
      deletedAt: input.deleted ? new Date() : null,
    },
  });
  return row.id;
}

describe("revision history", () => {
  it("lists revisions newest first, with their author (null for the import) and summary", async () => {
    const revisions = await data.listRevisions(articleId);
    expect(revisions.map((r) => [r.number, r.authorName, r.summary])).toEqual([
      [3, editor.name, "Rewrite p-2"],
      [2, editor.name, "Insert an opening, fix a typo"],
      [1, null, ""],
    ]);
    expect(revisions[0]!.createdAt).toBe(new Date(Date.UTC(2026, 10, 3)).toISOString());
  });

  it("compares the newest revision with the one before it by default", async () => {
    const history = await loaders.loadRevisionHistory(slug, null, {});
    expect(history?.article).toMatchObject({ slug, revision: 3, titles: { en: "A test article", ja: "テスト記事" } });
    expect(history?.comparison).toMatchObject({ state: "diff", from: 2, to: 3 });
    if (history?.comparison.state !== "diff") throw new Error("no diff");
    expect(history.comparison.diff.paragraphs.map((p) => [p.key, p.kind])).toEqual([
      ["p-4", "unchanged"],
      ["p-1", "unchanged"],
      ["p-2", "changed"],
    ]);
  });

  it("compares a chosen pair, in order even when given reversed, in both languages", async () => {
    for (const query of [{ from: "1", to: "2" }, { from: "2", to: "1" }]) {
      const history = await loaders.loadRevisionHistory(slug, null, query);
      if (history?.comparison.state !== "diff") throw new Error("no diff");
      expect([history.comparison.from, history.comparison.to]).toEqual([1, 2]);
      const diff = history.comparison.diff;
      expect(diff.paragraphs.map((p) => [p.key, p.kind])).toEqual([
        ["p-4", "added"],
        ["p-1", "unchanged"],
        ["p-2", "changed"],
        ["p-3", "removed"],
      ]);
      const typo = diff.paragraphs[2]!.locales;
      expect(typo.map((l) => l.locale)).toEqual(["en", "ja"]);
      expect(typo[0]!.parts).toContainEqual({ type: "ins", text: "here" });
      expect(typo[1]!.parts).toEqual([{ type: "same", text: "誤字のある文。" }]);
    }
  });

  it("answers `first` for revision 1 alone, `same` for a pair of one, and the default for nonsense", async () => {
    expect((await loaders.loadRevisionHistory(slug, null, { to: "1" }))?.comparison).toEqual({ state: "first", to: 1 });
    expect((await loaders.loadRevisionHistory(slug, null, { from: "2", to: "2" }))?.comparison).toEqual({ state: "same", to: 2 });
    const odd = await loaders.loadRevisionHistory(slug, null, { from: ["1", "2"], to: "nine" });
    expect(odd?.comparison).toMatchObject({ state: "diff", from: 2, to: 3 });
    expect((await loaders.loadRevisionHistory(slug, null, { to: "99" }))?.comparison).toMatchObject({ from: 2, to: 3 });
  });

  it("is null (404) for an article the viewer may not read, and for odd slugs", async () => {
    const hiddenSlug = `draft-${randomUUID().slice(0, 8)}`;
    await prisma.article.create({ data: { slug: hiddenSlug, status: "draft", originalLocale: "en", source: "S", publishedAt: new Date("2026-11-01") } });
    expect(await loaders.loadRevisionHistory(hiddenSlug, null, {})).toBeNull();
    expect(await loaders.loadRevisionHistory(hiddenSlug, { id: editor.id, role: "admin" }, {})).toBeNull();
    expect(await loaders.loadRevisionHistory("../etc", null, {})).toBeNull();
    expect(await loaders.loadRevisionHistory(slug, { id: reader.id, role: "member" }, {})).not.toBeNull();
  });
});

describe("notes whose passage changed", () => {
  let changed: string;
  let orphanedByRemoval: string;
  let unmarkedOnRemoved: string;
  let untouched: string;
  let othersPrivate: string;
  let ownPrivate: string;

  beforeAll(async () => {
    changed = await note({ author: reader, key: "p-2", body: "About the typo", quote: "typo hre", writtenOn: 1, changedIn: 3 });
    orphanedByRemoval = await note({ author: reader, key: "p-3", body: "On the removed one", quote: "will go", writtenOn: 1, changedIn: 2 });
    // Written before revisions and never marked: listed because its paragraph is parked.
    unmarkedOnRemoved = await note({ author: other, key: "p-3", body: "An old comment" });
    untouched = await note({ author: reader, key: "p-1", body: "Still fine", quote: "first paragraph", writtenOn: 1 });
    othersPrivate = await note({ author: other, key: "p-2", body: "Other's private", visibility: "private", quote: "typo", changedIn: 3 });
    ownPrivate = await note({ author: reader, key: "p-2", body: "My private", visibility: "private", quote: "sentence", changedIn: 3 });
    await note({ author: other, key: "p-2", body: "A reply", parentId: changed, changedIn: 3 });
    await note({ author: other, key: "p-2", body: "Deleted", quote: "with", changedIn: 3, deleted: true });
  });

  it("lists the visible ones with their quote, author and revisions; never replies, deleted notes or untouched ones", async () => {
    const list = await data.listPassageChangedNotes(articleId, null);
    expect(new Set(list.map((n) => n.id))).toEqual(new Set([changed, orphanedByRemoval, unmarkedOnRemoved]));
    const byId = new Map(list.map((n) => [n.id, n]));
    expect(byId.get(changed)).toMatchObject({
      quote: "typo hre",
      body: "About the typo",
      author: { id: reader.id, name: reader.name },
      writtenOn: 1,
      changedIn: 3,
      paragraphKey: "p-2",
      paragraphRemoved: false,
      replyCount: 1,
    });
    expect(byId.get(orphanedByRemoval)).toMatchObject({ writtenOn: 1, changedIn: 2, paragraphKey: "p-3", paragraphRemoved: true });
    // No mark of its own: the revision that removed its paragraph stands in.
    expect(byId.get(unmarkedOnRemoved)).toMatchObject({ writtenOn: null, changedIn: 2, paragraphRemoved: true, quote: null });
    expect(list.some((n) => n.id === untouched)).toBe(false);
  });

  it("follows the notes visibility rule: a private note reaches its author only", async () => {
    const mine = (await data.listPassageChangedNotes(articleId, reader.id)).map((n) => n.id);
    expect(mine).toContain(ownPrivate);
    expect(mine).not.toContain(othersPrivate);
    const theirs = (await data.listPassageChangedNotes(articleId, other.id)).map((n) => n.id);
    expect(theirs).toContain(othersPrivate);
    expect(theirs).not.toContain(ownPrivate);
    expect((await data.listPassageChangedNotes(articleId, null)).map((n) => n.id)).not.toContain(othersPrivate);
  });

  it("comes with the reader state of a signed-in reader", async () => {
    const response = await readingApi.openReading(
      new Request(`http://localhost/api/articles/${slug}/reading`, {
        method: "POST",
        headers: { cookie: reader.cookie, "x-ui-locale": "en", "content-type": "application/json" },
        body: "{}",
      }),
      slug,
    );
    expect(response.status).toBe(200);
    const { state } = (await response.json()) as { state: { passageChanged: { id: string }[] } };
    const listed = state.passageChanged.map((n) => n.id);
    expect(listed).toContain(ownPrivate);
    expect(listed).toContain(changed);
    expect(listed).not.toContain(othersPrivate);
  });

  it("shows them detached in the paragraph's thread, even where their words are still in the text", async () => {
    const stillThere = await note({ author: reader, key: "p-2", body: "Its words recur", quote: "Fixed", changedIn: 3 });
    const response = await notesApi.listNotes(
      new Request(`http://localhost/api/notes?article=${slug}&paragraph=p-2`, { headers: { cookie: reader.cookie, "x-ui-locale": "en" } }),
    );
    expect(response.status).toBe(200);
    const { notes } = (await response.json()) as { notes: { id: string; orphan: boolean; passageChangedIn?: number | null }[] };
    expect(notes.find((n) => n.id === stillThere)).toMatchObject({ orphan: true, passageChangedIn: 3 });
    expect(notes.find((n) => n.id === changed)).toMatchObject({ orphan: true, passageChangedIn: 3 });
  });

  it("never draws them as highlights: their positions no longer mean anything", async () => {
    const rows = await notesData.getHighlightRows(articleId, reader.id, null, "all");
    const drawn = rows.map((h) => h.id);
    expect(drawn).toContain(untouched);
    expect(drawn).not.toContain(changed);
    expect(drawn).not.toContain(ownPrivate);
    expect(drawn).not.toContain(orphanedByRemoval);
  });
});

describe("through publishing (applyDocument)", () => {
  const SLUG2 = `history-applied-${randomUUID().slice(0, 8)}`;
  const rows = {
    a: ["The council met on Monday to discuss the library budget.", "市議会は月曜日に図書館予算を協議した。"],
    b: ["Councillors agreed the reading rooms would stay open late.", "議員らは閲覧室の夜間開館で合意した。"],
    c: ["A final vote is expected at the end of the month.", "最終採決は月末の見通しだ。"],
    top: ["Breaking: the library will lend instruments too.", "速報：図書館は楽器も貸し出す。"],
  } satisfies Record<string, [string, string]>;
  const document = (list: [string, string][]) => ({
    meta: { ...meta, slug: SLUG2 },
    rows: list.map(([en, ja]) => ({ heading: false, text: { en, ja } })),
  });

  it("shows the published revisions' diff and lists the note of a removed paragraph", async () => {
    const { applyDocument } = await import("./mutations");
    const { createNote } = await import("@/features/notes/mutations");
    const article = await prisma.article.create({ data: { slug: SLUG2, originalLocale: "en", source: "Test Wire", publishedAt: new Date("2026-11-01") } });
    const publish = (list: [string, string][], actorId: string | null, summary: string) =>
      prisma.$transaction((tx) => applyDocument(tx, { articleId: article.id, document: document(list), actorId, summary }));
    await publish([rows.a, rows.b, rows.c], null, "Imported");

    const b = await prisma.paragraph.findFirstOrThrow({ where: { articleId: article.id, key: "p-2" } });
    const exact = "reading rooms";
    const start = rows.b[0].indexOf(exact);
    const created = await createNote(reader, {
      paragraphId: b.id,
      locale: "en",
      kind: "annotation",
      visibility: "public",
      body: "Which rooms?",
      tag: null,
      range: { start, end: start + exact.length, exact },
      idempotencyKey: randomUUID(),
    });
    if (!created.ok) throw new Error(JSON.stringify(created));

    // Insert at the top, remove the annotated paragraph, fix the last one.
    const typoFixed: [string, string] = ["A final vote is expected at the end of the month, after a hearing.", rows.c[1]];
    await publish([rows.top, rows.a, typoFixed], editor.id, "Edit");

    const history = await loaders.loadRevisionHistory(SLUG2, null, {});
    expect(history?.revisions.map((r) => [r.number, r.authorName])).toEqual([
      [2, editor.name],
      [1, null],
    ]);
    if (history?.comparison.state !== "diff") throw new Error("no diff");
    expect(history.comparison.diff.paragraphs.map((p) => [p.key, p.kind])).toEqual([
      ["p-4", "added"],
      ["p-1", "unchanged"],
      ["p-2", "removed"],
      ["p-3", "changed"],
    ]);

    const listed = await data.listPassageChangedNotes(article.id, null);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: created.note.id, quote: exact, writtenOn: 1, changedIn: 2, paragraphKey: "p-2", paragraphRemoved: true });
  });
});
