import { randomUUID } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ArticleDocument } from "@/lib/content/article-document";
import { createAppTestDatabase } from "@/lib/testing/test-database";

// Paragraph identity across revisions (ADR 0018), against a real PostgreSQL: publishing matches
// old → new paragraphs by content, so ids and keys survive inserts, deletes, moves, merges,
// splits and typo fixes; notes follow their text or are listed as "passage changed"; none is lost.

vi.mock("next/cache", () => ({ unstable_cache: <T>(fn: T) => fn, revalidateTag: vi.fn() }));

let db: Awaited<ReturnType<typeof createAppTestDatabase>>;
let prisma: ReturnType<typeof import("@/lib/db/prisma").getPrisma>;
let revisions: typeof import("./mutations");
let notes: typeof import("@/features/notes/mutations");
let articleId: string;
let reader: { id: string };

const SLUG = "revision-test-article";
const T = {
  opening: ["The city council met on Monday to discuss the new library budget for next year.", "市議会は月曜日、来年度の新しい図書館予算について協議した。"],
  budget: ["Councillors agreed that the reading rooms would stay open until nine in the evening.", "議員らは、閲覧室を午後九時まで開けておくことで合意した。"],
  critics: ["Some residents said the plan ignored the branch libraries in the northern districts.", "一部の住民は、計画が北部地区の分館を無視していると述べた。"],
  mayor: ["The mayor promised a review in the spring. She also said volunteers would help run the weekend hours.", "市長は春に見直すと約束した。週末の開館は、ボランティアが手伝うとも述べた。"],
  closing: ["A final vote is expected at the end of the month, after a public hearing.", "最終的な採決は、公聴会を経て月末に行われる見通しだ。"],
  top: ["Breaking: the library will also lend musical instruments from April.", "速報：図書館は四月から楽器の貸し出しも始める。"],
} satisfies Record<string, [string, string]>;

function doc(rows: [string, string][]): ArticleDocument {
  return {
    meta: {
      slug: SLUG,
      originalLocale: "en",
      source: "Test Daily",
      publishedAt: "2026-11-01",
      tags: ["local"],
      translations: { en: { title: "Library budget", summary: "The council met." }, ja: { title: "図書館予算", summary: "市議会が協議。", translator: "T. Test" } },
    },
    rows: rows.map(([en, ja]) => ({ heading: false, text: { en, ja } })),
  };
}

const apply = (document: ArticleDocument, summary = "edit") =>
  prisma.$transaction((tx) => revisions.applyDocument(tx, { articleId, document, actorId: null, summary }));

async function live() {
  const rows = await prisma.paragraph.findMany({
    where: { articleId, position: { gt: 0 } },
    orderBy: { position: "asc" },
    select: { id: true, key: true, position: true, texts: { select: { locale: true, text: true } } },
  });
  return rows.map((p) => ({ ...p, en: p.texts.find((t) => t.locale === "en")?.text ?? "", ja: p.texts.find((t) => t.locale === "ja")?.text ?? "" }));
}
const byEn = async (en: string) => (await live()).find((p) => p.en === en)!;

let annotationCount = 0;
async function annotate(paragraphId: string, locale: "en" | "ja", text: string, exact: string) {
  const at = text.indexOf(exact);
  if (at === -1) throw new Error(`"${exact}" not in "${text}"`);
  const start = Array.from(text.slice(0, at)).length;
  const result = await notes.createNote(reader, {
    paragraphId, locale, kind: "annotation", visibility: "public", body: `Note ${++annotationCount}`, tag: "question",
    range: { start, end: start + Array.from(exact).length, exact }, idempotencyKey: randomUUID(),
  });
  if (!result.ok) throw new Error(`annotate: ${JSON.stringify(result)}`);
  return result.note.id;
}

const note = (id: string) => prisma.note.findUniqueOrThrow({ where: { id } });
const slice = (text: string, start: number, end: number) => Array.from(text).slice(start, end).join("");

/** paragraph_note_stats must equal a recount from the note table (the trigger keeps it exact). */
async function expectStatsExact() {
  const stats = await prisma.paragraphNoteStats.findMany({ where: { articleId }, select: { paragraphId: true, publicCount: true, openQuestions: true } });
  const recount = await prisma.$queryRaw<{ paragraph_id: string; count: number; open: number }[]>`
    SELECT paragraph_id::text, count(*)::int AS count,
      (count(*) FILTER (WHERE parent_id IS NULL AND tag = 'question' AND answered_by_id IS NULL))::int AS open
    FROM note WHERE article_id = ${articleId}::uuid AND visibility = 'public' AND status = 'visible' AND deleted_at IS NULL
    GROUP BY paragraph_id`;
  const nonZero = stats.filter((s) => s.publicCount || s.openQuestions).map((s) => [s.paragraphId, s.publicCount, s.openQuestions]);
  expect(nonZero.sort()).toEqual(recount.map((r) => [r.paragraph_id, r.count, r.open]).sort());
}

beforeAll(async () => {
  db = await createAppTestDatabase("revisions");
  prisma = (await import("@/lib/db/prisma")).getPrisma();
  revisions = await import("./mutations");
  notes = await import("@/features/notes/mutations");
  reader = await prisma.user.create({ data: { id: randomUUID(), name: "Reader", email: `reader-${randomUUID()}@example.test` }, select: { id: true } });
  const article = await prisma.article.create({
    data: { slug: SLUG, status: "published", originalLocale: "en", source: "Test Daily", publishedAt: new Date("2026-11-01T00:00:00Z") },
  });
  articleId = article.id;
}, 120_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

describe("applyDocument: paragraph identity across revisions", () => {
  const ids: Record<string, string> = {};
  const noteIds: Record<string, string> = {};
  let noteTotal = 0;

  it("first publish: keys p-1…p-5 in order, revision 1; the same document again writes nothing", async () => {
    const first = await apply(doc([T.opening, T.budget, T.critics, T.mayor, T.closing]), "first");
    expect(first).toMatchObject({ changed: true, revision: 1, kept: 0, added: 5, removed: 0 });
    const rows = await live();
    expect(rows.map((p) => p.key)).toEqual(["p-1", "p-2", "p-3", "p-4", "p-5"]);
    for (const [name, [en]] of Object.entries(T)) {
      const row = rows.find((p) => p.en === en);
      if (row) ids[name] = row.id;
    }
    const again = await apply(doc([T.opening, T.budget, T.critics, T.mayor, T.closing]));
    expect(again).toMatchObject({ changed: false, revision: 1 });
    expect(await prisma.articleRevision.count({ where: { articleId } })).toBe(1);
    const article = await prisma.article.findUniqueOrThrow({ where: { id: articleId } });
    expect(article.revision).toBe(1);
    const translations = await prisma.articleTranslation.findMany({ where: { articleId }, orderBy: { locale: "asc" } });
    expect(translations.map((t) => [t.locale, t.title, t.translator])).toEqual([["en", "Library budget", null], ["ja", "図書館予算", "T. Test"]]);
  });

  it("a new note records the revision it was written on", async () => {
    noteIds.budget = await annotate(ids.budget!, "en", T.budget[0], "reading rooms would stay open");
    noteIds.mayorJa = await annotate(ids.mayor!, "ja", T.mayor[1], "ボランティアが手伝う");
    noteIds.closing = await annotate(ids.closing!, "en", T.closing[0], "public hearing");
    const reply = await notes.createReply(reader, { parentId: noteIds.closing!, locale: "en", body: "A reply", idempotencyKey: randomUUID() });
    if (!reply.ok) throw new Error("reply");
    noteIds.closingReply = reply.note.id;
    const comment = await notes.createNote(reader, {
      paragraphId: ids.critics!, locale: "en", kind: "comment", visibility: "public", body: "A comment", tag: null, idempotencyKey: randomUUID(),
    });
    if (!comment.ok) throw new Error("comment");
    noteIds.criticsComment = comment.note.id;
    for (const id of Object.values(noteIds)) expect((await note(id)).articleRevision).toBe(1);
    noteTotal = await prisma.note.count();
    expect(noteTotal).toBe(5);
    await expectStatsExact();
  });

  it("insert at the top: every paragraph keeps its id and key, the new one gets p-6", async () => {
    const before = await live();
    const result = await apply(doc([T.top, T.opening, T.budget, T.critics, T.mayor, T.closing]), "insert");
    expect(result).toMatchObject({ changed: true, revision: 2, kept: 5, added: 1, removed: 0, passageChanged: 0 });
    const after = await live();
    expect(after[0]!.key).toBe("p-6");
    expect(after.slice(1).map((p) => [p.id, p.key])).toEqual(before.map((p) => [p.id, p.key]));
    expect(after.slice(1).map((p) => p.position)).toEqual([2, 3, 4, 5, 6]);
    ids.top = after[0]!.id;
    // Untouched text: the annotation's selector is untouched.
    expect(await note(noteIds.budget!)).toMatchObject({ paragraphId: ids.budget, posStart: 28, quoteExact: "reading rooms would stay open", passageChangedAt: null });
  });

  it("a typo fix inside the annotated sentence (and a word before it) re-anchors the annotation without editing it", async () => {
    const before = await note(noteIds.budget!);
    const edited: [string, string] = ["Councillors finally agreed that the reading rooms would stay opne until nine in the evening.", T.budget[1]];
    // The Japanese is unchanged, so this is an exact match; the English one changed.
    let result = await apply(doc([T.top, T.opening, edited, T.critics, T.mayor, T.closing]), "typo");
    expect(result).toMatchObject({ changed: true, kept: 6, added: 0, removed: 0, reanchored: 1, passageChanged: 0 });
    let after = await note(noteIds.budget!);
    expect(after.paragraphId).toBe(ids.budget);
    expect(slice(edited[0], after.posStart!, after.posEnd!)).toBe(after.quoteExact);
    // The fuzzy match is widened to whole words: the quote does not shrink to "…stay op".
    expect(after.quoteExact).toBe("reading rooms would stay opne");
    // The author did not edit: no new version, no "edited" mark.
    expect([after.version, after.editedAt]).toEqual([before.version, null]);

    // Then both languages edited at once: matched by similarity, still the same paragraph.
    const both: [string, string] = ["Councillors finally agreed that the reading rooms would stay open until nine in the evening.", "議員らは、閲覧室を午後九時まで開けることで合意した。"];
    result = await apply(doc([T.top, T.opening, both, T.critics, T.mayor, T.closing]), "typo 2");
    expect(result).toMatchObject({ changed: true, kept: 6, added: 0, removed: 0 });
    expect((await byEn(both[0])).id).toBe(ids.budget);
    after = await note(noteIds.budget!);
    expect(after.quoteExact).toBe("reading rooms would stay open");
    expect(slice(both[0], after.posStart!, after.posEnd!)).toBe("reading rooms would stay open");
    T.budget = both;
    await expectStatsExact();
  });

  it("move: a paragraph moved elsewhere keeps its id, key and notes", async () => {
    const closing = await byEn(T.closing[0]);
    await apply(doc([T.top, T.closing, T.opening, T.budget, T.critics, T.mayor]), "move");
    const after = await live();
    expect(after[1]).toMatchObject({ id: closing.id, key: closing.key, position: 2 });
    expect(after.map((p) => p.id)).toEqual([ids.top, ids.closing, ids.opening, ids.budget, ids.critics, ids.mayor]);
    expect((await note(noteIds.closing!)).paragraphId).toBe(ids.closing);
  });

  it("split: the first part keeps the id; an annotation in the second part moves to the new paragraph with its thread", async () => {
    const [en1, en2] = ["The mayor promised a review in the spring.", "She also said volunteers would help run the weekend hours."];
    const [ja1, ja2] = ["市長は春に見直すと約束した。", "週末の開館は、ボランティアが手伝うとも述べた。"];
    const result = await apply(doc([T.top, T.closing, T.opening, T.budget, T.critics, [en1, ja1], [en2, ja2]]), "split");
    expect(result).toMatchObject({ changed: true, kept: 6, added: 1, removed: 0, passageChanged: 0 });
    const after = await live();
    expect(after[5]).toMatchObject({ id: ids.mayor, en: en1 });
    expect(after[6]!.key).toBe("p-7");
    const moved = await note(noteIds.mayorJa!);
    expect(moved.paragraphId).toBe(after[6]!.id);
    expect(slice(ja2, moved.posStart!, moved.posEnd!)).toBe("ボランティアが手伝う");
    expect(moved.passageChangedAt).toBeNull();
    ids.mayorSecond = after[6]!.id;
    T.mayor = [en1, ja1];
    await expectStatsExact();
  });

  it("merge: the merged row keeps the first paragraph's id; the second is parked and its notes follow into the merged row", async () => {
    const merged: [string, string] = [`${T.budget[0]} ${T.critics[0]}`, `${T.budget[1]}${T.critics[1]}`];
    const critics = await byEn(T.critics[0]);
    const revision = (await prisma.article.findUniqueOrThrow({ where: { id: articleId } })).revision + 1;
    const result = await apply(doc([T.top, T.closing, T.opening, merged, T.mayor, [ "She also said volunteers would help run the weekend hours.", "週末の開館は、ボランティアが手伝うとも述べた。"]]), "merge");
    expect(result).toMatchObject({ changed: true, kept: 6, added: 0, removed: 1, passageChanged: 0 });
    const after = await live();
    expect(after[3]).toMatchObject({ id: ids.budget, en: merged[0] });
    const parked = await prisma.paragraph.findUniqueOrThrow({ where: { id: critics.id } });
    expect(parked.position).toBeLessThanOrEqual(0);
    expect(parked.removedInRevision).toBe(revision);
    // The comment on the absorbed paragraph is now on the merged one, not orphaned.
    expect(await note(noteIds.criticsComment!)).toMatchObject({ paragraphId: ids.budget, passageChangedAt: null });
    // The annotation on the first part still anchors.
    const budget = await note(noteIds.budget!);
    expect(slice(merged[0], budget.posStart!, budget.posEnd!)).toBe("reading rooms would stay open");
    await expectStatsExact();
  });

  it("delete: the paragraph is parked, its notes (thread included) are listed as passage changed, none deleted", async () => {
    const revision = (await prisma.article.findUniqueOrThrow({ where: { id: articleId } })).revision + 1;
    const closing = await byEn(T.closing[0]);
    const rows = (await live()).filter((p) => p.id !== closing.id).map((p): [string, string] => [p.en, p.ja]);
    const result = await apply(doc(rows), "delete");
    expect(result).toMatchObject({ changed: true, removed: 1, added: 0, passageChanged: 2 });
    expect(await prisma.paragraph.findUniqueOrThrow({ where: { id: closing.id } })).toMatchObject({ removedInRevision: revision });
    for (const id of [noteIds.closing!, noteIds.closingReply!]) {
      expect(await note(id)).toMatchObject({ paragraphId: closing.id, passageChangedIn: revision, passageChangedAt: expect.any(Date) });
    }
    // The library's note count leaves out parked paragraphs; the stats rows stay exact.
    await expectStatsExact();
    expect(await prisma.note.count()).toBe(noteTotal);
  });

  it("an annotation whose passage was rewritten is listed as passage changed and keeps its old quote", async () => {
    const revision = (await prisma.article.findUniqueOrThrow({ where: { id: articleId } })).revision + 1;
    const rows = (await live()).map((p): [string, string] => [p.en, p.ja]);
    const index = rows.findIndex(([, ja]) => ja.includes("ボランティアが手伝う"));
    rows[index] = ["She also said volunteers would help run the weekend hours.", "週末の開館には、地域の学生も協力するとも述べた。"];
    const result = await apply(doc(rows), "rewrite");
    expect(result).toMatchObject({ changed: true, removed: 0, added: 0, passageChanged: 1 });
    expect(await note(noteIds.mayorJa!)).toMatchObject({ paragraphId: ids.mayorSecond, quoteExact: "ボランティアが手伝う", passageChangedIn: revision });
  });

  it("keys are never reused: a paragraph added after a delete gets a key above every key the article ever had", async () => {
    const rows = (await live()).map((p): [string, string] => [p.en, p.ja]);
    await apply(doc([...rows, ["An entirely new closing paragraph about the weather.", "天気についてのまったく新しい最後の段落。"]]), "add");
    const keys = (await prisma.paragraph.findMany({ where: { articleId }, select: { key: true } })).map((p) => Number(p.key.slice(2)));
    expect(new Set(keys).size).toBe(keys.length);
    const last = (await live()).at(-1)!;
    expect(last.key).toBe("p-8");
  });

  it("an undone delete brings the paragraph back: same id and key, its notes no longer listed as passage changed", async () => {
    const rows = (await live()).map((p): [string, string] => [p.en, p.ja]);
    const result = await apply(doc([...rows.slice(0, 1), T.closing, ...rows.slice(1)]), "undo delete");
    expect(result).toMatchObject({ changed: true, added: 1, removed: 0 });
    const back = (await live())[1]!;
    expect(back).toMatchObject({ id: ids.closing, en: T.closing[0], position: 2 });
    expect(await prisma.paragraph.findUniqueOrThrow({ where: { id: ids.closing! } })).toMatchObject({ removedInRevision: null });
    for (const id of [noteIds.closing!, noteIds.closingReply!]) expect(await note(id)).toMatchObject({ paragraphId: ids.closing, passageChangedAt: null, passageChangedIn: null });
    await expectStatsExact();
  });

  it("counts every note: none lost, every one still on a paragraph of the article", async () => {
    expect(await prisma.note.count()).toBe(noteTotal);
    const orphans = await prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM note n LEFT JOIN paragraph p ON p.id = n.paragraph_id AND p.article_id = n.article_id WHERE p.id IS NULL`;
    expect(orphans[0]!.n).toBe(0);
  });

  it("refuses a misaligned document and writes nothing", async () => {
    const before = await prisma.article.findUniqueOrThrow({ where: { id: articleId } });
    const bad = doc([T.top, T.opening]);
    bad.rows[1]!.text.ja = "";
    await expect(apply(bad)).rejects.toBeInstanceOf(revisions.MisalignedDocumentError);
    expect((await prisma.article.findUniqueOrThrow({ where: { id: articleId } })).revision).toBe(before.revision);
  });

  it("revisions are numbered 1…n, hold the keyed snapshot, and are append-only", async () => {
    const article = await prisma.article.findUniqueOrThrow({ where: { id: articleId } });
    const all = await prisma.articleRevision.findMany({ where: { articleId }, orderBy: { number: "asc" } });
    expect(all.map((r) => r.number)).toEqual(Array.from({ length: article.revision }, (_, i) => i + 1));
    const latest = all.at(-1)!.snapshot as { paragraphs: { key: string }[] };
    expect(latest.paragraphs.map((p) => p.key)).toEqual((await live()).map((p) => p.key));
    await expect(prisma.$executeRaw`UPDATE article_revision SET snapshot = '{}'::jsonb WHERE article_id = ${articleId}::uuid`).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRaw`DELETE FROM article_revision WHERE article_id = ${articleId}::uuid`).rejects.toThrow(/append-only/);
  });

  it("drops a language: its texts and translation go, annotations in it are listed as passage changed", async () => {
    const rows = await live();
    const noteOnJa = await annotate(rows[0]!.id, "ja", rows[0]!.ja, "図書館");
    const english: ArticleDocument = doc(rows.map((p): [string, string] => [p.en, ""]));
    delete english.meta.translations.ja;
    for (const row of english.rows) delete row.text.ja;
    const result = await apply(english, "english only");
    expect(result).toMatchObject({ changed: true, kept: rows.length, passageChanged: 1 });
    expect(await prisma.paragraphText.count({ where: { paragraph: { articleId, position: { gt: 0 } }, locale: "ja" } })).toBe(0);
    expect(await prisma.articleTranslation.count({ where: { articleId } })).toBe(1);
    expect((await note(noteOnJa)).passageChangedAt).not.toBeNull();
    expect((await live()).map((p) => p.id)).toEqual(rows.map((p) => p.id));
  });
});

describe("the import goes through the same matching", () => {
  it("a paragraph inserted in the middle of the seed's files keeps every other paragraph's id and key; removing it again parks it", async () => {
    const { importArticles, readArticleSources } = await import("@/features/articles/mutations");
    const [source] = await readArticleSources(path.resolve(import.meta.dirname, "../../content/articles/japan-patriot-missile-export"));
    const seedArticle = await prisma.article.findUniqueOrThrow({ where: { slug: source!.name } });
    const before = await prisma.paragraph.findMany({ where: { articleId: seedArticle.id, position: { gt: 0 } }, orderBy: { position: "asc" }, select: { id: true, key: true } });
    expect(before.map((p) => p.key)).toEqual(Array.from({ length: 21 }, (_, i) => `p-${i + 1}`));
    const insert = (text: string, extra: string) => {
      const blocks = text.trimEnd().split("\n\n");
      return `${[...blocks.slice(0, 4), extra, ...blocks.slice(4)].join("\n\n")}\n`;
    };
    const files = {
      ...source!.files,
      "en.md": insert(source!.files["en.md"]!, "An editor's note inserted after the third paragraph."),
      "ja.md": insert(source!.files["ja.md"]!, "第三段落の後に挿入した編集部注。"),
    };
    expect(await importArticles(prisma, [{ name: source!.name, files }])).toEqual([{ name: source!.name, status: "updated" }]);
    const after = await prisma.paragraph.findMany({ where: { articleId: seedArticle.id, position: { gt: 0 } }, orderBy: { position: "asc" }, select: { id: true, key: true } });
    expect(after).toHaveLength(22);
    expect(after[3]!.key).toBe("p-22");
    expect([...after.slice(0, 3), ...after.slice(4)]).toEqual(before);
    // Back to the files as they are: the inserted paragraph is parked, the others untouched.
    expect(await importArticles(prisma, [source!])).toEqual([{ name: source!.name, status: "updated" }]);
    expect(await prisma.paragraph.findMany({ where: { articleId: seedArticle.id, position: { gt: 0 } }, orderBy: { position: "asc" }, select: { id: true, key: true } })).toEqual(before);
    expect(await importArticles(prisma, [source!])).toEqual([{ name: source!.name, status: "unchanged" }]);
  });
});

describe("an article imported before revisions existed", () => {
  it("gets its live text recorded as revision 1 once, keeping ids and keys, then nothing", async () => {
    const article = await prisma.article.create({
      data: { slug: "revision-legacy-article", status: "published", originalLocale: "en", source: "Test Daily", publishedAt: new Date("2026-11-01T00:00:00Z") },
    });
    const document = { ...doc([T.opening, T.top]), meta: { ...doc([]).meta, slug: "revision-legacy-article" } };
    // What the old import wrote: positional keys, no revision.
    for (const [index, [en, ja]] of [T.opening, T.top].entries()) {
      await prisma.paragraph.create({
        data: {
          articleId: article.id, key: `p-${index + 1}`, position: index + 1,
          texts: { create: [{ locale: "en", text: en, contentHash: revisions.contentHash(en) }, { locale: "ja", text: ja, contentHash: revisions.contentHash(ja) }] },
        },
      });
    }
    await prisma.$transaction((tx) =>
      Promise.all(
        (["en", "ja"] as const).map((locale) => {
          const t = document.meta.translations[locale]!;
          return tx.articleTranslation.create({
            data: { articleId: article.id, locale, title: t.title, summary: t.summary, translator: t.translator ?? null, contentHash: revisions.contentHash(JSON.stringify([t.title, t.summary, t.translator ?? null])) },
          });
        }),
      ),
    );
    const before = await prisma.paragraph.findMany({ where: { articleId: article.id }, orderBy: { position: "asc" } });
    const run = () => prisma.$transaction((tx) => revisions.applyDocument(tx, { articleId: article.id, document, actorId: null, summary: "" }));
    expect(await run()).toMatchObject({ changed: true, revision: 1, kept: 2, added: 0, removed: 0 });
    expect(await prisma.paragraph.findMany({ where: { articleId: article.id }, orderBy: { position: "asc" } })).toEqual(before);
    expect(await run()).toMatchObject({ changed: false, revision: 1 });
    expect(await prisma.articleRevision.count({ where: { articleId: article.id } })).toBe(1);
  });
});

describe("applyDocument at scale", () => {
  it("2,000 paragraphs: first publish, an insert at the top and a change to every paragraph keep every id", async () => {
    const slug = "revision-scale-article";
    const article = await prisma.article.create({ data: { slug, status: "published", originalLocale: "en", source: "S", publishedAt: new Date("2026-11-01T00:00:00Z") } });
    const make = (suffix: string) =>
      Array.from({ length: 2000 }, (_, n): [string, string] => [`Paragraph ${n} is about topic ${n % 37} and says ${(n * 7919) % 1000} things${suffix}.`, `第${n}段落は話題${n % 37}について${(n * 7919) % 1000}のことを述べる${suffix}。`]);
    const run = (rows: [string, string][]) =>
      prisma.$transaction((tx) => revisions.applyDocument(tx, { articleId: article.id, document: { ...doc(rows), meta: { ...doc(rows).meta, slug } }, actorId: null, summary: "" }), { timeout: 120_000 });
    const started = performance.now();
    await run(make(""));
    const ids = (await prisma.paragraph.findMany({ where: { articleId: article.id }, orderBy: { position: "asc" }, select: { id: true } })).map((p) => p.id);
    const inserted = performance.now();
    await run([["A new first paragraph.", "新しい最初の段落。"], ...make("")]);
    const edited = performance.now();
    const result = await run([["A new first paragraph.", "新しい最初の段落。"], ...make(" (edited)")]);
    const done = performance.now();
    expect(result).toMatchObject({ kept: 2001, added: 0, removed: 0 });
    const after = (await prisma.paragraph.findMany({ where: { articleId: article.id, position: { gt: 1 } }, orderBy: { position: "asc" }, select: { id: true } })).map((p) => p.id);
    expect(after).toEqual(ids);
    // A figure for the report, not an assertion (timed assertions flake on a busy machine).
    console.info(`applyDocument, 2,000 paragraphs: first publish ${Math.round(inserted - started)} ms, insert at top ${Math.round(edited - inserted)} ms, every paragraph edited ${Math.round(done - edited)} ms`);
  }, 180_000);
});
