import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import en from "@/messages/en.json";
import ja from "@/messages/ja.json";
import { createAppTestDatabase } from "@/lib/testing/test-database";
import type { NoteDto } from "@/features/notes/types";
import type { QueueItem } from "./data";
import { signUpTestUser } from "@/lib/testing/test-users";

// Integration tests for moderation: the Request → Response functions behind app/api/moderation/**
// and app/api/notes/[id]/flag, together with the notes API they change, against a throwaway
// PostgreSQL database seeded with the real article. Tests in this file share one database and
// run in order; each works on its own paragraphs, users and groups.

vi.mock("next/cache", () => ({
  unstable_cache: <T>(fn: T) => fn,
  revalidateTag: vi.fn(),
}));

const SLUG = "japan-patriot-missile-export";

type ModApi = typeof import("./api");
type NotesApi = typeof import("@/features/notes/api");
type Prisma = ReturnType<typeof import("@/lib/db/prisma").getPrisma>;
type Json = Record<string, unknown> & { ok: boolean; code?: string; message?: string; fieldErrors?: Record<string, string[]> };
type QueueJson = { ok: true; items: (Omit<QueueItem, "createdAt"> & { createdAt: string })[]; total: number; page: number };
type LogJson = {
  ok: true;
  rows: { id: string; action: string; noteId: string | null; groupId: string | null; actor: { id: string }; publicReason: string }[];
  total: number;
};
type User = { id: string; email: string; cookie: string; name: string };
type Paragraph = { id: string; key: string };
type Locale = "en" | "ja";

let db: Awaited<ReturnType<typeof createAppTestDatabase>>;
let mod: ModApi;
let notes: NotesApi;
let prisma: Prisma;
let dataModule: typeof import("@/features/notes/data");
let articleId: string;
const paragraphs = new Map<string, Paragraph>();

// Staff shared by the whole file (roles set with Prisma, as an admin would).
let siteMod: User;
let admin: User;

beforeAll(async () => {
  db = await createAppTestDatabase("moderation");
  mod = await import("./api");
  notes = await import("@/features/notes/api");
  prisma = (await import("@/lib/db/prisma")).getPrisma();
  dataModule = await import("@/features/notes/data");

  const article = await prisma.article.findUniqueOrThrow({
    where: { slug: SLUG },
    select: { id: true, paragraphs: { where: { position: { gt: 0 } }, select: { id: true, key: true } } },
  });
  articleId = article.id;
  for (const p of article.paragraphs) paragraphs.set(p.key, p);

  siteMod = await signUp("sitemod", "moderator");
  admin = await signUp("admin", "admin");
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

// ---- helpers -----------------------------------------------------------------------------------

function paragraph(key: string): Paragraph {
  const p = paragraphs.get(key);
  if (!p) throw new Error(`no paragraph ${key}`);
  return p;
}

async function signUp(label: string, role?: "moderator" | "admin"): Promise<User> {
  const user = await signUpTestUser(label);
  if (role) await prisma.user.update({ where: { id: user.id }, data: { role } });
  return user;
}

type RequestOptions = { user?: User | null; body?: unknown; raw?: string; locale?: Locale };

function request(method: string, path: string, options: RequestOptions = {}): Request {
  const headers: Record<string, string> = { "x-ui-locale": options.locale ?? "en" };
  if (options.user) headers.cookie = options.user.cookie;
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers["content-type"] = "application/json";
  return new Request(`http://localhost${path}`, { method, headers, body });
}

async function read<T = Json>(response: Response): Promise<T> {
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  return (await response.json()) as T;
}

async function resetRateLimit(user: User) {
  await prisma.$executeRaw`DELETE FROM rate_limit_bucket WHERE key = ${`notes:user:${user.id}`}`;
}

type NoteOptions = { visibility?: "public" | "private" | "group"; groupId?: string; body?: string };

async function create(user: User, p: Paragraph, options: NoteOptions = {}): Promise<NoteDto> {
  await resetRateLimit(user);
  const input = {
    paragraphId: p.id,
    locale: "en",
    kind: "comment",
    visibility: options.visibility ?? "public",
    body: options.body ?? `A note by ${user.name}`,
    idempotencyKey: randomUUID(),
    ...(options.groupId ? { groupId: options.groupId } : {}),
  };
  const response = await notes.postNote(request("POST", "/api/notes", { user, body: input }));
  const body = await read<{ ok: boolean; note: NoteDto }>(response);
  expect(response.status, JSON.stringify(body)).toBe(201);
  return body.note;
}

async function reply(user: User, parentId: string, locale: Locale = "en"): Promise<Response> {
  await resetRateLimit(user);
  const input = { parentId, locale: "en", body: `A reply by ${user.name}`, idempotencyKey: randomUUID() };
  return notes.postNote(request("POST", "/api/notes", { user, body: input, locale }));
}

async function getNote(user: User | null, id: string): Promise<{ status: number; note?: NoteDto; body: Json }> {
  const response = await notes.getNote(request("GET", `/api/notes/${id}`, { user }), id);
  const body = await read<Json & { note?: NoteDto }>(response);
  return { status: response.status, note: body.note, body };
}

async function thread(key: string, user: User | null): Promise<NoteDto[]> {
  const response = await notes.listNotes(request("GET", `/api/notes?article=${SLUG}&paragraph=${key}`, { user }));
  expect(response.status).toBe(200);
  return (await read<{ notes: NoteDto[] }>(response)).notes;
}

async function flag(user: User, noteId: string, body: unknown = { reason: "spam" }, locale: Locale = "en") {
  const response = await mod.postFlag(request("POST", `/api/notes/${noteId}/flag`, { user, body, locale }), noteId);
  return { status: response.status, body: await read(response) };
}

async function queue(user: User, query = "") {
  const response = await mod.getQueue(request("GET", `/api/moderation/queue${query}`, { user }));
  return { status: response.status, body: await read<QueueJson & Json>(response) };
}

async function act(user: User, noteId: string, input: Record<string, unknown>, locale: Locale = "en") {
  const response = await mod.postNoteAction(request("POST", `/api/moderation/notes/${noteId}`, { user, body: input, locale }), noteId);
  return { status: response.status, body: await read<Json & { version?: number | null; currentVersion?: number }>(response) };
}

async function suspend(actor: User, userId: string, body: unknown, locale: Locale = "en") {
  const response = await mod.postSuspension(request("POST", `/api/moderation/users/${userId}/suspension`, { user: actor, body, locale }), userId);
  return { status: response.status, body: await read(response) };
}

async function lift(actor: User, userId: string, options: { body?: unknown; raw?: string } = {}) {
  const response = await mod.deleteSuspension(request("DELETE", `/api/moderation/users/${userId}/suspension`, { user: actor, ...options }), userId);
  return { status: response.status, body: await read(response) };
}

async function makeGroup(owner: User, members: { user: User; role: "owner" | "moderator" | "member" }[], preModeration = false) {
  const group = await prisma.group.create({ data: { name: `group-${randomUUID().slice(0, 8)}`, createdById: owner.id, preModeration } });
  await prisma.groupMember.create({ data: { groupId: group.id, userId: owner.id, role: "owner" } });
  for (const m of members) await prisma.groupMember.create({ data: { groupId: group.id, userId: m.user.id, role: m.role } });
  return group;
}

/** The ids of every log row, to check that one call appended exactly one (or none). */
async function logIds(): Promise<Set<string>> {
  return new Set((await prisma.moderationLog.findMany({ select: { id: true } })).map((r) => r.id));
}

async function newLogRows(before: Set<string>) {
  const rows = await prisma.moderationLog.findMany({ orderBy: { createdAt: "asc" } });
  return rows.filter((r) => !before.has(r.id));
}

/** Runs `fn` and checks it appended exactly one log row matching `expected`. */
async function logged<T>(expected: Record<string, unknown>, fn: () => Promise<T>): Promise<T> {
  const before = await logIds();
  const result = await fn();
  const added = await newLogRows(before);
  expect(added, JSON.stringify(added)).toHaveLength(1);
  expect(added[0]).toMatchObject(expected);
  return result;
}

/** Runs `fn` and checks it appended nothing to the log. */
async function unlogged<T>(fn: () => Promise<T>): Promise<T> {
  const before = await logIds();
  const result = await fn();
  expect(await newLogRows(before)).toEqual([]);
  return result;
}

const noteRow = (id: string) => prisma.note.findUniqueOrThrow({ where: { id } });

// ---- flags -------------------------------------------------------------------------------------

describe("flags", () => {
  it("a reader flags a visible public note once (201); a second flag is 409 in Japanese; the own note is 422", async () => {
    const alice = await signUp("alice");
    const bob = await signUp("bob");
    const note = await create(alice, paragraph("p-1"));

    const first = await unlogged(() => flag(bob, note.id, { reason: "spam" }));
    expect(first).toEqual({ status: 201, body: { ok: true, flagged: true } });
    const again = await flag(bob, note.id, { reason: "harassment" }, "ja");
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ ok: false, code: "conflict", message: ja.Moderation.errors.alreadyFlagged });

    const own = await flag(alice, note.id);
    expect(own.status).toBe(422);
    expect(own.body).toMatchObject({ ok: false, code: "validation", message: en.Moderation.errors.ownNote });

    const rows = await prisma.noteFlag.findMany({ where: { noteId: note.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ userId: bob.id, reason: "spam", details: null, resolvedAt: null });
    // Flagging changes nothing about the note itself.
    expect(await noteRow(note.id)).toMatchObject({ status: "visible", version: 1 });
  });

  it("the note data says whether the viewer flagged it (the note and its thread): true for the flagger only", async () => {
    const alice = await signUp("alice");
    const bob = await signUp("bob");
    const carol = await signUp("carol");
    const note = await create(alice, paragraph("p-1"));
    expect((await getNote(bob, note.id)).note).toMatchObject({ id: note.id, flaggedByMe: false });

    expect((await flag(bob, note.id)).status).toBe(201);
    expect((await getNote(bob, note.id)).note).toMatchObject({ id: note.id, flaggedByMe: true });
    expect((await getNote(carol, note.id)).note).toMatchObject({ flaggedByMe: false });
    expect((await getNote(alice, note.id)).note).toMatchObject({ flaggedByMe: false });
    expect((await getNote(null, note.id)).note).toMatchObject({ flaggedByMe: false });
    const inThread = async (user: User | null) => (await thread("p-1", user)).find((n) => n.id === note.id)?.flaggedByMe;
    expect(await inThread(bob)).toBe(true);
    expect(await inThread(carol)).toBe(false);
    expect(await inThread(null)).toBe(false);

    // A moderator dismissing the flags does not let the reader flag again: still flagged by them.
    expect((await act(siteMod, note.id, { action: "dismiss_flags", version: 1, internalNote: "fine" })).status).toBe(200);
    expect((await getNote(bob, note.id)).note).toMatchObject({ flaggedByMe: true });
  });

  it("private notes and group notes of other groups answer 404; members may flag their group's notes", async () => {
    const alice = await signUp("alice");
    const bob = await signUp("bob");
    const carol = await signUp("carol");
    const privateNote = await create(alice, paragraph("p-1"), { visibility: "private" });
    for (const user of [bob, alice, siteMod, admin]) {
      const response = await flag(user, privateNote.id);
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ ok: false, code: "not_found", message: en.Moderation.errors.notFound });
    }

    const group = await makeGroup(alice, [{ user: carol, role: "member" }]);
    const groupNote = await create(alice, paragraph("p-1"), { visibility: "group", groupId: group.id });
    expect((await flag(bob, groupNote.id)).status).toBe(404);
    expect((await flag(carol, groupNote.id, { reason: "off_topic" })).status).toBe(201);

    expect((await flag(bob, randomUUID())).status).toBe(404);
    expect((await flag(bob, "not-a-uuid")).status).toBe(404);
    const anonymous = await mod.postFlag(request("POST", "/", { body: { reason: "spam" } }), groupNote.id);
    expect(anonymous.status).toBe(401);
    expect(await prisma.noteFlag.count({ where: { noteId: { in: [privateNote.id, groupNote.id] } } })).toBe(1);
  });

  it("validates the flag: `other` needs details, unknown reasons and extra fields are refused", async () => {
    const alice = await signUp("alice");
    const bob = await signUp("bob");
    const note = await create(alice, paragraph("p-1"));

    const noDetails = await flag(bob, note.id, { reason: "other" }, "ja");
    expect(noDetails.status).toBe(422);
    expect(noDetails.body).toMatchObject({
      ok: false,
      code: "validation",
      message: ja.Moderation.errors.detailsRequired,
      fieldErrors: { details: [ja.Moderation.errors.detailsRequired] },
    });
    const blankDetails = await flag(bob, note.id, { reason: "other", details: "   " });
    expect(blankDetails.status).toBe(422);
    expect(blankDetails.body.message).toBe(en.Moderation.errors.detailsRequired);

    const extra = await flag(bob, note.id, { reason: "spam", userId: alice.id }, "ja");
    expect(extra.status).toBe(422);
    expect(extra.body).toEqual({ ok: false, code: "unexpected_field", message: ja.Moderation.errors.unexpectedField, fields: ["userId"] });

    const unknown = await flag(bob, note.id, { reason: "boring" });
    expect(unknown.status).toBe(422);
    expect(unknown.body.code).toBe("validation");

    const tooLong = await flag(bob, note.id, { reason: "other", details: "x".repeat(501) });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.message).toBe(en.Moderation.errors.detailsTooLong);

    expect(await prisma.noteFlag.count({ where: { noteId: note.id } })).toBe(0);
    const withDetails = await flag(bob, note.id, { reason: "other", details: "  copied from elsewhere  " });
    expect(withDetails.status).toBe(201);
    expect(await prisma.noteFlag.findFirstOrThrow({ where: { noteId: note.id } })).toMatchObject({ reason: "other", details: "copied from elsewhere" });
  });
});

// ---- queue -------------------------------------------------------------------------------------

describe("queue", () => {
  it("site moderators see flagged public notes, most-flagged first then oldest, with their flags; members get 404", async () => {
    const author = await signUp("author");
    const [r1, r2, r3] = [await signUp("r1"), await signUp("r2"), await signUp("r3")];
    const a = await create(author, paragraph("p-2"), { body: "one flag" });
    const b = await create(author, paragraph("p-2"), { body: "two flags, older" });
    const c = await create(author, paragraph("p-2"), { body: "two flags, newer" });
    const unflagged = await create(author, paragraph("p-2"), { body: "no flags" });
    expect((await flag(r1, a.id, { reason: "spam" })).status).toBe(201);
    expect((await flag(r1, c.id, { reason: "harassment" })).status).toBe(201);
    expect((await flag(r2, c.id, { reason: "spam" })).status).toBe(201);
    expect((await flag(r2, b.id, { reason: "misinformation" })).status).toBe(201);
    expect((await flag(r3, b.id, { reason: "other", details: "made up" })).status).toBe(201);

    const { status, body } = await queue(siteMod);
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, page: 1 });
    const ids = body.items.map((i) => i.id);
    expect(ids).not.toContain(unflagged.id);
    const order = [b.id, c.id, a.id].map((id) => ids.indexOf(id));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((x, y) => x - y));
    // Globally sorted by flag count, then age.
    for (let i = 1; i < body.items.length; i++) {
      const prev = body.items[i - 1]!;
      const next = body.items[i]!;
      expect(prev.flags.length).toBeGreaterThanOrEqual(next.flags.length);
      if (prev.flags.length === next.flags.length) expect(Date.parse(prev.createdAt)).toBeLessThanOrEqual(Date.parse(next.createdAt));
    }
    const itemB = body.items.find((i) => i.id === b.id)!;
    expect(itemB).toMatchObject({ body: "two flags, older", status: "visible", visibility: "public", author: { id: author.id, name: "author" } });
    expect(itemB.flags.map((f) => [f.reason, f.details, f.user.name, f.resolvedAt])).toEqual([
      ["misinformation", null, "r2", null],
      ["other", "made up", "r3", null],
    ]);
    expect(body.items.find((i) => i.id === a.id)!.flags.map((f) => f.reason)).toEqual(["spam"]);
    // Only public notes: site moderators never see group (or private) notes.
    expect(body.items.every((i) => i.visibility === "public")).toBe(true);
    expect(body.total).toBe(await prisma.note.count({ where: { visibility: "public", deletedAt: null, flags: { some: { resolvedAt: null } } } }));

    // Filters.
    const harassment = await queue(siteMod, "?reason=harassment");
    expect(harassment.body.items.map((i) => i.id)).toContain(c.id);
    expect(harassment.body.items.map((i) => i.id)).not.toContain(b.id);
    expect(harassment.body.items.every((i) => i.flags.some((f) => f.reason === "harassment"))).toBe(true);
    expect((await queue(siteMod, `?article=${SLUG}`)).body.items.map((i) => i.id)).toEqual(expect.arrayContaining([a.id, b.id, c.id]));
    expect((await queue(siteMod, "?article=no-such-article")).body).toMatchObject({ items: [], total: 0 });
    expect((await queue(siteMod, "?status=bogus")).status).toBe(422);

    // A reader who moderates nothing learns nothing.
    const member = await queue(r1);
    expect(member.status).toBe(404);
    expect(member.body).toMatchObject({ ok: false, code: "not_found", message: en.Moderation.errors.notFound });
    const anonymous = await mod.getQueue(request("GET", "/api/moderation/queue"));
    expect(anonymous.status).toBe(401);

    // Hidden and resolved views.
    const hide = await act(siteMod, a.id, { action: "hide", version: 1, publicReason: "Spam" });
    expect(hide.status).toBe(200);
    expect((await queue(siteMod)).body.items.map((i) => i.id)).not.toContain(a.id);
    const hidden = await queue(siteMod, "?status=hidden");
    expect(hidden.body.items.map((i) => i.id)).toContain(a.id);
    expect(hidden.body.items.find((i) => i.id === a.id)!.flags[0]!.resolvedAt).not.toBeNull();
    const dismiss = await act(siteMod, c.id, { action: "dismiss_flags", version: 1 });
    expect(dismiss.status).toBe(200);
    expect((await queue(siteMod)).body.items.map((i) => i.id)).not.toContain(c.id);
    expect((await queue(siteMod, "?status=resolved")).body.items.map((i) => i.id)).toContain(c.id);
  });

  it("group moderators see their group's flagged and pending notes only; group filter and pagination", async () => {
    const owner = await signUp("owner");
    const gm = await signUp("gm");
    const member = await signUp("member");
    const outsider = await signUp("outsider");
    const g = await makeGroup(owner, [{ user: gm, role: "moderator" }, { user: member, role: "member" }]);
    const h = await makeGroup(outsider, [{ user: member, role: "member" }]);
    const inG = await create(owner, paragraph("p-3"), { visibility: "group", groupId: g.id });
    const inH = await create(outsider, paragraph("p-3"), { visibility: "group", groupId: h.id });
    const pub = await create(owner, paragraph("p-3"));
    expect((await flag(member, inG.id)).status).toBe(201);
    expect((await flag(member, inH.id)).status).toBe(201);
    expect((await flag(member, pub.id)).status).toBe(201);

    const seen = await queue(gm);
    expect(seen.status).toBe(200);
    expect(seen.body.items.map((i) => i.id)).toEqual([inG.id]);
    expect(seen.body.items[0]).toMatchObject({ visibility: "group", group: { id: g.id, name: g.name } });
    expect(seen.body.total).toBe(1);
    // The owner moderates the group too; a plain member of both groups does not.
    expect((await queue(owner)).body.items.map((i) => i.id)).toEqual([inG.id]);
    expect((await queue(member)).status).toBe(404);
    // Site moderators see the public note but neither group's.
    const site = (await queue(siteMod)).body.items.map((i) => i.id);
    expect(site).toContain(pub.id);
    expect(site).not.toContain(inG.id);
    expect(site).not.toContain(inH.id);
    // Filtering by another group reveals nothing.
    expect((await queue(gm, `?group=${h.id}`)).body).toMatchObject({ items: [], total: 0 });
    expect((await queue(gm, `?group=${g.id}`)).body.items.map((i) => i.id)).toEqual([inG.id]);

    // Pagination: 22 more pending notes in G (pre-moderated members' notes, inserted directly).
    const p = paragraph("p-3");
    for (let i = 0; i < 22; i++) {
      await prisma.note.create({
        data: { articleId, paragraphId: p.id, locale: "en", authorId: member.id, kind: "comment", visibility: "group", groupId: g.id, status: "pending", body: `pending ${i}` },
      });
    }
    const page1 = await queue(gm, `?group=${g.id}`);
    expect(page1.body).toMatchObject({ total: 23, page: 1 });
    expect(page1.body.items).toHaveLength(20);
    expect(page1.body.items[0]!.id).toBe(inG.id); // flagged first
    const page2 = await queue(gm, `?group=${g.id}&page=2`);
    expect(page2.body).toMatchObject({ total: 23, page: 2 });
    expect(page2.body.items).toHaveLength(3);
    const all = [...page1.body.items, ...page2.body.items].map((i) => i.id);
    expect(new Set(all).size).toBe(23);
    expect((await queue(gm, `?group=${g.id}&page=3`)).body.items).toEqual([]);
    expect((await queue(gm, `?reason=spam`)).body.items.map((i) => i.id)).toEqual([inG.id]);
  });
});

// ---- actions -----------------------------------------------------------------------------------

describe("note actions", () => {
  it("taking down a public note expires the signed-out readers' cached notes at once; a group note's action touches no public cache", async () => {
    const { revalidateTag } = await import("next/cache");
    const alice = await signUp("alice");
    const publicNote = await create(alice, paragraph("p-5"), { body: "to be hidden" });
    vi.mocked(revalidateTag).mockClear();
    expect((await act(siteMod, publicNote.id, { action: "hide", version: 1, publicReason: "Off topic" })).status).toBe(200);
    // Never stale-while-revalidate ("max") for content a moderator took down.
    expect(vi.mocked(revalidateTag).mock.calls).toEqual([[`notes:${articleId}`, { expire: 0 }]]);
    vi.mocked(revalidateTag).mockClear();
    expect((await act(siteMod, publicNote.id, { action: "dismiss_flags", version: 2, publicReason: "" })).status).toBe(200);
    expect(vi.mocked(revalidateTag)).not.toHaveBeenCalled();
  });


  it("hide needs a public reason; the author still sees the note, others get 404 or a placeholder; counts exclude it; restore brings back the identical note", async () => {
    const alice = await signUp("alice");
    const bob = await signUp("bob");
    const carol = await signUp("carol");
    const p = paragraph("p-4");
    const withReply = await create(alice, p, { body: "has a reply" });
    expect((await reply(bob, withReply.id)).status).toBe(201);
    const alone = await create(alice, p, { body: "no replies" });
    expect((await flag(carol, alone.id)).status).toBe(201);
    const countsBefore = await dataModule.getNoteOverlayData(articleId, bob.id);
    const original = (await getNote(alice, alone.id)).note!;
    const originalOther = (await getNote(bob, alone.id)).note!;

    const missing = await unlogged(() => act(siteMod, alone.id, { action: "hide", version: 1 }, "ja"));
    expect(missing.status).toBe(422);
    expect(missing.body).toMatchObject({
      code: "validation",
      message: ja.Moderation.errors.reasonRequired,
      fieldErrors: { publicReason: [ja.Moderation.errors.reasonRequired] },
    });
    expect((await act(siteMod, alone.id, { action: "hide", version: 1, publicReason: "   " })).status).toBe(422);
    expect((await act(siteMod, alone.id, { action: "hide", version: 1, publicReason: "x", status: "visible" })).body.code).toBe("unexpected_field");
    expect((await act(siteMod, alone.id, { action: "vanish", version: 1, publicReason: "x" })).status).toBe(422);
    expect(await noteRow(alone.id)).toMatchObject({ status: "visible", version: 1 });

    const hidden = await logged(
      { actorId: siteMod.id, action: "hide", noteId: alone.id, targetUserId: alice.id, groupId: null, oldStatus: "visible", newStatus: "hidden", publicReason: "Off-topic advertising", internalNote: "third report this week" },
      () => act(siteMod, alone.id, { action: "hide", version: 1, publicReason: "Off-topic advertising", internalNote: "third report this week" }),
    );
    expect(hidden).toEqual({ status: 200, body: { ok: true, version: 2 } });
    expect(await prisma.noteFlag.count({ where: { noteId: alone.id, resolvedAt: null } })).toBe(0);
    await logged({ action: "hide", noteId: withReply.id, oldStatus: "visible", newStatus: "hidden" }, () =>
      act(siteMod, withReply.id, { action: "hide", version: 1, publicReason: "Rude" }),
    );

    // The author still reads it (marked hidden); everyone else gets 404.
    const byAuthor = await getNote(alice, alone.id);
    expect(byAuthor.status).toBe(200);
    expect(byAuthor.note).toMatchObject({ id: alone.id, status: "hidden", body: "no replies", deleted: false, moderated: false });
    for (const viewer of [bob, carol, siteMod, admin, null]) {
      const other = await getNote(viewer, alone.id);
      expect(other.status).toBe(404);
      expect(other.body.code).toBe("not_found");
    }
    // Hidden notes cannot be flagged any more.
    expect((await flag(bob, alone.id)).status).toBe(404);

    // In the thread, others see a content-free placeholder only where replies hang from it.
    for (const viewer of [bob, null]) {
      const listed = await thread("p-4", viewer);
      expect(listed.map((n) => n.id)).not.toContain(alone.id);
      const placeholder = listed.find((n) => n.id === withReply.id);
      expect(placeholder).toMatchObject({ moderated: true, deleted: true, body: null, tag: null, quote: null });
      expect(JSON.stringify(listed)).not.toContain("has a reply");
      expect(listed.some((n) => n.parentId === withReply.id && n.body === "A reply by bob")).toBe(true);
    }
    const authorThread = await thread("p-4", alice);
    expect(authorThread.find((n) => n.id === alone.id)).toMatchObject({ status: "hidden", body: "no replies" });
    expect(authorThread.find((n) => n.id === withReply.id)).toMatchObject({ status: "hidden", body: "has a reply", moderated: false });

    // Counts: two notes fewer for others (the reply still counts); unchanged for the author.
    const countsAfter = await dataModule.getNoteOverlayData(articleId, bob.id);
    expect(countsAfter.counts[p.id]).toBe(countsBefore.counts[p.id]! - 2);
    expect((await dataModule.getNoteOverlayData(articleId, null)).counts[p.id]).toBe(countsBefore.counts[p.id]! - 2);
    expect((await dataModule.getNoteOverlayData(articleId, alice.id)).counts[p.id]).toBe(countsBefore.counts[p.id]);

    // Restore: the same note as before, for the author and for others.
    const restored = await logged({ action: "restore", noteId: alone.id, oldStatus: "hidden", newStatus: "visible", publicReason: "" }, () =>
      act(siteMod, alone.id, { action: "restore", version: 2 }),
    );
    expect(restored).toEqual({ status: 200, body: { ok: true, version: 3 } });
    expect((await getNote(alice, alone.id)).note).toEqual({ ...original, version: 3 });
    expect((await getNote(bob, alone.id)).note).toEqual({ ...originalOther, version: 3 });
    expect((await getNote(bob, alone.id)).note!.body).toBe("no replies");
    // Restoring twice is not a state change.
    const again = await unlogged(() => act(siteMod, alone.id, { action: "restore", version: 3 }));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: "conflict", message: en.Moderation.errors.invalidState });
  });

  it("notifies the author once per note, with the latest action and its public reason", async () => {
    const alice = await signUp("alice");
    const note = await create(alice, paragraph("p-5"));
    expect((await act(siteMod, note.id, { action: "hide", version: 1, publicReason: "Spam link" })).status).toBe(200);
    let notifications = await prisma.notification.findMany({ where: { userId: alice.id }, include: { moderationLog: true } });
    expect(notifications).toHaveLength(1);
    expect(notifications[0]).toMatchObject({ kind: "moderation", noteId: note.id, actorId: null, readAt: null });
    expect(notifications[0]!.moderationLog).toMatchObject({ action: "hide", publicReason: "Spam link", actorId: siteMod.id });

    await prisma.notification.update({ where: { id: notifications[0]!.id }, data: { readAt: new Date() } });
    expect((await act(siteMod, note.id, { action: "restore", version: 2, publicReason: "Appeal accepted" })).status).toBe(200);
    notifications = await prisma.notification.findMany({ where: { userId: alice.id }, include: { moderationLog: true } });
    expect(notifications).toHaveLength(1);
    expect(notifications[0]).toMatchObject({ kind: "moderation", readAt: null });
    expect(notifications[0]!.moderationLog).toMatchObject({ action: "restore", publicReason: "Appeal accepted" });

    // A moderator acting on their own note is not notified.
    const own = await create(siteMod, paragraph("p-5"));
    expect((await act(siteMod, own.id, { action: "lock", version: 1 })).status).toBe(200);
    expect(await prisma.notification.count({ where: { userId: siteMod.id } })).toBe(0);
  });

  it("delete (soft) leaves a moderated placeholder; restore brings the body back", async () => {
    const alice = await signUp("alice");
    const bob = await signUp("bob");
    const note = await create(alice, paragraph("p-6"), { body: "to be deleted" });
    expect((await reply(bob, note.id)).status).toBe(201);
    expect((await act(siteMod, note.id, { action: "delete", version: 1 })).status).toBe(422);

    await logged({ action: "delete", oldStatus: "visible", newStatus: "deleted", publicReason: "Personal data" }, async () =>
      expect(await act(siteMod, note.id, { action: "delete", version: 1, publicReason: "Personal data" })).toEqual({ status: 200, body: { ok: true, version: 2 } }),
    );
    expect(await noteRow(note.id)).toMatchObject({ body: "to be deleted", deletedById: siteMod.id, status: "visible", purgedAt: null });
    for (const viewer of [alice, bob]) {
      const seen = await getNote(viewer, note.id);
      expect(seen.note).toMatchObject({ deleted: true, moderated: true, body: null });
      expect((await thread("p-6", viewer)).find((n) => n.id === note.id)).toMatchObject({ deleted: true, moderated: true, body: null });
    }
    // The author cannot undo a moderator's deletion by editing or deleting.
    await resetRateLimit(alice);
    expect((await notes.patchNote(request("PATCH", "/", { user: alice, body: { body: "back!", version: 2 } }), note.id)).status).toBe(404);
    expect((await act(siteMod, note.id, { action: "hide", version: 2, publicReason: "x" })).status).toBe(409);
    expect((await queue(siteMod, "?status=hidden")).body.items.map((i) => i.id)).toContain(note.id);

    await logged({ action: "restore", oldStatus: "deleted", newStatus: "visible" }, async () =>
      expect((await act(siteMod, note.id, { action: "restore", version: 2 })).status).toBe(200),
    );
    expect((await getNote(bob, note.id)).note).toMatchObject({ deleted: false, moderated: false, body: "to be deleted", version: 3 });
    expect(await noteRow(note.id)).toMatchObject({ deletedAt: null, deletedById: null });
  });

  it("restore does not bring back a note its author deleted", async () => {
    const alice = await signUp("alice");
    const note = await create(alice, paragraph("p-6"), { body: "I regret writing this" });
    await resetRateLimit(alice);
    expect((await notes.removeNote(request("DELETE", "/", { user: alice }), note.id)).status).toBe(200);
    const restore = await unlogged(() => act(siteMod, note.id, { action: "restore", version: 2 }));
    expect(restore.status).toBe(409);
    expect(restore.body.message).toBe(en.Moderation.errors.invalidState);
    expect(await noteRow(note.id)).toMatchObject({ version: 2, deletedById: null });
    expect((await getNote(null, note.id)).note).toMatchObject({ deleted: true, body: null });
  });

  it("purge is for admins only, needs confirm: true, erases the body and keeps the row", async () => {
    const alice = await signUp("alice");
    const bob = await signUp("bob");
    const note = await create(alice, paragraph("p-7"), { body: "doxxing content" });
    expect((await reply(bob, note.id)).status).toBe(201);

    const byModerator = await unlogged(() => act(siteMod, note.id, { action: "purge", version: 1, publicReason: "Doxxing", confirm: true }));
    expect(byModerator.status).toBe(404);
    expect(byModerator.body.code).toBe("not_found");
    const unconfirmed = await unlogged(() => act(admin, note.id, { action: "purge", version: 1, publicReason: "Doxxing" }, "ja"));
    expect(unconfirmed.status).toBe(422);
    expect(unconfirmed.body).toMatchObject({ code: "validation", message: ja.Moderation.errors.confirmRequired });
    expect((await act(admin, note.id, { action: "purge", version: 1, publicReason: "Doxxing", confirm: false })).status).toBe(422);
    expect((await noteRow(note.id)).body).toBe("doxxing content");

    await logged({ actorId: admin.id, action: "purge", oldStatus: "visible", newStatus: "purged", publicReason: "Doxxing" }, async () =>
      expect(await act(admin, note.id, { action: "purge", version: 1, publicReason: "Doxxing", confirm: true })).toEqual({ status: 200, body: { ok: true, version: 2 } }),
    );
    const row = await noteRow(note.id);
    expect(row).toMatchObject({ body: "", quoteExact: null, deletedById: admin.id, authorId: alice.id });
    expect(row.purgedAt).not.toBeNull();
    expect(row.deletedAt).not.toBeNull();
    expect(await prisma.note.count({ where: { parentId: note.id } })).toBe(1);
    expect((await getNote(alice, note.id)).note).toMatchObject({ deleted: true, moderated: true, body: null });
    const listed = await thread("p-7", bob);
    expect(listed.find((n) => n.id === note.id)).toMatchObject({ moderated: true, body: null });
    expect(JSON.stringify(listed)).not.toContain("doxxing content");
    // Nothing brings a purged note back.
    expect((await act(admin, note.id, { action: "restore", version: 2 })).status).toBe(409);
    expect((await act(admin, note.id, { action: "purge", version: 2, publicReason: "again", confirm: true })).status).toBe(409);
  });

  it("approve: a pre-moderated group's member notes wait (pending) until a group moderator approves them", async () => {
    const owner = await signUp("owner");
    const gm = await signUp("gm");
    const writer = await signUp("writer");
    const reader = await signUp("reader");
    const group = await makeGroup(owner, [{ user: gm, role: "moderator" }, { user: writer, role: "member" }, { user: reader, role: "member" }], true);
    const note = await create(writer, paragraph("p-8"), { visibility: "group", groupId: group.id, body: "waiting" });
    expect(note).toMatchObject({ status: "pending", visibility: "group" });
    // The moderator's own note does not wait.
    expect((await create(gm, paragraph("p-8"), { visibility: "group", groupId: group.id })).status).toBe("visible");

    expect((await getNote(reader, note.id)).status).toBe(404);
    expect((await thread("p-8", reader)).map((n) => n.id)).not.toContain(note.id);
    expect((await getNote(writer, note.id)).note).toMatchObject({ status: "pending", body: "waiting" });
    expect((await thread("p-8", writer)).find((n) => n.id === note.id)).toMatchObject({ status: "pending" });
    expect((await flag(reader, note.id)).status).toBe(404);
    expect((await reply(reader, note.id)).status).toBe(404);

    const gmQueue = await queue(gm);
    expect(gmQueue.body.items.find((i) => i.id === note.id)).toMatchObject({ status: "pending", flags: [] });
    expect((await queue(siteMod)).body.items.map((i) => i.id)).not.toContain(note.id);
    // Only group moderators approve: the site moderator and a member get 404.
    expect((await act(siteMod, note.id, { action: "approve", version: 1 })).status).toBe(404);
    expect((await act(reader, note.id, { action: "approve", version: 1 })).status).toBe(404);

    await logged({ actorId: gm.id, action: "approve", groupId: group.id, oldStatus: "pending", newStatus: "visible", targetUserId: writer.id }, async () =>
      expect(await act(gm, note.id, { action: "approve", version: 1 })).toEqual({ status: 200, body: { ok: true, version: 2 } }),
    );
    expect((await getNote(reader, note.id)).note).toMatchObject({ status: "visible", body: "waiting" });
    expect((await thread("p-8", reader)).map((n) => n.id)).toContain(note.id);
    expect((await queue(gm)).body.items.map((i) => i.id)).not.toContain(note.id);
    expect((await act(gm, note.id, { action: "approve", version: 2 })).status).toBe(409);
    const notice = await prisma.notification.findFirstOrThrow({ where: { userId: writer.id, kind: "moderation" }, include: { moderationLog: true } });
    expect(notice.moderationLog?.action).toBe("approve");
  });

  it("dismiss_flags resolves the flags and leaves the note's content and status alone", async () => {
    const alice = await signUp("alice");
    const bob = await signUp("bob");
    const carol = await signUp("carol");
    const note = await create(alice, paragraph("p-9"), { body: "controversial but fine" });
    expect((await flag(bob, note.id)).status).toBe(201);
    expect((await flag(carol, note.id, { reason: "misinformation" })).status).toBe(201);
    const before = await noteRow(note.id);

    await logged({ action: "dismiss_flags", oldStatus: "visible", newStatus: "flags dismissed", internalNote: "sourced claim" }, async () =>
      expect((await act(siteMod, note.id, { action: "dismiss_flags", version: 1, internalNote: "sourced claim" })).status).toBe(200),
    );
    const flags = await prisma.noteFlag.findMany({ where: { noteId: note.id } });
    expect(flags).toHaveLength(2);
    expect(flags.every((f) => f.resolvedAt !== null)).toBe(true);
    const after = await noteRow(note.id);
    expect({ ...after, version: 0, updatedAt: null }).toEqual({ ...before, version: 0, updatedAt: null });
    // Dismissing flags does not change the note, so its version stays: an author's open edit
    // remains valid.
    expect(after.version).toBe(1);
    expect((await getNote(bob, note.id)).note).toMatchObject({ status: "visible", body: "controversial but fine" });
    // A reader who already flagged cannot flag again; a new reader can re-open it.
    expect((await flag(bob, note.id)).status).toBe(409);
    const dave = await signUp("dave");
    expect((await flag(dave, note.id)).status).toBe(201);
    expect((await queue(siteMod)).body.items.map((i) => i.id)).toContain(note.id);
  });

  it("lock refuses replies anywhere in the thread with 423 (localized); unlock accepts them again", async () => {
    const alice = await signUp("alice");
    const bob = await signUp("bob");
    const root = await create(alice, paragraph("p-10"));
    const first = await reply(bob, root.id);
    expect(first.status).toBe(201);
    const firstReply = (await read<{ note: NoteDto }>(first)).note;

    // Only a thread's first note can be locked.
    expect((await act(siteMod, firstReply.id, { action: "lock", version: 1 })).status).toBe(409);
    await logged({ action: "lock", oldStatus: "unlocked", newStatus: "locked", noteId: root.id }, async () =>
      expect(await act(siteMod, root.id, { action: "lock", version: 1 })).toEqual({ status: 200, body: { ok: true, version: 2 } }),
    );
    expect((await getNote(bob, root.id)).note).toMatchObject({ locked: true, body: root.body });

    for (const parentId of [root.id, firstReply.id]) {
      const refused = await reply(bob, parentId, "ja");
      expect(refused.status).toBe(423);
      expect(await read(refused)).toEqual({ ok: false, code: "locked", message: ja.Notes.errors.locked });
    }
    const refusedEn = await reply(alice, root.id);
    expect(await read(refusedEn)).toMatchObject({ code: "locked", message: en.Notes.errors.locked });
    expect(await prisma.note.count({ where: { rootId: root.id } })).toBe(1);
    expect((await act(siteMod, root.id, { action: "lock", version: 2 })).status).toBe(409);

    await logged({ action: "unlock", oldStatus: "locked", newStatus: "unlocked" }, async () =>
      expect((await act(siteMod, root.id, { action: "unlock", version: 2 })).status).toBe(200),
    );
    expect((await reply(bob, root.id)).status).toBe(201);
    expect((await reply(bob, firstReply.id)).status).toBe(201);
    expect((await getNote(bob, root.id)).note).toMatchObject({ locked: false });
  });
});

// ---- stale versions ----------------------------------------------------------------------------

describe("stale versions", () => {
  it("an action from an old version is 409 and changes nothing; an author's edit makes the moderator's version stale", async () => {
    const alice = await signUp("alice");
    const note = await create(alice, paragraph("p-11"), { body: "first draft" });

    const future = await unlogged(() => act(siteMod, note.id, { action: "hide", version: 2, publicReason: "x" }, "ja"));
    expect(future.status).toBe(409);
    expect(future.body).toEqual({ ok: false, code: "conflict", message: ja.Moderation.errors.conflict, currentVersion: 1 });

    await resetRateLimit(alice);
    const edit = await notes.patchNote(request("PATCH", "/", { user: alice, body: { body: "second draft", version: 1 } }), note.id);
    expect(edit.status).toBe(200);
    const before = await noteRow(note.id);
    expect(before.version).toBe(2);
    const notificationsBefore = await prisma.notification.count({ where: { userId: alice.id } });

    for (const action of ["hide", "delete", "lock", "dismiss_flags"]) {
      const stale = await unlogged(() => act(siteMod, note.id, { action, version: 1, publicReason: "Saw the first draft" }));
      expect(stale.status, action).toBe(409);
      expect(stale.body).toMatchObject({ code: "conflict", message: en.Moderation.errors.conflict, currentVersion: 2 });
    }
    expect(await noteRow(note.id)).toEqual(before);
    expect(await prisma.notification.count({ where: { userId: alice.id } })).toBe(notificationsBefore);
    expect((await getNote(null, note.id)).note).toMatchObject({ body: "second draft", status: "visible" });

    // With the current version the action goes through.
    expect((await act(siteMod, note.id, { action: "hide", version: 2, publicReason: "Seen the second draft" })).status).toBe(200);
  });
});

// ---- permission boundaries ---------------------------------------------------------------------

describe("permission boundaries", () => {
  it("answers 404 to anyone acting outside their scope, and nothing changes", async () => {
    const ownerG = await signUp("ownerG");
    const gmG = await signUp("gmG");
    const memberG = await signUp("memberG");
    const ownerH = await signUp("ownerH");
    const g = await makeGroup(ownerG, [{ user: gmG, role: "moderator" }, { user: memberG, role: "member" }]);
    const h = await makeGroup(ownerH, [{ user: memberG, role: "member" }]);
    const p = paragraph("p-12");
    const noteG = await create(memberG, p, { visibility: "group", groupId: g.id });
    const noteH = await create(memberG, p, { visibility: "group", groupId: h.id });
    const publicNote = await create(memberG, p);
    const privateNote = await create(memberG, p, { visibility: "private" });
    const hide = { action: "hide", version: 1, publicReason: "Out of scope" };

    const attempts: [User, string][] = [
      [gmG, noteH.id], // moderator of G on a note of H
      [ownerG, noteH.id],
      [gmG, publicNote.id], // group moderators do not moderate public notes
      [memberG, noteG.id], // a member acting as moderator
      [ownerH, publicNote.id],
      [siteMod, noteG.id], // group notes belong to group moderators
      [admin, noteH.id],
      [siteMod, privateNote.id], // private notes: nobody
      [admin, privateNote.id],
      [memberG, privateNote.id], // not even the author
      [siteMod, randomUUID()],
      [siteMod, "not-a-uuid"],
    ];
    for (const [user, id] of attempts) {
      const response = await unlogged(() => act(user, id, hide, "ja"));
      expect(response.status, `${user.name} on ${id}`).toBe(404);
      expect(response.body).toEqual({ ok: false, code: "not_found", message: ja.Moderation.errors.notFound });
    }
    for (const id of [noteG.id, noteH.id, publicNote.id, privateNote.id]) expect(await noteRow(id)).toMatchObject({ status: "visible", version: 1 });
    expect(await prisma.notification.count({ where: { userId: memberG.id } })).toBe(0);

    // In scope, the same request works.
    expect((await act(gmG, noteG.id, hide)).status).toBe(200);
    expect((await act(ownerH, noteH.id, hide)).status).toBe(200);
    expect((await act(siteMod, publicNote.id, hide)).status).toBe(200);
    const anonymous = await mod.postNoteAction(request("POST", "/", { body: hide }), publicNote.id);
    expect(anonymous.status).toBe(401);
  });

  it("moderators cannot edit or delete someone else's note through the notes API", async () => {
    const alice = await signUp("alice");
    const note = await create(alice, paragraph("p-12"), { body: "mine" });
    for (const user of [siteMod, admin]) {
      await resetRateLimit(user);
      const patch = await notes.patchNote(request("PATCH", `/api/notes/${note.id}`, { user, body: { body: "edited by staff", version: 1 } }), note.id);
      expect(patch.status).toBe(404);
      expect((await read(patch)).code).toBe("not_found");
      expect((await notes.removeNote(request("DELETE", "/", { user }), note.id)).status).toBe(404);
    }
    expect(await noteRow(note.id)).toMatchObject({ body: "mine", version: 1, deletedAt: null });
  });
});

// ---- suspensions -------------------------------------------------------------------------------

describe("suspensions", () => {
  const longDate = (iso: string, locale: Locale) =>
    new Intl.DateTimeFormat(locale, { year: "numeric", month: "long", day: "numeric", timeZone: "Asia/Tokyo" }).format(new Date(iso));
  const nextYear = new Date().getUTCFullYear() + 1;

  it("a suspended member reads but cannot write or flag (403 with reason and end date); lifting restores writing", async () => {
    const alice = await signUp("alice");
    const bob = await signUp("bob");
    const p = paragraph("p-13");
    const existing = await create(bob, p);
    const mine = await create(alice, p);
    const endsAt = `${nextYear}-03-15T12:00:00.000Z`; // noon UTC: the same day in Tokyo and Los Angeles

    await logged({ actorId: siteMod.id, action: "suspend", targetUserId: alice.id, noteId: null, groupId: null, oldStatus: "active", newStatus: `suspended until ${endsAt}`, publicReason: "Repeated spam" }, async () =>
      expect(await suspend(siteMod, alice.id, { reason: "Repeated spam", endsAt })).toEqual({ status: 200, body: { ok: true, version: null } }),
    );

    // Reading still works.
    expect((await getNote(alice, existing.id)).status).toBe(200);
    expect((await thread("p-13", alice)).map((n) => n.id)).toContain(existing.id);

    for (const locale of ["en", "ja"] as const) {
      await resetRateLimit(alice);
      const input = { paragraphId: p.id, locale: "en", kind: "comment", visibility: "public", body: "still here", idempotencyKey: randomUUID() };
      const response = await notes.postNote(request("POST", "/api/notes", { user: alice, body: input, locale }));
      expect(response.status).toBe(403);
      const body = await read(response);
      const catalog = locale === "ja" ? ja : en;
      const message = catalog.Moderation.suspendedUntil.replace("{reason}", "Repeated spam").replace("{date, date, long}", longDate(endsAt, locale));
      expect(body).toEqual({ ok: false, code: "suspended", message, suspension: { reason: "Repeated spam", endsAt } });
    }
    const replyAttempt = await reply(alice, existing.id);
    expect(replyAttempt.status).toBe(403);
    expect((await notes.patchNote(request("PATCH", "/", { user: alice, body: { body: "edit", version: 1 } }), mine.id)).status).toBe(403);
    expect((await notes.removeNote(request("DELETE", "/", { user: alice }), mine.id)).status).toBe(403);
    const flagged = await flag(alice, existing.id, { reason: "spam" }, "ja");
    expect(flagged.status).toBe(403);
    expect(flagged.body).toMatchObject({ code: "suspended", message: expect.stringContaining("Repeated spam") });
    expect(await prisma.note.count({ where: { authorId: alice.id } })).toBe(1);
    expect(await prisma.noteFlag.count({ where: { userId: alice.id } })).toBe(0);

    // Lifting.
    await logged({ action: "unsuspend", targetUserId: alice.id, oldStatus: "suspended", newStatus: "active", publicReason: "Appeal accepted" }, async () =>
      expect(await lift(siteMod, alice.id, { body: { reason: "Appeal accepted" } })).toEqual({ status: 200, body: { ok: true, version: null } }),
    );
    await create(alice, p, { body: "back again" });
    expect((await flag(alice, existing.id)).status).toBe(201);
    // Nothing left to lift.
    expect((await unlogged(() => lift(siteMod, alice.id))).status).toBe(409);
  });

  it("an indefinite suspension says so; a bodiless DELETE lifts it", async () => {
    const carol = await signUp("carol");
    expect((await suspend(admin, carol.id, { reason: "Harassment", endsAt: null })).status).toBe(200);
    expect(await prisma.userSuspension.findFirstOrThrow({ where: { userId: carol.id } })).toMatchObject({ endsAt: null, liftedAt: null, createdById: admin.id });
    await resetRateLimit(carol);
    const input = { paragraphId: paragraph("p-13").id, locale: "en", kind: "comment", visibility: "public", body: "x", idempotencyKey: randomUUID() };
    for (const locale of ["en", "ja"] as const) {
      const response = await notes.postNote(request("POST", "/api/notes", { user: carol, body: input, locale }));
      expect(response.status).toBe(403);
      const catalog = locale === "ja" ? ja : en;
      expect(await read(response)).toEqual({
        ok: false,
        code: "suspended",
        message: catalog.Moderation.suspendedIndefinitely.replace("{reason}", "Harassment"),
        suspension: { reason: "Harassment", endsAt: null },
      });
    }
    // A second suspension replaces the first: one in force at a time.
    expect((await suspend(admin, carol.id, { reason: "Harassment, again" })).status).toBe(200);
    expect(await prisma.userSuspension.count({ where: { userId: carol.id, liftedAt: null } })).toBe(1);

    expect((await lift(siteMod, carol.id, { raw: "" })).status).toBe(200);
    await create(carol, paragraph("p-13"));
  });

  it("shows the end date in the site's time zone (Asia/Tokyo), not the server's", async () => {
    const dave = await signUp("dave");
    // 20:00 UTC is already the next day in Tokyo (and still the same day in Los Angeles).
    const endsAt = `${nextYear}-07-10T20:00:00.000Z`;
    expect((await suspend(siteMod, dave.id, { reason: "Cooling off", endsAt })).status).toBe(200);
    await resetRateLimit(dave);
    const input = { paragraphId: paragraph("p-13").id, locale: "en", kind: "comment", visibility: "public", body: "x", idempotencyKey: randomUUID() };
    const response = await notes.postNote(request("POST", "/api/notes", { user: dave, body: input, locale: "ja" }));
    expect(response.status).toBe(403);
    expect((await read(response)).message).toContain(longDate(endsAt, "ja"));
    expect((await lift(siteMod, dave.id)).status).toBe(200);
  });

  it("a suspended moderator cannot lift their own suspension, and moderators cannot lift staff suspensions", async () => {
    const suspendedMod = await signUp("suspendedmod", "moderator");
    expect((await suspend(admin, suspendedMod.id, { reason: "Abuse of powers" })).status).toBe(200);
    // Suspended staff are refused before anything else: 403 with their own suspension notice.
    const self = await unlogged(() => lift(suspendedMod, suspendedMod.id));
    expect(self.status).toBe(403);
    const byPeer = await unlogged(() => lift(siteMod, suspendedMod.id));
    expect(byPeer.status).toBe(404);
    expect(await prisma.userSuspension.count({ where: { userId: suspendedMod.id, liftedAt: null } })).toBe(1);
    expect((await lift(admin, suspendedMod.id)).status).toBe(200);
  });

  it("a suspended moderator cannot moderate (403 suspended)", async () => {
    const suspendedMod = await signUp("suspendedmod2", "moderator");
    const alice = await signUp("alice");
    const note = await create(alice, paragraph("p-13"));
    expect((await suspend(admin, suspendedMod.id, { reason: "Abuse of powers" })).status).toBe(200);
    const hide = await unlogged(() => act(suspendedMod, note.id, { action: "hide", version: 1, publicReason: "Revenge" }));
    expect(hide.status).toBe(403);
    expect(hide.body.code).toBe("suspended");
    const other = await signUp("victim");
    expect((await unlogged(() => suspend(suspendedMod, other.id, { reason: "Revenge" }))).status).toBe(403);
    expect(await noteRow(note.id)).toMatchObject({ status: "visible", version: 1 });
    expect((await lift(admin, suspendedMod.id)).status).toBe(200);
  });

  it("refuses suspensions outside the actor's powers or with a past end date", async () => {
    const member = await signUp("member");
    const other = await signUp("other");
    const otherMod = await signUp("othermod", "moderator");
    const owner = await signUp("groupowner");
    await makeGroup(owner, [{ user: other, role: "member" }]);
    const future = new Date(Date.now() + 86_400_000).toISOString();

    const refusals: [User, string][] = [
      [siteMod, admin.id], // moderators cannot suspend admins…
      [siteMod, otherMod.id], // …nor other moderators
      [siteMod, siteMod.id], // nor themselves
      [member, other.id], // members cannot suspend
      [owner, other.id], // group owners do not suspend site accounts
      [siteMod, "no-such-user"],
    ];
    for (const [actor, target] of refusals) {
      const response = await unlogged(() => suspend(actor, target, { reason: "Because", endsAt: future }));
      expect(response.status, `${actor.name} → ${target}`).toBe(404);
      expect(response.body.code).toBe("not_found");
    }
    expect(await prisma.userSuspension.count({ where: { userId: { in: [admin.id, otherMod.id, siteMod.id, other.id] } } })).toBe(0);
    // A plain member cannot lift either.
    expect((await lift(member, other.id)).status).toBe(404);

    const past = await unlogged(() => suspend(siteMod, member.id, { reason: "Late", endsAt: new Date(Date.now() - 60_000).toISOString() }, "ja"));
    expect(past.status).toBe(409);
    expect(past.body).toMatchObject({ code: "conflict", message: ja.Moderation.errors.invalidState });
    const badDate = await suspend(siteMod, member.id, { reason: "Late", endsAt: "next tuesday" });
    expect(badDate.status).toBe(422);
    expect(badDate.body.message).toBe(en.Moderation.errors.badDate);
    const noReason = await suspend(siteMod, member.id, { reason: " " });
    expect(noReason.status).toBe(422);
    expect(noReason.body.message).toBe(en.Moderation.errors.reasonRequired);
    expect((await suspend(siteMod, member.id, { reason: "x", role: "admin" })).body.code).toBe("unexpected_field");
    expect(await prisma.userSuspension.count({ where: { userId: member.id } })).toBe(0);

    // Admins may suspend moderators.
    expect((await suspend(admin, otherMod.id, { reason: "Abuse of powers" })).status).toBe(200);
    expect((await lift(admin, otherMod.id)).status).toBe(200);
  });
});

// ---- audit log ---------------------------------------------------------------------------------

/** RFC 4180 records (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      record.push(cell);
      cell = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      record.push(cell);
      records.push(record);
      record = [];
      cell = "";
      i++;
    } else cell += ch;
  }
  if (cell || record.length) {
    record.push(cell);
    records.push(record);
  }
  return records;
}

describe("audit log", () => {
  it("is append-only in the database: UPDATE, DELETE and TRUNCATE all fail", async () => {
    const count = await prisma.moderationLog.count();
    expect(count).toBeGreaterThan(0);
    const snapshot = await prisma.moderationLog.findMany({ orderBy: { id: "asc" } });
    await expect(prisma.$executeRawUnsafe(`UPDATE moderation_log SET public_reason = 'x'`)).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRawUnsafe(`DELETE FROM moderation_log`)).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRawUnsafe(`TRUNCATE moderation_log`)).rejects.toThrow();
    // With CASCADE the foreign keys do not stand in the way: the trigger alone refuses.
    await expect(prisma.$executeRawUnsafe(`TRUNCATE moderation_log CASCADE`)).rejects.toThrow(/append-only/);
    await expect(prisma.moderationLog.deleteMany({})).rejects.toThrow();
    await expect(prisma.moderationLog.updateMany({ data: { internalNote: "rewritten" } })).rejects.toThrow();
    expect(await prisma.moderationLog.findMany({ orderBy: { id: "asc" } })).toEqual(snapshot);
    expect(await prisma.notification.count({ where: { kind: "moderation" } })).toBeGreaterThan(0);
  });

  it("getLog: admins see every row, site moderators site rows, group moderators their group's rows, members 404", async () => {
    const owner = await signUp("logowner");
    const gm = await signUp("loggm");
    const member = await signUp("logmember");
    const group = await makeGroup(owner, [{ user: gm, role: "moderator" }, { user: member, role: "member" }]);
    const groupNote = await create(member, paragraph("p-14"), { visibility: "group", groupId: group.id });
    expect((await act(gm, groupNote.id, { action: "lock", version: 1, internalNote: "heated" })).status).toBe(200);
    expect((await act(gm, groupNote.id, { action: "unlock", version: 2 })).status).toBe(200);

    const getLog = async (user: User | null, query = "") => {
      const response = await mod.getLog(request("GET", `/api/moderation/log${query}`, { user }));
      return { status: response.status, response };
    };

    const all = await getLog(admin);
    expect(all.status).toBe(200);
    const adminBody = await read<LogJson>(all.response);
    const total = await prisma.moderationLog.count();
    expect(adminBody.total).toBe(total);
    expect(adminBody.rows).toHaveLength(Math.min(total, 50));
    expect(adminBody.rows.map((r) => r.action)).toEqual(expect.arrayContaining(["hide", "suspend"]));
    const page2 = await read<LogJson>((await getLog(admin, "?page=2")).response);
    expect(page2.rows).toHaveLength(Math.max(0, Math.min(total - 50, 50)));
    expect(new Set([...adminBody.rows, ...page2.rows].map((r) => r.id)).size).toBe(adminBody.rows.length + page2.rows.length);

    const groupLog = await read<LogJson>((await getLog(gm)).response);
    expect(groupLog.total).toBe(2);
    expect(groupLog.rows.map((r) => [r.action, r.groupId, r.noteId, r.actor.id])).toEqual([
      ["unlock", group.id, groupNote.id, gm.id],
      ["lock", group.id, groupNote.id, gm.id],
    ]);
    // Another group's rows stay out of reach even when asked for.
    const otherGroupId = (await prisma.moderationLog.findFirstOrThrow({ where: { groupId: { not: null, notIn: [group.id] } } })).groupId!;
    expect((await read<LogJson>((await getLog(gm, `?group=${otherGroupId}`)).response)).total).toBe(0);

    const siteLog = await read<LogJson>((await getLog(siteMod)).response);
    expect(siteLog.total).toBe(await prisma.moderationLog.count({ where: { groupId: null } }));
    expect(siteLog.rows.every((r) => r.groupId === null)).toBe(true);

    const hides = await read<LogJson>((await getLog(admin, "?action=hide")).response);
    expect(hides.total).toBe(await prisma.moderationLog.count({ where: { action: "hide" } }));
    expect(hides.rows.every((r) => r.action === "hide")).toBe(true);
    const byActor = await read<LogJson>((await getLog(admin, "?actor=LOGGM")).response);
    expect(byActor.rows.map((r) => r.actor.id)).toEqual([gm.id, gm.id]);

    const denied = await getLog(member);
    expect(denied.status).toBe(404);
    expect((await read(denied.response)).code).toBe("not_found");
    expect((await getLog(null)).status).toBe(401);
    expect((await getLog(admin, "?format=xml")).status).toBe(422);
  });

  it("exports CSV: header, one record per row, quotes/commas/newlines escaped, formula cells defused", async () => {
    const author = await signUp("csvauthor");
    const note = await create(author, paragraph("p-15"));
    const publicReason = 'He said "buy now", twice\nand linked =a shop';
    const internalNote = '=HYPERLINK("http://evil.example","click")';
    expect((await act(siteMod, note.id, { action: "hide", version: 1, publicReason, internalNote })).status).toBe(200);
    const plusNote = await create(author, paragraph("p-15"));
    // better-auth refuses such a name at sign-up; a profile edit or import could still store one.
    const formulaName = await signUp("formula");
    await prisma.user.update({ where: { id: formulaName.id }, data: { name: "=cmd|' /C calc'!A0" } });
    const formulaNote = await create(formulaName, paragraph("p-15"));
    expect((await act(siteMod, formulaNote.id, { action: "lock", version: 1 })).status).toBe(200);
    expect((await act(siteMod, plusNote.id, { action: "delete", version: 1, publicReason: "+1 spam", internalNote: "@everyone" })).status).toBe(200);

    const response = await mod.getLog(request("GET", "/api/moderation/log?format=csv", { user: admin }));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="moderation-log-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const bytes = new Uint8Array(await response.arrayBuffer());
    // A UTF-8 byte order mark, so spreadsheets read Japanese names correctly (text() strips it).
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { ignoreBOM: false }).decode(bytes);
    const records = parseCsv(text);
    expect(records[0]).toEqual(["time", "actor", "action", "note", "target_user", "group", "old_status", "new_status", "public_reason", "internal_note"]);
    const total = await prisma.moderationLog.count();
    expect(records).toHaveLength(total + 1);
    expect(records.every((r) => r.length === 10)).toBe(true);

    const hideRecord = records.find((r) => r[3] === note.id)!;
    expect(hideRecord.slice(1)).toEqual(["sitemod", "hide", note.id, "csvauthor", "", "visible", "hidden", publicReason, `'${internalNote}`]);
    expect(new Date(hideRecord[0]!).toString()).not.toBe("Invalid Date");
    // The raw text shows the escaping itself.
    expect(text).toContain(`"He said ""buy now"", twice\nand linked =a shop"`);
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    const deleteRecord = records.find((r) => r[3] === plusNote.id)!;
    expect(deleteRecord.slice(8)).toEqual(["'+1 spam", "'@everyone"]);
    // Display names are user-controlled too.
    expect(records.find((r) => r[3] === formulaNote.id)![4]).toBe("'=cmd|' /C calc'!A0");

    // Group moderators export only their rows; members get 404.
    const member = await signUp("csvmember");
    const denied = await mod.getLog(request("GET", "/api/moderation/log?format=csv", { user: member }));
    expect(denied.status).toBe(404);
  });
});

describe("role changes are logged", () => {
  it("a site role set from the console appends a row without an actor; a group role change names the owner", async () => {
    const { setUserRole } = await import("@/features/accounts/mutations");
    const member = await signUp("promoted");
    await logged({ action: "role_change", actorId: null, targetUserId: member.id, oldStatus: "member", newStatus: "moderator" }, () =>
      setUserRole(member.email, "moderator"),
    );
    // Setting the role it already has changes nothing and logs nothing.
    await unlogged(() => setUserRole(member.email, "moderator"));

    const owner = await signUp("groupowner");
    const reader = await signUp("groupreader");
    const group = await makeGroup(owner, [{ user: reader, role: "member" }]);
    const groupsApi = await import("@/features/groups/api");
    const response = await logged({ action: "role_change", actorId: owner.id, targetUserId: reader.id, groupId: group.id, oldStatus: "member", newStatus: "moderator" }, () =>
      groupsApi.patchMember(request("PATCH", `/api/groups/${group.id}/members/${reader.id}`, { user: owner, body: { role: "moderator", version: 1 } }), group.id, reader.id),
    );
    expect(response.status).toBe(200);
    // The group's moderators see it in their log; the console row is the admins' only.
    const groupLog = await read<{ rows: { action: string; groupId: string | null }[] }>(await mod.getLog(request("GET", "/api/moderation/log", { user: owner })));
    expect(groupLog.rows.filter((r) => r.action === "role_change").every((r) => r.groupId === group.id)).toBe(true);
    const adminLog = await read<{ rows: { action: string; actor: unknown }[] }>(await mod.getLog(request("GET", "/api/moderation/log?action=role_change", { user: admin })));
    expect(adminLog.rows.some((r) => r.actor === null)).toBe(true);
  });
});

describe("hidden notes leave the group's activity feed", () => {
  it("a member no longer sees a hidden group note in the feed; its author still does", async () => {
    const owner = await signUp("feedowner");
    const author = await signUp("feedauthor");
    const member = await signUp("feedmember");
    const group = await makeGroup(owner, [
      { user: author, role: "member" },
      { user: member, role: "member" },
    ]);
    const note = await create(author, paragraph("p-4"), { visibility: "group", groupId: group.id, body: "feed item to hide" });
    const groupsApi = await import("@/features/groups/api");
    const feed = async (user: User) =>
      (await read<{ items: { id: string }[] }>(await groupsApi.getActivity(request("GET", `/api/groups/${group.id}/activity`, { user }), group.id))).items.map((i) => i.id);
    expect(await feed(member)).toContain(note.id);
    const hidden = await act(owner, note.id, { action: "hide", version: note.version, publicReason: "Off-topic" });
    expect(hidden.status).toBe(200);
    expect(await feed(member)).not.toContain(note.id);
    expect(await feed(author)).toContain(note.id);
  });
});
