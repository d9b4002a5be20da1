import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import en from "@/messages/en.json";
import ja from "@/messages/ja.json";
import { createAppTestDatabase } from "@/lib/testing/test-database";
import type { NoteDto, NoteRevisionDto } from "./types";
import { signUpTestUser } from "@/lib/testing/test-users";

// Integration tests for the notes API: the same Request → Response functions the route files in
// app/api/notes/** call, against a throwaway PostgreSQL database seeded with the real article.

// unstable_cache / revalidateTag need a Next request; outside Next the cache is a pass-through and
// invalidation is recorded so tests can check which writes mark the public overlay stale.
vi.mock("next/cache", () => ({
  unstable_cache: <T>(fn: T) => fn,
  revalidateTag: vi.fn(),
}));

const SLUG = "japan-patriot-missile-export";

type Api = typeof import("./api");
type Prisma = ReturnType<typeof import("@/lib/db/prisma").getPrisma>;
type ListedNote = NoteDto & { orphan: boolean };
type ApiBody = {
  ok: boolean;
  code?: string;
  message?: string;
  fieldErrors?: Record<string, string[]>;
  retryAfterSeconds?: number;
  replayed?: boolean;
  note: NoteDto;
  current: NoteDto;
  notes: ListedNote[];
  orphans: ListedNote[];
  nextCursor: string | null;
  revisions: NoteRevisionDto[];
};
type User = { id: string; email: string; cookie: string };
type Paragraph = { id: string; key: string; text: { en: string; ja: string } };

let db: Awaited<ReturnType<typeof createAppTestDatabase>>;
let api: Api;
let prisma: Prisma;
let revalidateTag: ReturnType<typeof vi.fn>;
let overlayModule: typeof import("./loaders");
let dataModule: typeof import("./data");
let getReaderArticle: typeof import("@/features/articles/data").getReaderArticle;
let getViewer: typeof import("@/features/accounts/data").getViewer;
let articleId: string;
const paragraphs = new Map<string, Paragraph>();

beforeAll(async () => {
  db = await createAppTestDatabase("notes");
  api = await import("./api");
  prisma = (await import("@/lib/db/prisma")).getPrisma();
  revalidateTag = vi.mocked((await import("next/cache")).revalidateTag) as unknown as ReturnType<typeof vi.fn>;
  overlayModule = await import("./loaders");
  dataModule = await import("./data");
  getReaderArticle = (await import("@/features/articles/data")).getReaderArticle;
  getViewer = (await import("@/features/accounts/data")).getViewer;

  const article = await prisma.article.findUniqueOrThrow({
    where: { slug: SLUG },
    select: { id: true, paragraphs: { where: { position: { gt: 0 } }, select: { id: true, key: true, texts: true } } },
  });
  articleId = article.id;
  for (const p of article.paragraphs) {
    const text = Object.fromEntries(p.texts.map((t) => [t.locale, t.text])) as Paragraph["text"];
    paragraphs.set(p.key, { id: p.id, key: p.key, text });
  }
  expect(paragraphs.size).toBe(21);
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

beforeEach(() => {
  revalidateTag?.mockClear();
});

// ---- helpers -----------------------------------------------------------------------------------

function paragraph(key: string): Paragraph {
  const p = paragraphs.get(key);
  if (!p) throw new Error(`no paragraph ${key}`);
  return p;
}

function signUp(label: string): Promise<User> {
  return signUpTestUser(label);
}

type RequestOptions = { user?: User | null; body?: unknown; raw?: string; locale?: "en" | "ja"; headers?: Record<string, string> };

function request(method: string, path: string, options: RequestOptions = {}): Request {
  const headers: Record<string, string> = { "x-ui-locale": options.locale ?? "en", ...options.headers };
  if (options.user) headers.cookie = options.user.cookie;
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers["content-type"] = "application/json";
  return new Request(`http://localhost${path}`, { method, headers, body });
}

async function read(response: Response): Promise<ApiBody> {
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  return (await response.json()) as ApiBody;
}

const key = () => randomUUID();

function commentInput(p: Paragraph, extra: Record<string, unknown> = {}) {
  return { paragraphId: p.id, locale: "en", kind: "comment", visibility: "public", body: "A comment", idempotencyKey: key(), ...extra };
}

/** Code point offsets of `exact` inside `text` (first occurrence). */
function codePointRange(text: string, exact: string): { start: number; end: number; exact: string } {
  const at = text.indexOf(exact);
  if (at === -1) throw new Error(`"${exact}" is not in the text`);
  const start = Array.from(text.slice(0, at)).length;
  return { start, end: start + Array.from(exact).length, exact };
}

/** A passage of `length` code points starting at code point `from`. */
function passage(text: string, from: number, length: number): string {
  return Array.from(text).slice(from, from + length).join("");
}

function annotationInput(p: Paragraph, locale: "en" | "ja", exact: string, extra: Record<string, unknown> = {}) {
  return {
    paragraphId: p.id,
    locale,
    kind: "annotation",
    visibility: "public",
    body: "",
    range: codePointRange(p.text[locale], exact),
    idempotencyKey: key(),
    ...extra,
  };
}

async function create(user: User, input: Record<string, unknown>, locale: "en" | "ja" = "en"): Promise<NoteDto> {
  const response = await api.postNote(request("POST", "/api/notes", { user, body: input, locale }));
  const body = await read(response);
  expect(response.status, JSON.stringify(body)).toBe(201);
  expect(body.ok).toBe(true);
  return body.note;
}

async function thread(key: string, user: User | null = null, locale: "en" | "ja" = "en"): Promise<ListedNote[]> {
  const response = await api.listNotes(request("GET", `/api/notes?article=${SLUG}&paragraph=${key}`, { user, locale }));
  expect(response.status).toBe(200);
  return (await read(response)).notes;
}

async function allNotes(user: User | null = null, query = ""): Promise<ApiBody> {
  const response = await api.listNotes(request("GET", `/api/notes?article=${SLUG}${query}`, { user }));
  expect(response.status).toBe(200);
  return read(response);
}

/** Empties a user's write bucket, for tests that need more than one burst of writes. */
async function resetRateLimit(user: User) {
  await prisma.$executeRaw`DELETE FROM rate_limit_bucket WHERE key = ${`notes:user:${user.id}`}`;
}

async function setText(p: Paragraph, locale: "en" | "ja", text: string) {
  await prisma.paragraphText.update({ where: { paragraphId_locale: { paragraphId: p.id, locale } }, data: { text } });
}

async function article() {
  const loaded = await getReaderArticle(SLUG);
  if (!loaded) throw new Error("article missing");
  return loaded;
}

// ---- creating ----------------------------------------------------------------------------------

describe("creating notes", () => {
  it("creates a paragraph comment (201) and invalidates the public overlay", async () => {
    const alice = await signUp("alice");
    const p = paragraph("p-1");
    const input = commentInput(p, { body: "Interesting **point**", tag: "insight" });
    const response = await api.postNote(request("POST", "/api/notes", { user: alice, body: input }));
    expect(response.status).toBe(201);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await read(response);
    expect(body).toMatchObject({ ok: true, replayed: false });
    expect(body.note).toMatchObject({
      articleId,
      paragraphId: p.id,
      paragraphKey: "p-1",
      parentId: null,
      rootId: null,
      depth: 0,
      kind: "comment",
      locale: "en",
      visibility: "public",
      tag: "insight",
      body: "Interesting **point**",
      deleted: false,
      quote: null,
      author: { id: alice.id, name: "alice" },
      version: 1,
      editedAt: null,
      replyCount: 0,
      revisionCount: 0,
    });
    expect(revalidateTag).toHaveBeenCalledWith(`notes:${articleId}`, { expire: 0 });

    const stored = await prisma.note.findUniqueOrThrow({ where: { id: body.note.id } });
    expect(stored.authorId).toBe(alice.id);
    expect(stored.clientKey).toBe(input.idempotencyKey);

    const listing = await api.listNotes(request("GET", `/api/notes?article=${SLUG}&paragraph=p-1`));
    const listed = (await read(listing)).notes;
    expect(listed.map((n) => n.id)).toContain(body.note.id);
    // Readers see the author's name, never their email.
    expect(JSON.stringify(listed)).not.toContain(alice.email);
  });

  it("creates an English annotation; the server recomputes 32-code-point prefix/suffix", async () => {
    const alice = await signUp("alice");
    const p = paragraph("p-2");
    const text = p.text.en;
    const exact = passage(text, 50, 30);
    const note = await create(alice, annotationInput(p, "en", exact, { body: "Why?", tag: "question" }));
    const cps = Array.from(text);
    expect(note.quote).toEqual({
      exact,
      prefix: cps.slice(18, 50).join(""),
      suffix: cps.slice(80, 112).join(""),
      start: 50,
      end: 80,
    });
    expect(Array.from(note.quote!.prefix)).toHaveLength(32);
    expect(Array.from(note.quote!.suffix)).toHaveLength(32);

    // Near the start of the text the prefix is shorter, never padded.
    const first = passage(text, 3, 10);
    const early = await create(alice, annotationInput(p, "en", first));
    expect(early.quote).toMatchObject({ exact: first, prefix: cps.slice(0, 3).join(""), start: 3, end: 13 });
  });

  it("annotates Japanese text by code points (astral characters count once) and rejects mismatches in Japanese", async () => {
    const alice = await signUp("alice");
    const p = paragraph("p-3");
    const original = p.text.ja;
    const lead = "𠮷野家🍣の話。"; // 7 code points, 9 UTF-16 units
    const text = lead + original;
    await setText(p, "ja", text);
    try {
      const local = { ...p, text: { ...p.text, ja: text } };
      const exact = passage(text, 32, 12);
      const note = await create(alice, annotationInput(local, "ja", exact, { body: "語彙メモ", tag: "vocabulary" }), "ja");
      expect(note.locale).toBe("ja");
      expect(note.quote).toMatchObject({ exact, start: 32, end: 44 });
      const prefix = note.quote!.prefix;
      expect(prefix).toBe(passage(text, 0, 32));
      expect(Array.from(prefix).length).toBeLessThanOrEqual(32);
      expect(prefix.length).toBe(34); // the astral characters are two UTF-16 units each
      expect(Array.from(note.quote!.suffix).length).toBeLessThanOrEqual(32);
      expect(note.quote!.suffix).toBe(passage(text, 44, 32));

      const row = await prisma.note.findUniqueOrThrow({ where: { id: note.id } });
      expect(row).toMatchObject({ quoteExact: exact, quotePrefix: prefix, quoteSuffix: note.quote!.suffix, posStart: 32, posEnd: 44 });

      // The same passage addressed in UTF-16 units points at different text: refused, in Japanese.
      const utf16Start = text.indexOf(exact);
      expect(utf16Start).toBe(34);
      const before = await prisma.note.count();
      const wrong = { ...annotationInput(local, "ja", exact), range: { start: utf16Start, end: utf16Start + 12, exact } };
      const response = await api.postNote(request("POST", "/api/notes", { user: alice, body: wrong, locale: "ja" }));
      expect(response.status).toBe(422);
      const body = await read(response);
      expect(body).toMatchObject({ ok: false, code: "validation", message: ja.Notes.errors.rangeMismatch });
      expect(body.fieldErrors).toEqual({ range: [ja.Notes.errors.rangeMismatch] });

      // An `exact` that is simply not the text at that range.
      const forged = { ...annotationInput(local, "ja", exact), range: { start: 32, end: 44, exact: "存在しない引用文です。ねえ" } };
      const forgedResponse = await api.postNote(request("POST", "/api/notes", { user: alice, body: forged, locale: "ja" }));
      expect(forgedResponse.status).toBe(422);
      expect((await read(forgedResponse)).message).toBe(ja.Notes.errors.rangeMismatch);
      expect(await prisma.note.count()).toBe(before);
    } finally {
      await setText(p, "ja", original);
    }
  });

  it("refuses client-chosen prefix/suffix and badly shaped ranges", async () => {
    const alice = await signUp("alice");
    const p = paragraph("p-2");
    const exact = passage(p.text.en, 10, 10);
    const withPrefix = annotationInput(p, "en", exact);
    withPrefix.range = { ...withPrefix.range, prefix: "forged" } as typeof withPrefix.range;
    let response = await api.postNote(request("POST", "/api/notes", { user: alice, body: withPrefix, locale: "ja" }));
    expect(response.status).toBe(422);
    expect(await read(response)).toMatchObject({ code: "unexpected_field", message: ja.Notes.errors.unexpectedField });

    const backwards = { ...annotationInput(p, "en", exact), range: { start: 20, end: 10, exact } };
    response = await api.postNote(request("POST", "/api/notes", { user: alice, body: backwards }));
    expect(response.status).toBe(422);
    expect(await read(response)).toMatchObject({ code: "validation", message: en.Notes.errors.badRange });

    const noRange = { ...annotationInput(p, "en", exact), range: undefined };
    response = await api.postNote(request("POST", "/api/notes", { user: alice, body: noRange }));
    expect(response.status).toBe(422);
    expect(await read(response)).toMatchObject({ code: "validation", message: en.Notes.errors.rangeRequired });

    const commentWithRange = commentInput(p, { range: codePointRange(p.text.en, exact) });
    response = await api.postNote(request("POST", "/api/notes", { user: alice, body: commentWithRange }));
    expect(response.status).toBe(422);
    expect(await read(response)).toMatchObject({ code: "validation", message: en.Notes.errors.rangeNotAllowed });

    response = await api.postNote(request("POST", "/api/notes", { user: alice, body: commentInput(p, { body: "   " }) }));
    expect(response.status).toBe(422);
    expect(await read(response)).toMatchObject({ code: "validation", message: en.Notes.errors.bodyRequired });
    expect(await prisma.note.count({ where: { authorId: alice.id } })).toBe(0);
  });

  it("replies inherit visibility, paragraph and root; depth grows 1, 2, 3", async () => {
    const alice = await signUp("alice");
    const bob = await signUp("bob");
    const p = paragraph("p-4");
    const root = await create(alice, commentInput(p, { body: "Root" }));

    const r1 = await create(bob, { parentId: root.id, locale: "ja", body: "返信1", idempotencyKey: key() }, "ja");
    expect(r1).toMatchObject({
      parentId: root.id,
      rootId: root.id,
      depth: 1,
      paragraphId: p.id,
      articleId,
      visibility: "public",
      kind: "comment",
      locale: "ja",
      quote: null,
      author: { id: bob.id },
    });
    const r2 = await create(alice, { parentId: r1.id, locale: "en", body: "Reply 2", idempotencyKey: key() });
    expect(r2).toMatchObject({ parentId: r1.id, rootId: root.id, depth: 2, paragraphId: p.id, visibility: "public" });
    const r3 = await create(bob, { parentId: r2.id, locale: "en", body: "Reply 3", idempotencyKey: key() });
    expect(r3).toMatchObject({ parentId: r2.id, rootId: root.id, depth: 3, paragraphId: p.id, visibility: "public" });

    // A reply cannot choose its own placement or visibility.
    const response = await api.postNote(
      request("POST", "/api/notes", { user: bob, body: { parentId: root.id, locale: "en", body: "x", visibility: "private", idempotencyKey: key() } }),
    );
    expect(response.status).toBe(422);
    expect((await read(response)).code).toBe("unexpected_field");

    // A private thread keeps its replies private.
    const secret = await create(alice, commentInput(p, { visibility: "private", body: "Just me" }));
    revalidateTag.mockClear();
    const privateReply = await create(alice, { parentId: secret.id, locale: "en", body: "Still me", idempotencyKey: key() });
    expect(privateReply).toMatchObject({ visibility: "private", rootId: secret.id, depth: 1 });
    expect(revalidateTag).not.toHaveBeenCalled();

    const listed = await thread("p-4");
    const byId = new Map(listed.map((n) => [n.id, n]));
    expect(byId.get(root.id)?.replyCount).toBe(1);
    expect([r1.id, r2.id, r3.id].every((id) => byId.has(id))).toBe(true);
    expect(byId.has(secret.id)).toBe(false);
    expect(byId.has(privateReply.id)).toBe(false);
  });

  it("lists notes written on the English text when the reader views the Japanese text", async () => {
    const alice = await signUp("alice");
    const p = paragraph("p-5");
    const comment = await create(alice, commentInput(p, { body: "On the English" }));
    const annotation = await create(alice, annotationInput(p, "en", passage(p.text.en, 0, 20)));

    const response = await api.listNotes(
      request("GET", `/api/notes?article=${SLUG}&paragraph=p-5`, { locale: "ja", headers: { cookie: "NEXT_LOCALE=ja", "accept-language": "ja" } }),
    );
    expect(response.status).toBe(200);
    const notes = (await read(response)).notes;
    const listed = notes.filter((n) => n.id === comment.id || n.id === annotation.id);
    expect(listed).toHaveLength(2);
    for (const note of listed) expect(note.locale).toBe("en");
    // Anchored against the English text it was made on, not the Japanese one shown.
    expect(listed.find((n) => n.id === annotation.id)?.orphan).toBe(false);
  });
});

// ---- privacy -----------------------------------------------------------------------------------

describe("private notes", () => {
  it("are visible to their author only — not to others, anonymous readers or admins", async () => {
    const alice = await signUp("alice");
    const bob = await signUp("bob");
    const admin = await signUp("admin");
    await prisma.user.update({ where: { id: admin.id }, data: { role: "admin" } });
    expect((await getViewer(new Headers({ cookie: admin.cookie })))?.role).toBe("admin");

    const p = paragraph("p-6");
    const comment = await create(alice, commentInput(p, { visibility: "private", body: "secret comment" }));
    expect(revalidateTag).not.toHaveBeenCalled();
    const annotation = await create(alice, annotationInput(p, "en", passage(p.text.en, 5, 15), { visibility: "private", body: "secret" }));
    expect(revalidateTag).not.toHaveBeenCalled();

    // The author sees both everywhere.
    const mine = await read(await api.getNote(request("GET", `/api/notes/${comment.id}`, { user: alice }), comment.id));
    expect(mine.note.body).toBe("secret comment");
    expect((await api.getNoteHistory(request("GET", "/", { user: alice }), comment.id)).status).toBe(200);
    expect((await thread("p-6", alice)).map((n) => n.id)).toEqual(expect.arrayContaining([comment.id, annotation.id]));
    expect((await allNotes(alice)).notes.map((n) => n.id)).toEqual(expect.arrayContaining([comment.id, annotation.id]));
    const aliceOverlay = await overlayModule.buildNoteOverlay(await article(), alice.id);
    expect(aliceOverlay.counts[p.id]).toBe(2);
    expect(aliceOverlay.segments[p.id]?.en).toBeDefined();

    for (const viewer of [bob, null, admin]) {
      for (const id of [comment.id, annotation.id]) {
        const byId = await api.getNote(request("GET", `/api/notes/${id}`, { user: viewer, locale: "ja" }), id);
        expect(byId.status).toBe(404);
        expect(await read(byId)).toEqual({ ok: false, code: "not_found", message: ja.Notes.errors.notFound });
        const history = await api.getNoteHistory(request("GET", `/api/notes/${id}/history`, { user: viewer }), id);
        expect(history.status).toBe(404);
        expect((await read(history)).code).toBe("not_found");
      }
      const ids = [comment.id, annotation.id];
      expect((await thread("p-6", viewer)).filter((n) => ids.includes(n.id))).toEqual([]);
      const listing = await allNotes(viewer);
      expect([...listing.notes, ...listing.orphans].filter((n) => ids.includes(n.id))).toEqual([]);
      const data = await dataModule.getNoteOverlayData(articleId, viewer?.id ?? null);
      expect(data.counts[p.id]).toBeUndefined();
      expect(data.highlights.map((h) => h.id)).not.toContain(annotation.id);
      const overlay = await overlayModule.buildNoteOverlay(await article(), viewer?.id ?? null);
      expect(overlay.counts[p.id]).toBeUndefined();
      expect(overlay.segments[p.id]).toBeUndefined();
    }

    // Nor can anyone else reply to it, edit it or delete it.
    const reply = await api.postNote(
      request("POST", "/api/notes", { user: bob, body: { parentId: comment.id, locale: "en", body: "peek", idempotencyKey: key() } }),
    );
    expect(reply.status).toBe(404);
    const adminEdit = await api.patchNote(request("PATCH", "/", { user: admin, body: { body: "moderated", version: 1 } }), comment.id);
    expect(adminEdit.status).toBe(404);
    expect((await prisma.note.findUniqueOrThrow({ where: { id: comment.id } })).body).toBe("secret comment");
  });
});

// ---- ownership and tampering -------------------------------------------------------------------

describe("authorship", () => {
  it("only the author edits or deletes; others get 404 and the row is unchanged", async () => {
    const alice = await signUp("alice");
    const bob = await signUp("bob");
    const p = paragraph("p-7");
    const note = await create(alice, commentInput(p, { body: "Alice's words", tag: "question" }));
    const before = await prisma.note.findUniqueOrThrow({ where: { id: note.id } });

    const edit = await api.patchNote(request("PATCH", `/api/notes/${note.id}`, { user: bob, body: { body: "Bob's words", version: 1 } }), note.id);
    expect(edit.status).toBe(404);
    expect((await read(edit)).code).toBe("not_found");
    const removal = await api.removeNote(request("DELETE", `/api/notes/${note.id}`, { user: bob }), note.id);
    expect(removal.status).toBe(404);
    const removalWithVersion = await api.removeNote(request("DELETE", `/api/notes/${note.id}`, { user: bob, body: { version: 1 } }), note.id);
    expect(removalWithVersion.status).toBe(404);

    const anonymousEdit = await api.patchNote(request("PATCH", "/", { body: { body: "anon", version: 1 } }), note.id);
    expect(anonymousEdit.status).toBe(401);
    const anonymousDelete = await api.removeNote(request("DELETE", "/"), note.id);
    expect(anonymousDelete.status).toBe(401);

    expect(await prisma.note.findUniqueOrThrow({ where: { id: note.id } })).toEqual(before);
    expect(await prisma.noteRevision.count({ where: { noteId: note.id } })).toBe(0);

    // The author can.
    const own = await api.patchNote(request("PATCH", "/", { user: alice, body: { body: "Alice, revised", version: 1 } }), note.id);
    expect(own.status).toBe(200);
    expect((await read(own)).note).toMatchObject({ body: "Alice, revised", version: 2, tag: "question" });
  });

  it("refuses fields the server decides (authorId, version, deletedAt, role) and creates nothing", async () => {
    const alice = await signUp("alice");
    const bob = await signUp("bob");
    const p = paragraph("p-7");
    const attempts = [{ authorId: bob.id }, { version: 7 }, { deletedAt: new Date().toISOString() }, { role: "admin" }];
    const keys: string[] = [];
    for (const extra of attempts) {
      const input = commentInput(p, extra);
      keys.push(input.idempotencyKey);
      const response = await api.postNote(request("POST", "/api/notes", { user: alice, body: input, locale: "ja" }));
      expect(response.status).toBe(422);
      expect(await read(response)).toEqual({ ok: false, code: "unexpected_field", message: ja.Notes.errors.unexpectedField, fields: Object.keys(extra) });
    }
    expect(await prisma.note.count({ where: { clientKey: { in: keys } } })).toBe(0);
    expect(await prisma.note.count({ where: { OR: [{ authorId: alice.id }, { authorId: bob.id }] } })).toBe(0);

    const note = await create(bob, commentInput(p, { body: "original" }));
    const before = await prisma.note.findUniqueOrThrow({ where: { id: note.id } });
    for (const extra of [{ authorId: alice.id }, { deletedAt: null }, { visibility: "private" }]) {
      const response = await api.patchNote(request("PATCH", "/", { user: bob, body: { body: "changed", version: 1, ...extra } }), note.id);
      expect(response.status).toBe(422);
      expect((await read(response)).code).toBe("unexpected_field");
    }
    expect(await prisma.note.findUniqueOrThrow({ where: { id: note.id } })).toEqual(before);
  });
});

// ---- editing -----------------------------------------------------------------------------------

describe("editing", () => {
  it("a stale edit is a 409 showing the current note; history keeps the original", async () => {
    const alice = await signUp("alice");
    const p = paragraph("p-8");
    const note = await create(alice, commentInput(p, { body: "original body", tag: "insight" }));

    revalidateTag.mockClear();
    const first = await api.patchNote(request("PATCH", `/api/notes/${note.id}`, { user: alice, body: { body: "first edit", version: 1 } }), note.id);
    expect(first.status).toBe(200);
    const firstBody = await read(first);
    expect(firstBody.note).toMatchObject({ body: "first edit", version: 2, tag: "insight", revisionCount: 1 });
    expect(firstBody.note.editedAt).not.toBeNull();
    expect(revalidateTag).toHaveBeenCalledWith(`notes:${articleId}`, { expire: 0 });

    const second = await api.patchNote(
      request("PATCH", `/api/notes/${note.id}`, { user: alice, body: { body: "second edit", version: 1 }, locale: "ja" }),
      note.id,
    );
    expect(second.status).toBe(409);
    const conflict = await read(second);
    expect(conflict).toMatchObject({ ok: false, code: "conflict", message: ja.Notes.errors.conflict });
    expect(conflict.current).toMatchObject({ id: note.id, body: "first edit", version: 2 });
    expect((await prisma.note.findUniqueOrThrow({ where: { id: note.id } })).body).toBe("first edit");

    const history = await api.getNoteHistory(request("GET", `/api/notes/${note.id}/history`, { user: alice }), note.id);
    expect(history.status).toBe(200);
    const revisions = (await read(history)).revisions;
    expect(revisions).toHaveLength(1);
    expect(revisions[0]).toMatchObject({ version: 1, body: "original body", tag: "insight" });
    // Public history is public.
    const anonymousHistory = await api.getNoteHistory(request("GET", "/"), note.id);
    expect((await read(anonymousHistory)).revisions.map((r) => r.body)).toEqual(["original body"]);
  });

  it("two concurrent edits from the same version: exactly one wins", async () => {
    const alice = await signUp("alice");
    const note = await create(alice, commentInput(paragraph("p-8"), { body: "v1" }));
    const settled = await Promise.allSettled(
      ["edit A", "edit B"].map((body) => api.patchNote(request("PATCH", "/", { user: alice, body: { body, version: 1 } }), note.id)),
    );
    const responses = settled.map((result) => {
      expect(result.status).toBe("fulfilled");
      return (result as PromiseFulfilledResult<Response>).value;
    });
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
    const row = await prisma.note.findUniqueOrThrow({ where: { id: note.id } });
    expect(row.version).toBe(2);
    expect(await prisma.noteRevision.count({ where: { noteId: note.id } })).toBe(1);
    const winner = await read(responses.find((r) => r.status === 200)!);
    expect(row.body).toBe(winner.note.body);
  });

  it("private edits and deletes do not invalidate the public cache", async () => {
    const alice = await signUp("alice");
    const note = await create(alice, commentInput(paragraph("p-8"), { visibility: "private", body: "mine" }));
    const edit = await api.patchNote(request("PATCH", "/", { user: alice, body: { body: "mine, edited", version: 1 } }), note.id);
    expect(edit.status).toBe(200);
    const removal = await api.removeNote(request("DELETE", "/", { user: alice }), note.id);
    expect(removal.status).toBe(200);
    expect(revalidateTag).not.toHaveBeenCalled();
  });
});

// ---- deleting ----------------------------------------------------------------------------------

describe("soft delete", () => {
  it("leaves a placeholder while replies remain, drops deleted leaves and excludes deleted notes from counts", async () => {
    const alice = await signUp("alice");
    const bob = await signUp("bob");
    const p = paragraph("p-9");
    const root = await create(alice, commentInput(p, { body: "root text", tag: "question" }));
    const reply = await create(bob, { parentId: root.id, locale: "en", body: "a reply", idempotencyKey: key() });
    const leaf = await create(alice, commentInput(p, { body: "leaf text" }));
    const highlight = await create(alice, annotationInput(p, "en", passage(p.text.en, 0, 12)));
    expect((await dataModule.getNoteOverlayData(articleId, null)).counts[p.id]).toBe(4);

    revalidateTag.mockClear();
    const removed = await api.removeNote(request("DELETE", `/api/notes/${root.id}`, { user: alice }), root.id);
    expect(removed.status).toBe(200);
    expect((await read(removed)).note).toMatchObject({ id: root.id, deleted: true, body: null, tag: null });
    // A removal expires signed-out readers' cached notes at once (never served stale).
    expect(revalidateTag).toHaveBeenCalledWith(`notes:${articleId}`, { expire: 0 });
    const stale = await api.removeNote(request("DELETE", "/", { user: alice, body: { version: 1 } }), leaf.id);
    expect(stale.status).toBe(200); // leaf is still at version 1
    const removedHighlight = await api.removeNote(request("DELETE", "/", { user: alice, body: { version: 3 } }), highlight.id);
    expect(removedHighlight.status).toBe(409);
    expect((await read(removedHighlight)).current.deleted).toBe(false);
    expect((await api.removeNote(request("DELETE", "/", { user: alice }), highlight.id)).status).toBe(200);

    for (const viewer of [null, alice, bob]) {
      const notes = await thread("p-9", viewer);
      const placeholder = notes.find((n) => n.id === root.id);
      expect(placeholder).toMatchObject({ deleted: true, body: null, tag: null, quote: null });
      expect(notes.find((n) => n.id === reply.id)).toMatchObject({ body: "a reply", deleted: false });
      expect(notes.some((n) => n.id === leaf.id)).toBe(false);
      expect(notes.some((n) => n.id === highlight.id)).toBe(false);
    }
    expect(JSON.stringify(await thread("p-9"))).not.toContain("root text");

    const data = await dataModule.getNoteOverlayData(articleId, alice.id);
    expect(data.counts[p.id]).toBe(1);
    expect(data.highlights.some((h) => h.id === highlight.id)).toBe(false);

    // A deleted note's text never comes back through the other endpoints either.
    const byId = await read(await api.getNote(request("GET", "/"), root.id));
    expect(byId.note).toMatchObject({ deleted: true, body: null });
    expect((await api.getNoteHistory(request("GET", "/", { user: alice }), root.id)).status).toBe(404);
    await resetRateLimit(alice);
    expect((await api.removeNote(request("DELETE", "/", { user: alice }), root.id)).status).toBe(404);
    expect((await api.patchNote(request("PATCH", "/", { user: alice, body: { body: "revive", version: 2 } }), root.id)).status).toBe(404);
    const replyToDeleted = await api.postNote(
      request("POST", "/api/notes", { user: bob, body: { parentId: root.id, locale: "en", body: "late", idempotencyKey: key() } }),
    );
    expect(replyToDeleted.status).toBe(404);

    // Once the last reply goes, the placeholder goes too.
    expect((await api.removeNote(request("DELETE", "/", { user: bob }), reply.id)).status).toBe(200);
    const after = await thread("p-9");
    expect(after.some((n) => n.id === root.id || n.id === reply.id)).toBe(false);
    expect((await dataModule.getNoteOverlayData(articleId, null)).counts[p.id]).toBeUndefined();
  });
});

describe("reply counts and bodiless deletes", () => {
  it("a deleted reply no longer counts as a reply of its parent", async () => {
    const alice = await signUp("alice");
    const bob = await signUp("bob");
    const p = paragraph("p-19");
    const root = await create(alice, commentInput(p, { body: "question" }));
    const kept = await create(bob, { parentId: root.id, locale: "en", body: "kept", idempotencyKey: key() });
    const gone = await create(bob, { parentId: root.id, locale: "en", body: "gone", idempotencyKey: key() });
    expect((await thread("p-19")).find((n) => n.id === root.id)?.replyCount).toBe(2);
    expect((await api.removeNote(request("DELETE", "/", { user: bob }), gone.id)).status).toBe(200);

    const listed = await thread("p-19");
    expect(listed.filter((n) => n.parentId === root.id).map((n) => n.id)).toEqual([kept.id]);
    expect(listed.find((n) => n.id === root.id)?.replyCount).toBe(1);
    expect((await allNotes(alice, "&author=mine")).notes.find((n) => n.id === root.id)?.replyCount).toBe(1);
    expect((await read(await api.getNote(request("GET", "/"), root.id))).note.replyCount).toBe(1);
  });

  it("DELETE without a JSON body (an empty body stream, as Next passes it) deletes", async () => {
    const alice = await signUp("alice");
    const note = await create(alice, commentInput(paragraph("p-19"), { body: "to delete" }));
    const response = await api.removeNote(request("DELETE", `/api/notes/${note.id}`, { user: alice, raw: "" }), note.id);
    expect(response.status).toBe(200);
    expect((await read(response)).note.deleted).toBe(true);
    const malformed = await create(alice, commentInput(paragraph("p-19"), { body: "kept" }));
    const bad = await api.removeNote(request("DELETE", "/", { user: alice, raw: "{version" }), malformed.id);
    expect(bad.status).toBe(400);
    expect((await read(bad)).code).toBe("invalid_json");
    expect((await prisma.note.findUniqueOrThrow({ where: { id: malformed.id } })).deletedAt).toBeNull();
  });
});

describe("all-notes listing", () => {
  it("pages newest first with a cursor, without gaps or duplicates, and filters", async () => {
    const carol = await signUp("carol");
    const p = paragraph("p-17");
    const created: NoteDto[] = [];
    for (let i = 0; i < 33; i++) {
      if (i % 7 === 0) await resetRateLimit(carol);
      const input = i % 11 === 0 ? annotationInput(p, "en", passage(p.text.en, i, 10), { tag: "vocabulary" }) : commentInput(p, { body: `note ${i}` });
      created.push(await create(carol, input));
    }
    const first = await allNotes(carol, "&author=mine");
    expect(first.notes).toHaveLength(30);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await allNotes(carol, `&author=mine&cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect(second.notes).toHaveLength(3);
    expect(second.nextCursor).toBeNull();
    expect(second.orphans).toEqual([]);
    const ids = [...first.notes, ...second.notes].map((n) => n.id);
    expect(new Set(ids).size).toBe(33);
    expect(ids).toEqual([...created].reverse().map((n) => n.id));

    const annotations = await allNotes(carol, "&author=mine&kind=annotation&tag=vocabulary");
    expect(annotations.notes.map((n) => n.id).sort()).toEqual(created.filter((n) => n.kind === "annotation").map((n) => n.id).sort());
    expect((await allNotes(carol, "&author=mine&locale=ja")).notes).toEqual([]);
    expect((await allNotes(null, "&author=mine")).notes).toEqual([]);
  });
});

// ---- idempotency -------------------------------------------------------------------------------

describe("double submit", () => {
  it("the same idempotency key twice in a row creates one note", async () => {
    const alice = await signUp("alice");
    const input = commentInput(paragraph("p-10"), { body: "once" });
    const first = await api.postNote(request("POST", "/api/notes", { user: alice, body: input }));
    const second = await api.postNote(request("POST", "/api/notes", { user: alice, body: input }));
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    const [a, b] = [await read(first), await read(second)];
    expect(a.replayed).toBe(false);
    expect(b.replayed).toBe(true);
    expect(b.note.id).toBe(a.note.id);
    expect(await prisma.note.count({ where: { authorId: alice.id, clientKey: input.idempotencyKey } })).toBe(1);

    // Another author with the same key is a different submission.
    const bob = await signUp("bob");
    const bobs = await create(bob, input);
    expect(bobs.id).not.toBe(a.note.id);
  });

  it("concurrent submissions with one key create one note and all return it", async () => {
    const alice = await signUp("alice");
    const input = commentInput(paragraph("p-10"), { body: "racing" });
    const responses = await Promise.all([1, 2, 3].map(() => api.postNote(request("POST", "/api/notes", { user: alice, body: input }))));
    const bodies = await Promise.all(responses.map(read));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(bodies.map((b) => b.note.id)).size).toBe(1);
    expect(await prisma.note.count({ where: { authorId: alice.id } })).toBe(1);

    const parent = bodies[0]!.note;
    const replyInput = { parentId: parent.id, locale: "en", body: "reply race", idempotencyKey: key() };
    const replies = await Promise.all([1, 2].map(() => api.postNote(request("POST", "/api/notes", { user: alice, body: replyInput }))));
    expect(replies.map((r) => r.status).sort()).toEqual([200, 201]);
    const replyBodies = await Promise.all(replies.map(read));
    expect(replyBodies[0]!.note.id).toBe(replyBodies[1]!.note.id);
    expect(await prisma.note.count({ where: { parentId: parent.id } })).toBe(1);
  });
});

// ---- rate limit --------------------------------------------------------------------------------

describe("rate limit", () => {
  it("refuses a burst of writes with 429 + Retry-After, per user", async () => {
    const alice = await signUp("alice");
    const bob = await signUp("bob");
    const p = paragraph("p-11");
    const startedAt = performance.now();
    const responses = await Promise.all(
      Array.from({ length: 14 }, (_, i) => api.postNote(request("POST", "/api/notes", { user: alice, body: commentInput(p, { body: `burst ${i}` }), locale: "ja" }))),
    );
    const refilled = Math.ceil(((performance.now() - startedAt) / 1000) * 4);
    const created = responses.filter((r) => r.status === 201);
    const limited = responses.filter((r) => r.status === 429);
    expect(created.length + limited.length).toBe(14);
    expect(created.length).toBeGreaterThanOrEqual(8);
    expect(created.length).toBeLessThanOrEqual(8 + refilled); // the burst plus what refilled meanwhile
    expect(limited.length).toBeGreaterThan(0);
    for (const response of limited) {
      const body = await read(response);
      expect(body.code).toBe("rate_limited");
      expect(Number.isInteger(body.retryAfterSeconds)).toBe(true);
      expect(body.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(response.headers.get("retry-after")).toBe(String(body.retryAfterSeconds));
      expect(body.message).toBe(ja.Notes.errors.rateLimited.replace("{seconds}", String(body.retryAfterSeconds)));
    }
    expect(await prisma.note.count({ where: { authorId: alice.id } })).toBe(created.length);

    // Edits draw from the same bucket.
    const note = (await read(created[0]!)).note;
    const edits = await Promise.all(
      Array.from({ length: 12 }, () => api.patchNote(request("PATCH", "/", { user: alice, body: { body: "edit", version: 1 } }), note.id)),
    );
    expect(edits.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    expect(edits.filter((r) => r.status === 200).length).toBeLessThanOrEqual(1);

    // Bob has his own bucket.
    await create(bob, commentInput(p, { body: "unaffected" }));
  });
});

// ---- malformed requests ------------------------------------------------------------------------

describe("request errors", () => {
  it("answers 401, 400, 413, 422 and 404 with JSON bodies, never 500", async () => {
    const alice = await signUp("alice");
    const p = paragraph("p-16");

    const anonymous = await api.postNote(request("POST", "/api/notes", { body: commentInput(p), locale: "ja" }));
    expect(anonymous.status).toBe(401);
    expect(await read(anonymous)).toEqual({ ok: false, code: "unauthenticated", message: ja.Notes.errors.unauthenticated });

    const forgedCookie = await api.postNote(
      request("POST", "/api/notes", { body: commentInput(p), headers: { cookie: "taiyaku.session_token=forged.value" } }),
    );
    expect(forgedCookie.status).toBe(401);

    const malformed = await api.postNote(request("POST", "/api/notes", { user: alice, raw: '{"paragraphId": ', locale: "ja" }));
    expect(malformed.status).toBe(400);
    expect(await read(malformed)).toEqual({ ok: false, code: "invalid_json", message: ja.Notes.errors.invalidJson });

    const huge = await api.postNote(request("POST", "/api/notes", { user: alice, body: commentInput(p, { body: "x".repeat(70_000) }) }));
    expect(huge.status).toBe(413);
    expect(await read(huge)).toEqual({ ok: false, code: "too_large", message: en.Notes.errors.tooLarge });

    const declared = await api.postNote(
      request("POST", "/api/notes", { user: alice, body: commentInput(p), headers: { "content-length": String(65 * 1024) } }),
    );
    expect(declared.status).toBe(413);

    const tooLong = await api.postNote(request("POST", "/api/notes", { user: alice, body: commentInput(p, { body: "あ".repeat(10_001) }), locale: "ja" }));
    expect(tooLong.status).toBe(422);
    const tooLongBody = await read(tooLong);
    expect(tooLongBody).toMatchObject({ code: "validation", message: ja.Notes.errors.bodyTooLong });
    expect(tooLongBody.fieldErrors?.body).toEqual([ja.Notes.errors.bodyTooLong]);

    const badKey = await api.postNote(request("POST", "/api/notes", { user: alice, body: commentInput(p, { idempotencyKey: "x" }) }));
    expect(badKey.status).toBe(422);
    expect((await read(badKey)).message).toBe(en.Notes.errors.badIdempotencyKey);
    expect(await prisma.note.count({ where: { authorId: alice.id } })).toBe(0);

    // JSON that is not an object is a validation error, not a crash.
    await resetRateLimit(alice);
    for (const raw of ["null", "[]", '"text"', "42", '{"parentId": null}']) {
      const response = await api.postNote(request("POST", "/api/notes", { user: alice, raw }));
      expect(response.status, raw).toBe(422);
      expect((await read(response)).code).toBe("validation");
    }

    // 10,000 Japanese characters (~30 KB of JSON) is the largest note and fits.
    await resetRateLimit(alice);
    const longest = await create(alice, commentInput(p, { body: "あ".repeat(10_000) }));
    expect(longest.body).toHaveLength(10_000);
  });

  it("answers 404 for unknown or malformed ids and unknown paragraphs or articles", async () => {
    const alice = await signUp("alice");
    const unknown = randomUUID();
    for (const id of [unknown, "not-a-uuid", "../../etc", "1 OR 1=1"]) {
      await resetRateLimit(alice);
      const responses = [
        await api.getNote(request("GET", "/", { user: alice }), id),
        await api.getNoteHistory(request("GET", "/"), id),
        await api.patchNote(request("PATCH", "/", { user: alice, body: { body: "x", version: 1 } }), id),
        await api.removeNote(request("DELETE", "/", { user: alice }), id),
      ];
      for (const response of responses) {
        expect(response.status).toBe(404);
        expect((await read(response)).code).toBe("not_found");
      }
    }

    await resetRateLimit(alice);
    const replyToUnknown = await api.postNote(
      request("POST", "/api/notes", { user: alice, body: { parentId: unknown, locale: "en", body: "x", idempotencyKey: key() } }),
    );
    expect(replyToUnknown.status).toBe(404);
    const unknownParagraph = await api.postNote(request("POST", "/api/notes", { user: alice, body: commentInput({ ...paragraph("p-16"), id: unknown }) }));
    expect(unknownParagraph.status).toBe(404);

    expect((await api.listNotes(request("GET", `/api/notes?article=no-such-article`))).status).toBe(404);
    expect((await api.listNotes(request("GET", `/api/notes?article=${SLUG}&paragraph=p-999`))).status).toBe(404);
    const badParagraph = await api.listNotes(request("GET", `/api/notes?article=${SLUG}&paragraph=intro`));
    expect(badParagraph.status).toBe(422);
    const badCursor = await api.listNotes(request("GET", `/api/notes?article=${SLUG}&cursor=garbage`));
    expect(badCursor.status).toBe(422);
    expect((await api.listNotes(request("GET", `/api/notes`))).status).toBe(422);
  });
});

// ---- untrusted content -------------------------------------------------------------------------

describe("markup in bodies", () => {
  it("stores script-like bodies verbatim and returns them only as JSON strings", async () => {
    const alice = await signUp("alice");
    const p = paragraph("p-12");
    const bodies = [
      "<script>alert(1)</script>",
      '<img src=x onerror="alert(1)">',
      "[x](javascript:alert(1))",
      "<svg onload=alert(1)>",
      '<iframe src="https://evil.example"></iframe>',
      "<style>body{display:none}</style>",
    ];
    const ids: string[] = [];
    for (const body of bodies) {
      const note = await create(alice, commentInput(p, { body }));
      expect(note.body).toBe(body);
      ids.push(note.id);
    }
    for (const [i, id] of ids.entries()) {
      const response = await api.getNote(request("GET", `/api/notes/${id}`), id);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect((await read(response)).note.body).toBe(bodies[i]);
      expect((await prisma.note.findUniqueOrThrow({ where: { id } })).body).toBe(bodies[i]);
    }
    const listing = await api.listNotes(request("GET", `/api/notes?article=${SLUG}&paragraph=p-12`));
    expect(listing.headers.get("content-type")).toMatch(/^application\/json/);
    const listed = (await read(listing)).notes.filter((n) => ids.includes(n.id)).map((n) => n.body);
    expect(listed.sort()).toEqual([...bodies].sort());
  });
});

// ---- anchoring ---------------------------------------------------------------------------------

describe("orphans", () => {
  it("lists an annotation whose quote vanished from the text as an orphan", async () => {
    const alice = await signUp("alice");
    const p = paragraph("p-13");
    const original = p.text.en;
    const note = await create(alice, annotationInput(p, "en", passage(original, 10, 40), { body: "about this" }));
    const comment = await create(alice, commentInput(p, { body: "not anchored to text" }));

    let listing = await allNotes();
    expect(listing.orphans.map((n) => n.id)).not.toContain(note.id);
    expect(listing.notes.find((n) => n.id === note.id)?.orphan).toBe(false);

    await setText(p, "en", "This paragraph was rewritten from scratch.");
    try {
      for (const viewer of [null, alice]) {
        listing = await allNotes(viewer);
        const orphan = listing.orphans.find((n) => n.id === note.id);
        expect(orphan).toMatchObject({ id: note.id, orphan: true, body: "about this" });
        expect(listing.orphans.map((n) => n.id)).not.toContain(comment.id);
        expect(listing.notes.find((n) => n.id === note.id)?.orphan).toBe(true);
        expect(listing.notes.find((n) => n.id === comment.id)?.orphan).toBe(false);
      }
      const paragraphThread = await thread("p-13");
      expect(paragraphThread.find((n) => n.id === note.id)?.orphan).toBe(true);
      const overlay = await overlayModule.buildNoteOverlay(await article(), null);
      expect(overlay.orphanIds).toContain(note.id);
      expect(overlay.segments[p.id]).toBeUndefined();
      expect(overlay.counts[p.id]).toBe(2); // orphans are still counted, never dropped
    } finally {
      await setText(p, "en", original);
    }
  });

  it("a one-character edit inside the quote still anchors (fuzzy), not an orphan", async () => {
    const alice = await signUp("alice");
    const p = paragraph("p-14");
    const original = p.text.en;
    const exact = passage(original, 20, 40);
    const note = await create(alice, annotationInput(p, "en", exact));
    const { start, end } = note.quote!;
    // Change one character in the middle of the quote, and insert text before it so the stored
    // position no longer matches either.
    const cps = Array.from(original);
    const middle = start + 20;
    cps[middle] = cps[middle] === "Q" ? "Z" : "Q";
    const edited = "Breaking: " + cps.join("");
    await setText(p, "en", edited);
    try {
      const listing = await allNotes();
      expect(listing.orphans.map((n) => n.id)).not.toContain(note.id);
      expect(listing.notes.find((n) => n.id === note.id)?.orphan).toBe(false);
      expect((await thread("p-14")).find((n) => n.id === note.id)?.orphan).toBe(false);
      const overlay = await overlayModule.buildNoteOverlay(await article(), null);
      expect(overlay.orphanIds).not.toContain(note.id);
      const segments = overlay.segments[p.id]?.en ?? [];
      const covered = segments.find((s) => s.topNoteId === note.id);
      expect(covered).toMatchObject({ start: start + 10, end: end + 10, count: 1 });
    } finally {
      await setText(p, "en", original);
    }
  });
});

// ---- overlay -----------------------------------------------------------------------------------

describe("overlay", () => {
  it("aggregates counts per paragraph (replies included) and flattens highlights into segments", async () => {
    const alice = await signUp("alice");
    const bob = await signUp("bob");
    const p = paragraph("p-15");
    const text = p.text.en;
    const length = Array.from(text).length;
    await create(alice, commentInput(p, { body: "one" }));
    const second = await create(alice, commentInput(p, { body: "two", locale: "ja" }));
    const a1 = await create(alice, annotationInput(p, "en", passage(text, 10, 30), { tag: "question" }));
    const a2 = await create(bob, annotationInput(p, "en", passage(text, 25, 30), { tag: "vocabulary" }));
    await create(bob, { parentId: second.id, locale: "en", body: "reply", idempotencyKey: key() });
    const japanese = await create(bob, annotationInput(p, "ja", passage(p.text.ja, 2, 5)));

    const data = await dataModule.getNoteOverlayData(articleId, null);
    expect(data.counts[p.id]).toBe(6);
    expect(data.highlights.filter((h) => h.paragraphId === p.id).map((h) => h.id)).toEqual([a1.id, a2.id, japanese.id]);
    const mineForBob = (await dataModule.getNoteOverlayData(articleId, bob.id)).highlights.filter((h) => h.paragraphId === p.id);
    expect(mineForBob.map((h) => h.mine)).toEqual([false, true, true]);

    for (const viewer of [null, alice.id]) {
      const overlay = await overlayModule.buildNoteOverlay(await article(), viewer);
      expect(overlay.counts[p.id]).toBe(6);
      expect(overlay.segments[p.id]?.en).toEqual([
        { start: 0, end: 10, count: 0, band: 0, topNoteId: null, tag: null },
        { start: 10, end: 25, count: 1, band: 1, topNoteId: a1.id, tag: "question" },
        // Overlaps keep only their density band: the markup must not grow with the notes.
        { start: 25, end: 40, count: 2, band: 2, topNoteId: null, tag: null },
        { start: 40, end: 55, count: 1, band: 1, topNoteId: a2.id, tag: "vocabulary" },
        { start: 55, end: length, count: 0, band: 0, topNoteId: null, tag: null },
      ]);
      const jaSegments = overlay.segments[p.id]?.ja;
      expect(jaSegments?.find((s) => s.count === 1)).toMatchObject({ start: 2, end: 7, topNoteId: japanese.id });
      expect(jaSegments?.at(-1)?.end).toBe(Array.from(p.text.ja).length);
    }

    // Other paragraphs are untouched by these notes.
    const untouched = await dataModule.getNoteOverlayData(articleId, null);
    expect(untouched.counts[paragraph("p-18").id]).toBeUndefined();
  });
});

// ---- paged paragraph threads -------------------------------------------------------------------

describe("a paragraph's threads in pages", () => {
  it("pages of 50 root threads newest first, each with all its replies; a cursor walks every thread once; total counts what the viewer sees", async () => {
    const alice = await signUp("pager-alice");
    const bob = await signUp("pager-bob");
    const p = paragraph("p-20");
    const base = Date.UTC(2026, 0, 1);
    const row = (authorId: string, minutes: number, extra: Record<string, unknown> = {}) => ({
      id: randomUUID(),
      articleId,
      paragraphId: p.id,
      locale: "en",
      authorId,
      kind: "comment" as const,
      visibility: "public" as const,
      body: `paged ${minutes}`,
      createdAt: new Date(base + minutes * 60_000),
      ...extra,
    });
    // 119 live public roots; pairs share a timestamp so the cursor's id tie-break is exercised.
    const live = Array.from({ length: 119 }, (_, i) => row(alice.id, Math.floor(i / 2) * 2));
    // A deleted root still holding a live reply shows as a placeholder (a thread: counted)…
    const held = row(alice.id, 300, { deletedAt: new Date(base) });
    // …a deleted root alone, bob's private root and bob's hidden root are not threads alice sees.
    const gone = row(alice.id, 301, { deletedAt: new Date(base) });
    const privateRoot = row(bob.id, 302, { visibility: "private" });
    const hiddenRoot = row(bob.id, 303, { status: "hidden" });
    await prisma.note.createMany({ data: [...live, held, gone, privateRoot, hiddenRoot] });
    // Every tenth live root gets two replies, created after the newest root.
    const withReplies = live.filter((_, i) => i % 10 === 0);
    const replies = [
      ...withReplies.flatMap((root, i) => [
        row(bob.id, 400 + i, { parentId: root.id, rootId: root.id, depth: 1 }),
        row(bob.id, 500 + i, { parentId: root.id, rootId: root.id, depth: 1 }),
      ]),
      row(bob.id, 600, { parentId: held.id, rootId: held.id, depth: 1 }),
    ];
    await prisma.note.createMany({ data: replies });

    const page = async (user: User | null, cursor?: string | null, layers?: string) => {
      const query = `${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}${layers ? `&layers=${layers}` : ""}`;
      const response = await api.listNotes(request("GET", `/api/notes?article=${SLUG}&paragraph=p-20${query}`, { user }));
      expect(response.status).toBe(200);
      return (await read(response)) as ApiBody & { total: number };
    };

    const seenRoots: string[] = [];
    const seenNotes = new Set<string>();
    let cursor: string | null = null;
    const sizes: number[] = [];
    do {
      const body = await page(alice, cursor);
      expect(body.total).toBe(120);
      const roots = body.notes.filter((n) => n.parentId === null);
      sizes.push(roots.length);
      for (const note of body.notes) {
        expect(seenNotes.has(note.id)).toBe(false);
        seenNotes.add(note.id);
        // Replies come with their own root, on the same page, after it.
        if (note.parentId) expect(body.notes.findIndex((n) => n.id === note.parentId)).toBeLessThan(body.notes.indexOf(note));
      }
      seenRoots.push(...roots.map((n) => n.id));
      cursor = body.nextCursor;
    } while (cursor && sizes.length < 10);
    expect(sizes).toEqual([50, 50, 20]);
    expect(new Set(seenRoots).size).toBe(120);
    // Newest first across pages: the placeholder (newest root) opens the first page.
    const expectedOrder: string[] = [held, ...[...live].reverse()].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id.localeCompare(a.id)).map((n) => n.id);
    const pagesInOrder = [seenRoots.slice(0, 50), seenRoots.slice(50, 100), seenRoots.slice(100)].flatMap((ids) =>
      [...ids].sort((a, b) => expectedOrder.indexOf(a) - expectedOrder.indexOf(b)),
    );
    expect(pagesInOrder).toEqual(expectedOrder);
    expect(seenRoots).not.toContain(gone.id);
    expect(seenRoots).not.toContain(privateRoot.id);
    expect(seenRoots).not.toContain(hiddenRoot.id);
    for (const reply of replies) expect(seenNotes.has(reply.id)).toBe(true);
    expect(seenNotes.size).toBe(120 + replies.length);

    // Within a page, creation order (a root, then its replies): the first page's roots ascend.
    const first = await page(alice);
    const firstRoots = first.notes.filter((n) => n.parentId === null);
    expect(firstRoots.map((n) => n.createdAt)).toEqual([...firstRoots.map((n) => n.createdAt)].sort());
    expect(first.notes.find((n) => n.id === held.id)).toMatchObject({ deleted: true, body: null });

    // The total follows the viewer and the layers.
    expect((await page(null)).total).toBe(120);
    expect((await page(bob)).total).toBe(122);
    const bobsOwn = await page(bob, null, "mine");
    expect(bobsOwn.total).toBe(2);
    expect(bobsOwn.notes.filter((n) => n.parentId === null).map((n) => n.id).sort()).toEqual([privateRoot.id, hiddenRoot.id].sort());
    expect(bobsOwn.nextCursor).toBeNull();
  });

  it("refuses malformed or out-of-range cursors with 422 before any query", async () => {
    const id = randomUUID();
    for (const cursor of [
      "garbage",
      `2026-02-31T00:00:00.000Z_${id}`,
      `1969-12-31T23:59:59.999Z_${id}`,
      `+275760-09-13T00:00:00.000Z_${id}`,
      `2026-01-01_${id}`,
      `2026-01-01T00:00:00.000Z_not-a-uuid`,
      `2026-01-01T00:00:00.000Z_${id}'); DROP TABLE note; --`,
    ]) {
      const response = await api.listNotes(request("GET", `/api/notes?article=${SLUG}&paragraph=p-20&cursor=${encodeURIComponent(cursor)}`));
      expect(response.status, cursor).toBe(422);
      expect((await read(response)).code).toBe("validation");
    }
    const fine = await api.listNotes(request("GET", `/api/notes?article=${SLUG}&paragraph=p-20&cursor=${encodeURIComponent(`2026-01-01T00:00:00.000Z_${id}`)}`));
    expect(fine.status).toBe(200);
  });
});
