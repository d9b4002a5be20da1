import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createAppTestDatabase } from "@/lib/testing/test-database";
import type { NotificationDto } from "@/features/notifications/types";
import type { NoteDto } from "./types";
import { signUpTestUser } from "@/lib/testing/test-users";

// Discussion features on top of notes: reactions, answered questions, @mentions, notifications,
// layers, unread markers and the heat-map aggregates. Same Request → Response functions as the
// routes, against a throwaway database; groups and members are inserted with Prisma directly.

vi.mock("next/cache", () => ({ unstable_cache: <T>(fn: T) => fn, revalidateTag: vi.fn() }));

const SLUG = "japan-patriot-missile-export";

type Api = typeof import("./api");
type Prisma = ReturnType<typeof import("@/lib/db/prisma").getPrisma>;
type Body = {
  ok: boolean;
  code?: string;
  note: NoteDto;
  current: NoteDto;
  notes: NoteDto[];
  members: { id: string; name: string }[];
  notifications: NotificationDto[];
  unread: number;
  unreadNotifications: number;
};
type User = { id: string; name: string; cookie: string };

let db: Awaited<ReturnType<typeof createAppTestDatabase>>;
let api: Api;
let accountsApi: typeof import("@/features/accounts/api");
let prisma: Prisma;
let data: typeof import("./data");
let notificationsApi: typeof import("@/features/notifications/api");
let notificationsData: typeof import("@/features/notifications/data");
let readingMutations: typeof import("@/features/reading/mutations");
let articleId: string;
const paragraphIds = new Map<string, string>();

beforeAll(async () => {
  db = await createAppTestDatabase("discussion");
  api = await import("./api");
  accountsApi = await import("@/features/accounts/api");
  prisma = (await import("@/lib/db/prisma")).getPrisma();
  data = await import("./data");
  notificationsApi = await import("@/features/notifications/api");
  notificationsData = await import("@/features/notifications/data");
  readingMutations = await import("@/features/reading/mutations");
  const article = await prisma.article.findUniqueOrThrow({
    where: { slug: SLUG },
    select: { id: true, paragraphs: { where: { position: { gt: 0 } }, select: { id: true, key: true } } },
  });
  articleId = article.id;
  for (const p of article.paragraphs) paragraphIds.set(p.key, p.id);
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

function signUp(label: string): Promise<User> {
  return signUpTestUser(label, { unique: true });
}

function request(method: string, path: string, user: User | null, body?: unknown): Request {
  const headers: Record<string, string> = { "x-ui-locale": "en" };
  if (user) headers.cookie = user.cookie;
  if (body !== undefined) headers["content-type"] = "application/json";
  return new Request(`http://localhost${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

async function read(response: Response): Promise<Body> {
  return (await response.json()) as Body;
}

async function makeGroup(name: string, members: User[]): Promise<string> {
  const group = await prisma.group.create({ data: { name, createdById: members[0]!.id } });
  await prisma.groupMember.createMany({
    data: members.map((m, i) => ({ groupId: group.id, userId: m.id, role: i === 0 ? ("owner" as const) : ("member" as const) })),
  });
  return group.id;
}

const pid = (key: string) => paragraphIds.get(key)!;

async function post(user: User, input: Record<string, unknown>): Promise<NoteDto> {
  const response = await api.postNote(request("POST", "/api/notes", user, { idempotencyKey: randomUUID(), ...input }));
  const body = await read(response);
  expect(response.status, JSON.stringify(body)).toBe(201);
  return body.note;
}

const comment = (key: string, extra: Record<string, unknown> = {}) => ({
  paragraphId: pid(key),
  locale: "en",
  kind: "comment",
  visibility: "public",
  body: "A comment",
  ...extra,
});

async function notifications(user: User): Promise<Body> {
  const response = await notificationsApi.getNotifications(request("GET", "/api/notifications", user));
  expect(response.status).toBe(200);
  return read(response);
}

describe("helpful reactions", () => {
  it("one per user, toggles, counts, and refuses own notes", async () => {
    const alice = await signUp("alice");
    const bob = await signUp("bob");
    const carol = await signUp("carol");
    const note = await post(alice, comment("p-1"));

    const put = () => api.putReaction(request("PUT", `/api/notes/${note.id}/reaction`, bob), note.id);
    let response = await put();
    expect(response.status).toBe(200);
    expect((await read(response)).note).toMatchObject({ helpfulCount: 1, helpfulByMe: true });
    // Twice is still one.
    response = await put();
    expect((await read(response)).note).toMatchObject({ helpfulCount: 1, helpfulByMe: true });
    await api.putReaction(request("PUT", `/api/notes/${note.id}/reaction`, carol), note.id);
    expect(await prisma.noteReaction.count({ where: { noteId: note.id } })).toBe(2);

    response = await api.removeReaction(request("DELETE", `/api/notes/${note.id}/reaction`, bob), note.id);
    expect((await read(response)).note).toMatchObject({ helpfulCount: 1, helpfulByMe: false });

    response = await api.putReaction(request("PUT", `/api/notes/${note.id}/reaction`, alice), note.id);
    expect(response.status).toBe(422);

    const anonymous = await api.putReaction(request("PUT", `/api/notes/${note.id}/reaction`, null), note.id);
    expect(anonymous.status).toBe(401);
  });

  it("404 for a private note or a group note the user cannot see", async () => {
    const alice = await signUp("alice");
    const bob = await signUp("bob");
    const mallory = await signUp("mallory");
    const groupId = await makeGroup("Readers", [alice, bob]);
    const privateNote = await post(alice, comment("p-2", { visibility: "private" }));
    const groupNote = await post(alice, comment("p-2", { visibility: "group", groupId }));
    for (const id of [privateNote.id, groupNote.id]) {
      const response = await api.putReaction(request("PUT", `/api/notes/${id}/reaction`, mallory), id);
      expect(response.status).toBe(404);
    }
    expect(await prisma.noteReaction.count({ where: { noteId: { in: [privateNote.id, groupNote.id] } } })).toBe(0);
    const bad = await api.putReaction(request("PUT", "/api/notes/nope/reaction", mallory), "nope");
    expect(bad.status).toBe(404);
    // A member may.
    const ok = await api.putReaction(request("PUT", `/api/notes/${groupNote.id}/reaction`, bob), groupNote.id);
    expect(ok.status).toBe(200);
  });
});

describe("answered questions", () => {
  it("only the author marks a reply of the same thread; stale version → 409; the reply's author is notified", async () => {
    const alice = await signUp("alice");
    const bob = await signUp("bob");
    const question = await post(alice, comment("p-3", { tag: "question", body: "Why?" }));
    const reply = await post(bob, { parentId: question.id, locale: "en", body: "Because." });
    const other = await post(bob, comment("p-3", { body: "Elsewhere" }));
    const otherReply = await post(alice, { parentId: other.id, locale: "en", body: "Not in the thread" });

    await prisma.rateLimitBucket.deleteMany({ where: { key: { in: [`notes:user:${alice.id}`, `notes:user:${bob.id}`] } } });
    const answer = (user: User, body: unknown) => api.putAnswer(request("PUT", `/api/notes/${question.id}/answer`, user, body), question.id);

    expect((await answer(bob, { replyId: reply.id, version: question.version })).status).toBe(404);
    expect((await answer(alice, { replyId: otherReply.id, version: question.version })).status).toBe(422);
    expect((await answer(alice, { replyId: reply.id, version: question.version, extra: 1 })).status).toBe(422);
    expect((await answer(alice, { replyId: reply.id })).status).toBe(422);
    expect((await answer(alice, { replyId: reply.id, version: question.version + 5 })).status).toBe(409);

    const response = await answer(alice, { replyId: reply.id, version: question.version });
    expect(response.status).toBe(200);
    const marked = (await read(response)).note;
    expect(marked.answeredById).toBe(reply.id);
    expect(marked.version).toBe(question.version + 1);
    // The old version is stale now.
    expect((await answer(alice, { replyId: reply.id, version: question.version })).status).toBe(409);

    const bobs = await notifications(bob);
    expect(bobs.notifications.filter((n) => n.kind === "answer").map((n) => n.note.id)).toEqual([reply.id]);

    // A comment that is not a question cannot be "answered".
    const notQuestion = await api.putAnswer(request("PUT", `/api/notes/${other.id}/answer`, bob, { replyId: otherReply.id, version: 1 }), other.id);
    expect(notQuestion.status).toBe(422);

    // Open-question counts follow.
    const overlayAfter = await data.getNoteOverlayData(articleId, alice.id);
    expect(overlayAfter.openQuestions[pid("p-3")] ?? 0).toBe(0);
    const unmark = await api.removeAnswer(request("DELETE", `/api/notes/${question.id}/answer`, alice, { version: marked.version }), question.id);
    expect(unmark.status).toBe(200);
    expect((await read(unmark)).note.answeredById).toBeNull();
    expect((await data.getNoteOverlayData(articleId, alice.id)).openQuestions[pid("p-3")]).toBe(1);
  });
});

describe("mentions and notifications", () => {
  it("a member mention stores a row and notifies; a non-member gets nothing; public notes ignore mentions", async () => {
    const alice = await signUp("alice");
    const bob = await signUp("bob");
    const outsider = await signUp("outsider");
    const groupId = await makeGroup("Study", [alice, bob]);

    const search = await api.listMentionCandidates(request("GET", `/api/notes/mentions?groupId=${groupId}&q=${bob.name.slice(0, 3)}`, alice));
    expect(search.status).toBe(200);
    expect((await read(search)).members.map((m) => m.id)).toContain(bob.id);
    const notMine = await api.listMentionCandidates(request("GET", `/api/notes/mentions?groupId=${groupId}&q=`, outsider));
    expect(notMine.status).toBe(404);

    const note = await post(alice, comment("p-4", { visibility: "group", groupId, body: `@${bob.name} @outsider look`, mentions: [bob.id, outsider.id, alice.id] }));
    const rows = await prisma.noteMention.findMany({ where: { noteId: note.id } });
    expect(rows.map((r) => r.userId)).toEqual([bob.id]);
    expect((await notifications(bob)).notifications.map((n) => [n.kind, n.note.id, n.actor?.id])).toContainEqual(["mention", note.id, alice.id]);
    expect((await notifications(outsider)).notifications).toHaveLength(0);
    expect((await notifications(alice)).notifications).toHaveLength(0);

    const publicNote = await post(alice, comment("p-4", { body: `@${bob.name}`, mentions: [bob.id] }));
    expect(await prisma.noteMention.count({ where: { noteId: publicNote.id } })).toBe(0);
  });

  it("a reply notifies the parent's author (not oneself); lists and counts hide notes no longer visible", async () => {
    const alice = await signUp("alice");
    const bob = await signUp("bob");
    const groupId = await makeGroup("Club", [alice, bob]);
    const root = await post(bob, comment("p-5", { visibility: "group", groupId }));
    const reply = await post(alice, { parentId: root.id, locale: "en", body: "Reply", mentions: [bob.id] });
    await post(bob, { parentId: root.id, locale: "en", body: "Self reply" });

    let bobs = await notifications(bob);
    expect(bobs.notifications.map((n) => n.kind).sort()).toEqual(["mention", "reply"]);
    expect(bobs.unread).toBe(2);
    const me = await read(await accountsApi.me(request("GET", "/api/me", bob)));
    expect(me.unreadNotifications).toBe(2);
    expect((await notifications(alice)).notifications).toHaveLength(0);

    const excerpt = bobs.notifications[0]!;
    expect(excerpt.note).toMatchObject({ id: reply.id, articleSlug: SLUG });

    // Marking one read.
    const markOther = await notificationsApi.readNotification(request("POST", "/x", alice), excerpt.id);
    expect(markOther.status).toBe(404);
    const mark = await notificationsApi.readNotification(request("POST", "/x", bob), excerpt.id);
    expect(mark.status).toBe(200);
    expect((await notifications(bob)).unread).toBe(1);

    // Bob leaves the group: the notifications about its notes vanish from list and count.
    await prisma.groupMember.delete({ where: { groupId_userId: { groupId, userId: bob.id } } });
    bobs = await notifications(bob);
    expect(bobs.notifications).toHaveLength(0);
    expect(bobs.unread).toBe(0);
    expect(await notificationsData.countUnreadNotifications(bob.id)).toBe(0);

    await notificationsApi.readAllNotifications(request("POST", "/x", alice));
  });
});

describe("layers", () => {
  it("narrow the visible notes and never widen them", async () => {
    const alice = await signUp("alice");
    const bob = await signUp("bob");
    const mallory = await signUp("mallory");
    const groupA = await makeGroup("A", [alice, bob]);
    const groupB = await makeGroup("B", [bob]);
    const pub = await post(bob, comment("p-6"));
    const inA = await post(bob, comment("p-6", { visibility: "group", groupId: groupA }));
    const inB = await post(bob, comment("p-6", { visibility: "group", groupId: groupB }));
    const mine = await post(alice, comment("p-6", { visibility: "private" }));

    const thread = async (user: User, layers?: string) => {
      const query = layers === undefined ? "" : `&layers=${encodeURIComponent(layers)}`;
      const response = await api.listNotes(request("GET", `/api/notes?article=${SLUG}&paragraph=p-6${query}`, user));
      expect(response.status).toBe(200);
      return (await read(response)).notes.map((n) => n.id).sort();
    };
    expect(await thread(alice)).toEqual([pub.id, inA.id, mine.id].sort());
    expect(await thread(alice, `g:${groupA}`)).toEqual([inA.id]);
    expect(await thread(alice, "public,mine")).toEqual([pub.id, mine.id].sort());
    // A group I am not in is ignored, not opened.
    expect(await thread(alice, `g:${groupB}`)).toEqual([]);
    expect(await thread(bob, `g:${groupB}`)).toEqual([inB.id]);
    expect(await thread(alice, `public,g:${groupB}`)).toEqual([pub.id]);
    expect(await thread(mallory, `g:${groupA},g:${groupB},mine,public`)).toEqual([pub.id]);
    expect(await thread(alice, "none")).toEqual([]);
    expect(await thread(alice, "garbage,,g:not-a-uuid")).toEqual([]);

    const overlay = await data.getNoteOverlayData(articleId, alice.id, { layers: { public: false, mine: false, groupIds: [groupA, groupB] } });
    expect(overlay.counts[pid("p-6")]).toBe(1);
    const all = await data.getNoteOverlayData(articleId, alice.id);
    expect(all.counts[pid("p-6")]).toBe(3);

    const list = await api.listNotes(request("GET", `/api/notes?article=${SLUG}&layers=${encodeURIComponent(`g:${groupA}`)}`, alice));
    expect((await read(list)).notes.map((n) => n.id)).toEqual([inA.id]);
  });
});

describe("unread since the last visit and heat-map aggregates", () => {
  it("records visits and counts others' notes since the previous one", async () => {
    const alice = await signUp("alice");
    const bob = await signUp("bob");
    expect((await readingMutations.openReadingSession(alice.id, articleId)).since).toBeNull();
    const first = await prisma.articleVisit.findUniqueOrThrow({ where: { userId_articleId: { userId: alice.id, articleId } } });
    // A reload within the same session: still no earlier visit to compare with.
    expect((await readingMutations.openReadingSession(alice.id, articleId)).since).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await post(bob, comment("p-7"));
    await post(alice, comment("p-7"));
    // Back after a pause: a new session, counted from where the first one ended.
    const gap = readingMutations.VISIT_SESSION_GAP_MS + 60_000;
    const back = new Date(Date.now() + gap);
    const previous = (await readingMutations.openReadingSession(alice.id, articleId, back)).since;
    expect(previous!.getTime()).toBeGreaterThanOrEqual(first.lastVisitedAt.getTime());
    expect(previous!.getTime()).toBeLessThan(back.getTime());
    const overlay = await data.getNoteOverlayData(articleId, alice.id, { since: previous });
    // Bob's note only: one's own notes are never "new".
    expect(overlay.unread[pid("p-7")]).toBe(1);
    // Reloads within that session keep the same boundary: the marker stays.
    const reload = (await readingMutations.openReadingSession(alice.id, articleId, new Date(back.getTime() + 60_000))).since;
    expect(reload!.getTime()).toBe(previous!.getTime());
    // The next session starts after that one: Bob's note is no longer new.
    const later = (await readingMutations.openReadingSession(alice.id, articleId, new Date(back.getTime() + 2 * gap))).since;
    expect(later!.getTime()).toBe(back.getTime() + 60_000);
    expect((await data.getNoteOverlayData(articleId, alice.id, { since: later })).unread[pid("p-7")]).toBeUndefined();
  });

  it("aggregates notes and open questions per paragraph in the counts query", async () => {
    const alice = await signUp("alice");
    const bob = await signUp("bob");
    const groupId = await makeGroup("Heat", [alice, bob]);
    await post(bob, comment("p-8", { visibility: "group", groupId, tag: "question" }));
    await post(bob, comment("p-8", { visibility: "group", groupId, tag: "question" }));
    const q = await post(bob, comment("p-8", { tag: "question" }));
    await post(alice, { parentId: q.id, locale: "en", body: "reply" });
    const groupOnly = await data.getNoteOverlayData(articleId, alice.id, { layers: { public: false, mine: false, groupIds: [groupId] } });
    expect(groupOnly.counts[pid("p-8")]).toBe(2);
    expect(groupOnly.openQuestions[pid("p-8")]).toBe(2);
    const everything = await data.getNoteOverlayData(articleId, alice.id);
    expect(everything.counts[pid("p-8")]).toBe(4);
    expect(everything.openQuestions[pid("p-8")]).toBe(3);
    // Outsiders see only the public question.
    const outsider = await data.getNoteOverlayData(articleId, null);
    expect(outsider.openQuestions[pid("p-8")]).toBe(1);
  });
});
