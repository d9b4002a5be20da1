import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createAppTestDatabase } from "@/lib/testing/test-database";
import type { HighlightRepaint } from "@/features/notes/types";
import type { ReaderState } from "./types";
import { signUpTestUser } from "@/lib/testing/test-users";

// The reader API (ADR 0012): every reader gets the same cached page, and a signed-in reader's
// own counts, highlights, layers, groups and suspension come from POST /reading and
// GET /highlights. Nothing a reader may not see may leak through either.

vi.mock("next/cache", () => ({ unstable_cache: <T>(fn: T) => fn, revalidateTag: vi.fn() }));

const SLUG = "japan-patriot-missile-export";

type User = { id: string; name: string; cookie: string };
type Paragraph = { id: string; key: string; text: Record<string, string> };

let db: Awaited<ReturnType<typeof createAppTestDatabase>>;
let api: typeof import("./api");
let prisma: ReturnType<typeof import("@/lib/db/prisma").getPrisma>;
let mutations: typeof import("./mutations");
let data: typeof import("./data");
let notesApi: typeof import("@/features/notes/api");
let notesData: typeof import("@/features/notes/data");
let articleId: string;
const paragraphs = new Map<string, Paragraph>();

beforeAll(async () => {
  db = await createAppTestDatabase("reader_state");
  api = await import("./api");
  prisma = (await import("@/lib/db/prisma")).getPrisma();
  mutations = await import("./mutations");
  data = await import("./data");
  notesApi = await import("@/features/notes/api");
  notesData = await import("@/features/notes/data");
  const article = await prisma.article.findUniqueOrThrow({
    where: { slug: SLUG },
    select: {
      id: true,
      paragraphs: { where: { position: { gt: 0 } }, select: { id: true, key: true, texts: { select: { locale: true, text: true } } } },
    },
  });
  articleId = article.id;
  for (const p of article.paragraphs) {
    paragraphs.set(p.key, { id: p.id, key: p.key, text: Object.fromEntries(p.texts.map((t) => [t.locale, t.text])) });
  }
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

function signUp(label: string): Promise<User> {
  return signUpTestUser(label, { unique: true });
}

function request(method: string, path: string, user: User | null, options: { body?: string; cookie?: string } = {}): Request {
  const headers: Record<string, string> = { "x-ui-locale": "en" };
  const cookies = [user?.cookie, options.cookie].filter(Boolean).join("; ");
  if (cookies) headers.cookie = cookies;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  return new Request(`http://localhost${path}`, { method, headers, body: options.body });
}

const p = (key: string) => paragraphs.get(key)!;

async function annotate(user: User, key: string, exact: string, extra: Record<string, unknown> = {}) {
  const text = p(key).text.en!;
  const at = text.indexOf(exact);
  if (at === -1) throw new Error(`"${exact}" is not in ${key}`);
  const start = Array.from(text.slice(0, at)).length;
  const response = await notesApi.postNote(
    request("POST", "/api/notes", user, {
      body: JSON.stringify({
        paragraphId: p(key).id,
        locale: "en",
        kind: "annotation",
        visibility: "public",
        body: "",
        range: { start, end: start + Array.from(exact).length, exact },
        idempotencyKey: randomUUID(),
        ...extra,
      }),
    }),
  );
  const body = (await response.json()) as { note: { id: string } };
  expect(response.status, JSON.stringify(body)).toBe(201);
  return body.note;
}

/** A passage of `p.text.en` from code point `from`, `length` long. */
const passage = (key: string, from: number, length: number) => Array.from(p(key).text.en!).slice(from, from + length).join("");

async function openReading(user: User | null, cookie?: string): Promise<{ status: number; state: ReaderState | null; code?: string }> {
  const response = await api.openReading(request("POST", `/api/articles/${SLUG}/reading`, user, { body: "{}", cookie }), SLUG);
  const body = (await response.json()) as { state?: ReaderState | null; code?: string };
  return { status: response.status, state: body.state ?? null, code: body.code };
}

async function highlights(user: User | null, keys: string[], cookie?: string): Promise<HighlightRepaint> {
  const ids = keys.map((k) => p(k).id).join(",");
  const response = await api.getHighlights(request("GET", `/api/articles/${SLUG}/highlights?paragraphs=${ids}`, user, { cookie }), SLUG);
  expect(response.status).toBe(200);
  return ((await response.json()) as { highlights: HighlightRepaint }).highlights;
}

/** Note ids painted on a paragraph (every locale): the top note of each run. */
function paintedIds(repaint: HighlightRepaint, key: string): string[] {
  const runs = Object.values(repaint.runs[p(key).id] ?? {}).flat();
  return runs.filter((r) => r.count > 0).map((r) => r.topNoteId!);
}

describe("POST /api/articles/{slug}/reading", () => {
  it("gives a signed-in reader their private highlight and count; others get neither", async () => {
    const alice = await signUp("alice");
    const bob = await signUp("bob");
    const mine = await annotate(alice, "p-3", passage("p-3", 0, 12), { visibility: "private" });
    const pub = await annotate(bob, "p-4", passage("p-4", 5, 10));

    const a = await openReading(alice);
    expect(a.status).toBe(200);
    expect(a.state!.viewer).toEqual({ id: alice.id, name: alice.name });
    expect(a.state!.highlights.scope).toBe("paragraphs");
    // Only the paragraph the cached page draws differently is repainted.
    expect(Object.keys(a.state!.highlights.runs)).toEqual([p("p-3").id]);
    expect(paintedIds(a.state!.highlights, "p-3")).toEqual([mine.id]);
    expect(a.state!.counts[p("p-3").id]).toBe(1);
    expect(a.state!.counts[p("p-4").id]).toBe(1);

    const b = await openReading(bob);
    expect(b.state!.highlights.runs[p("p-3").id]).toBeUndefined();
    // Bob's own public highlight is in any page rendered after it: nothing to redraw…
    expect(b.state!.highlights.runs[p("p-4").id]).toBeUndefined();
    // …but a page whose notes were read before he wrote it gets it redrawn: he sees his writes.
    const stalePage = await api.openReading(
      request("POST", `/api/articles/${SLUG}/reading`, bob, { body: JSON.stringify({ renderedAt: Date.now() - 60_000 }) }),
      SLUG,
    );
    expect(paintedIds(((await stalePage.json()) as { state: ReaderState }).state.highlights, "p-4")).toEqual([pub.id]);
    expect(b.state!.counts[p("p-3").id]).toBeUndefined();
    expect(JSON.stringify(b.state)).not.toContain(mine.id);
    // Asking for the paragraph explicitly shows only what Bob may see.
    const asked = await highlights(bob, ["p-3", "p-4"]);
    expect(paintedIds(asked, "p-3")).toEqual([]);
    expect(paintedIds(asked, "p-4")).toEqual([pub.id]);
    const anonymous = await highlights(null, ["p-3"]);
    expect(anonymous.runs[p("p-3").id]).toEqual({});
    // A reload of the state keeps paragraphs the page already redrew.
    const reload = await api.openReading(
      request("POST", `/api/articles/${SLUG}/reading`, bob, { body: JSON.stringify({ paragraphs: [p("p-4").id] }) }),
      SLUG,
    );
    const reloaded = ((await reload.json()) as { state: ReaderState }).state;
    expect(paintedIds(reloaded.highlights, "p-4")).toEqual([pub.id]);
  });

  it("repaints a whole paragraph (public runs too) where a group note sits; outsiders see the public one only", async () => {
    const alice = await signUp("alice");
    const bob = await signUp("bob");
    const eve = await signUp("eve");
    const group = await prisma.group.create({ data: { name: "Readers", createdById: alice.id } });
    await prisma.groupMember.createMany({
      data: [
        { groupId: group.id, userId: alice.id, role: "owner" },
        { groupId: group.id, userId: bob.id, role: "member" },
      ],
    });
    const pub = await annotate(eve, "p-5", passage("p-5", 0, 8));
    const inGroup = await annotate(alice, "p-5", passage("p-5", 20, 8), { visibility: "group", groupId: group.id });

    const b = await openReading(bob);
    expect(b.state!.groups).toEqual([{ id: group.id, name: "Readers" }]);
    expect(paintedIds(b.state!.highlights, "p-5").sort()).toEqual([pub.id, inGroup.id].sort());
    const e = await openReading(eve);
    expect(e.state!.groups).toEqual([]);
    expect(JSON.stringify(e.state)).not.toContain(inGroup.id);
    expect(paintedIds(await highlights(eve, ["p-5"]), "p-5")).toEqual([pub.id]);

    // Layers narrow: the group alone replaces every cached highlight ("all" scope)…
    const groupOnly = await openReading(bob, `taiyaku.layers=${encodeURIComponent(`g:${group.id}`)}`);
    expect(groupOnly.state!.layers).toBe(`g:${group.id}`);
    expect(groupOnly.state!.highlights.scope).toBe("all");
    expect(paintedIds(groupOnly.state!.highlights, "p-5")).toEqual([inGroup.id]);
    expect(groupOnly.state!.counts[p("p-5").id]).toBe(1);
    // …and a group the reader is not in opens nothing.
    const foreign = await openReading(eve, `taiyaku.layers=${encodeURIComponent(`g:${group.id}`)}`);
    expect(foreign.state!.layers).toBe("none");
    expect(foreign.state!.highlights).toEqual({ scope: "all", runs: {} });
    expect(foreign.state!.counts).toEqual({});
    expect(paintedIds(await highlights(eve, ["p-5"], `taiyaku.layers=${encodeURIComponent(`g:${group.id}`)}`), "p-5")).toEqual([]);

    // Removal from the group takes the notes away at once.
    await prisma.groupMember.delete({ where: { groupId_userId: { groupId: group.id, userId: bob.id } } });
    expect(JSON.stringify((await openReading(bob)).state)).not.toContain(inGroup.id);
  });

  it("records the visit: notes by others since the previous session count as unread", async () => {
    const alice = await signUp("alice");
    const bob = await signUp("bob");
    expect((await openReading(alice)).state!.unread).toEqual({});
    const visit = { userId_articleId: { userId: alice.id, articleId } };
    expect(await prisma.articleVisit.findUnique({ where: visit })).not.toBeNull();
    await annotate(bob, "p-6", passage("p-6", 0, 6));
    // A new session: the last visit moves back past the session gap.
    const earlier = new Date(Date.now() - mutations.VISIT_SESSION_GAP_MS - 60_000);
    await prisma.articleVisit.update({ where: visit, data: { lastVisitedAt: earlier } });
    const again = await openReading(alice);
    expect(again.state!.unread[p("p-6").id]).toBe(1);
  });

  it("counts from the shared public counts plus the reader's own rows agree with the full aggregate", async () => {
    const alice = await signUp("alice");
    const bob = await signUp("bob");
    const group = await prisma.group.create({ data: { name: "Counters", createdById: alice.id } });
    await prisma.groupMember.createMany({
      data: [
        { groupId: group.id, userId: alice.id, role: "owner" },
        { groupId: group.id, userId: bob.id, role: "member" },
      ],
    });
    const since = new Date(Date.now() - 1_000);
    await annotate(alice, "p-9", passage("p-9", 0, 5), { visibility: "private", tag: "question" });
    await annotate(bob, "p-9", passage("p-9", 6, 5), { visibility: "group", groupId: group.id, tag: "question" });
    const hidden = await annotate(alice, "p-10", passage("p-10", 0, 5), { tag: "question" });
    await prisma.note.update({ where: { id: hidden.id }, data: { status: "hidden" } });
    await annotate(bob, "p-10", passage("p-10", 6, 5));
    const layerChoices = [
      null,
      { public: true, mine: false, groupIds: [] },
      { public: false, mine: true, groupIds: [] },
      { public: false, mine: false, groupIds: [group.id] },
      { public: false, mine: false, groupIds: [] },
    ];
    for (const viewer of [alice, bob]) {
      for (const layers of layerChoices) {
        const full = await notesData.getNoteCounts(articleId, viewer.id, { layers, since });
        const { counts, openQuestions, unread } = await data.getReaderOverlayData(articleId, viewer.id, { layers, since });
        expect({ counts, openQuestions, unread }, `${viewer.name} ${JSON.stringify(layers)}`).toEqual(full);
      }
    }
    // The split really is different work: the hidden note counts for its author only.
    expect((await data.getReaderOverlayData(articleId, alice.id)).counts[p("p-10").id]).toBe(2);
    expect((await data.getReaderOverlayData(articleId, bob.id)).counts[p("p-10").id]).toBe(1);
    // Alice's page redraws the paragraphs of her private and her hidden highlight.
    expect((await data.getReaderOverlayData(articleId, alice.id)).redrawParagraphIds.sort()).toEqual([p("p-9").id, p("p-10").id].sort());
    // Bob's: the group one; and his own public one only for a page that read its notes before it.
    expect((await data.getReaderOverlayData(articleId, bob.id)).redrawParagraphIds).toEqual([p("p-9").id]);
    const stale = await data.getReaderOverlayData(articleId, bob.id, { ownSince: since });
    expect(stale.redrawParagraphIds.sort()).toEqual([p("p-9").id, p("p-10").id].sort());
  });

  it("keeps paragraph_note_stats exact through creates, replies, answers, hides, restores, deletes and raw SQL", async () => {
    const alice = await signUp("alice");
    const bob = await signUp("bob");
    const statsMatchNotes = async () => {
      const stats = await prisma.paragraphNoteStats.findMany({ where: { articleId }, select: { paragraphId: true, publicCount: true, openQuestions: true } });
      const truth = await notesData.getNoteCounts(articleId, null);
      const fromStats = {
        counts: Object.fromEntries(stats.filter((r) => r.publicCount > 0).map((r) => [r.paragraphId, r.publicCount])),
        openQuestions: Object.fromEntries(stats.filter((r) => r.openQuestions > 0).map((r) => [r.paragraphId, r.openQuestions])),
      };
      expect(fromStats).toEqual({ counts: truth.counts, openQuestions: truth.openQuestions });
      expect(stats.every((r) => r.publicCount >= 0 && r.openQuestions >= 0)).toBe(true);
    };
    await statsMatchNotes();
    const question = await annotate(alice, "p-11", passage("p-11", 0, 7), { tag: "question" });
    await statsMatchNotes();
    const replyResponse = await notesApi.postNote(
      request("POST", "/api/notes", bob, { body: JSON.stringify({ parentId: question.id, locale: "en", body: "An answer", idempotencyKey: randomUUID() }) }),
    );
    const reply = ((await replyResponse.json()) as { note: { id: string } }).note;
    await statsMatchNotes();
    await prisma.note.update({ where: { id: question.id }, data: { answeredById: reply.id } });
    await statsMatchNotes();
    await prisma.note.update({ where: { id: reply.id }, data: { status: "hidden" } });
    await statsMatchNotes();
    await prisma.note.update({ where: { id: reply.id }, data: { status: "visible" } });
    await prisma.note.update({ where: { id: question.id }, data: { body: "edited", version: { increment: 1 } } });
    await statsMatchNotes();
    await prisma.note.update({ where: { id: question.id }, data: { deletedAt: new Date() } });
    await statsMatchNotes();
    await prisma.$executeRaw`UPDATE note SET visibility = 'private' WHERE id = ${reply.id}::uuid`;
    await statsMatchNotes();
    await prisma.$executeRaw`DELETE FROM note_revision WHERE note_id = ${reply.id}::uuid`;
    await prisma.$executeRaw`DELETE FROM note WHERE id = ${reply.id}::uuid`;
    await statsMatchNotes();
  });

  it("carries a suspension in force", async () => {
    const alice = await signUp("alice");
    const admin = await signUp("admin");
    expect((await openReading(alice)).state!.suspension).toBeNull();
    const first = await prisma.userSuspension.create({ data: { userId: alice.id, reason: "Spam", createdById: admin.id } });
    expect((await openReading(alice)).state!.suspension).toEqual({ reason: "Spam", endsAt: null });
    // Lifted, then a timed one: its end as the moderation API gives it; an ended one is no suspension.
    await prisma.userSuspension.update({ where: { id: first.id }, data: { liftedAt: new Date() } });
    const endsAt = new Date(Date.now() + 86_400_000);
    await prisma.userSuspension.create({ data: { userId: alice.id, reason: "Flooding", createdById: admin.id, endsAt } });
    expect((await openReading(alice)).state!.suspension).toEqual({ reason: "Flooding", endsAt: endsAt.toISOString() });
    await prisma.userSuspension.updateMany({ where: { userId: alice.id }, data: { endsAt: new Date(Date.now() - 1_000) } });
    expect((await openReading(alice)).state!.suspension).toBeNull();
  });

  it("answers signed-out callers with no state, and refuses bad input with 4xx", async () => {
    const alice = await signUp("alice");
    expect(await openReading(null)).toEqual({ status: 200, state: null });
    // A forged or stale session cookie is a signed-out caller.
    expect((await openReading(null, "taiyaku.session_token=forged.value")).state).toBeNull();

    const unknown = await api.openReading(request("POST", "/api/articles/no-such-article/reading", alice, { body: "{}" }), "no-such-article");
    expect(unknown.status).toBe(404);
    const extra = await api.openReading(request("POST", `/api/articles/${SLUG}/reading`, alice, { body: JSON.stringify({ viewerId: "x" }) }), SLUG);
    expect(extra.status).toBe(422);
    expect(((await extra.json()) as { code: string }).code).toBe("unexpected_field");
    const notIds = await api.openReading(request("POST", `/api/articles/${SLUG}/reading`, alice, { body: JSON.stringify({ paragraphs: ["x"] }) }), SLUG);
    expect(notIds.status).toBe(422);
    const garbled = await api.openReading(request("POST", `/api/articles/${SLUG}/reading`, alice, { body: "{" }), SLUG);
    expect(garbled.status).toBe(400);
    // A malformed cookie escape is ignored, not a 500.
    expect((await openReading(alice, "taiyaku.layers=%E0%A4%A")).status).toBe(200);

    for (const query of ["", "paragraphs=", "paragraphs=not-a-uuid", `paragraphs=${Array.from({ length: 51 }, () => randomUUID()).join(",")}`]) {
      const response = await api.getHighlights(request("GET", `/api/articles/${SLUG}/highlights?${query}`, alice), SLUG);
      expect(response.status, query).toBe(422);
    }
    const elsewhere = await api.getHighlights(request("GET", `/api/articles/nope/highlights?paragraphs=${p("p-1").id}`, alice), "nope");
    expect(elsewhere.status).toBe(404);
    // A paragraph of no article here is simply not drawn.
    const stray = await api.getHighlights(request("GET", `/api/articles/${SLUG}/highlights?paragraphs=${randomUUID()}`, alice), SLUG);
    expect(stray.status).toBe(200);
    expect(((await stray.json()) as { highlights: HighlightRepaint }).highlights).toEqual({ scope: "paragraphs", runs: {} });
  });
});
