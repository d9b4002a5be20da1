import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createAppTestDatabase } from "@/lib/testing/test-database";
import type { LiveNoteMessage } from "./types";
import type { LiveListener, NoteEvent } from "@/lib/live/listener";
import { listenerLag } from "@/lib/metrics/metrics.mjs";
import { signUpTestUser } from "@/lib/testing/test-users";

// Live updates against a real PostgreSQL: the NOTIFY triggers, the LISTEN listener (with two
// listeners standing in for two app instances) and the SSE stream's permission re-checks.

vi.mock("next/cache", () => ({ unstable_cache: <T>(fn: T) => fn, revalidateTag: vi.fn() }));

const SLUG = "japan-patriot-missile-export";

type User = { id: string; cookie: string };
type Prisma = ReturnType<typeof import("@/lib/db/prisma").getPrisma>;

let db: Awaited<ReturnType<typeof createAppTestDatabase>>;
let prisma: Prisma;
let liveApi: typeof import("./api");
let listenerModule: typeof import("@/lib/live/listener");
let mutations: typeof import("@/features/notes/mutations");
let listener: LiveListener;
let articleId: string;
let paragraphId: string;
const listeners: LiveListener[] = [];

beforeAll(async () => {
  db = await createAppTestDatabase("live");
  prisma = (await import("@/lib/db/prisma")).getPrisma();
  liveApi = await import("./api");
  listenerModule = await import("@/lib/live/listener");
  mutations = await import("@/features/notes/mutations");
  listener = track(new listenerModule.LiveListener(db.url, { log: () => undefined }));
  await listener.start();
  const article = await prisma.article.findUniqueOrThrow({
    where: { slug: SLUG },
    select: { id: true, paragraphs: { where: { position: 3 }, select: { id: true } } },
  });
  articleId = article.id;
  paragraphId = article.paragraphs[0]!.id;
});

afterAll(async () => {
  await Promise.all(listeners.map((l) => l.stop()));
  await prisma?.$disconnect();
  await db?.drop();
});

function track(l: LiveListener): LiveListener {
  listeners.push(l);
  return l;
}

function signUp(label: string): Promise<User> {
  return signUpTestUser(label);
}

async function createNote(author: User, extra: { visibility?: "public" | "private" | "group"; groupId?: string; body?: string } = {}) {
  const result = await mutations.createNote(
    { id: author.id },
    {
      paragraphId,
      locale: "en",
      kind: "comment",
      visibility: extra.visibility ?? "public",
      groupId: extra.groupId,
      body: extra.body ?? "A live comment",
      tag: null,
      idempotencyKey: randomUUID().replaceAll("-", ""),
    },
  );
  if (!result.ok) throw new Error(`createNote failed: ${JSON.stringify(result)}`);
  return result.note;
}

async function createGroup(owner: User, members: User[]): Promise<string> {
  const group = await prisma.group.create({ data: { name: `Group ${randomUUID().slice(0, 6)}`, createdById: owner.id } });
  await prisma.groupMember.createMany({ data: [owner, ...members].map((m) => ({ groupId: group.id, userId: m.id })) });
  return group.id;
}

type SseEvent = { event: string; data: unknown; id?: string };

/** Opens the SSE route as a browser would and collects its events. */
async function subscribe(user: User | null, headers: Record<string, string> = {}) {
  const abort = new AbortController();
  const request = new Request(`http://localhost/api/articles/${SLUG}/events`, {
    headers: { ...(user ? { cookie: user.cookie } : {}), ...headers },
    signal: abort.signal,
  });
  const response = await liveApi.articleEventsEndpoint({ listener })(request, SLUG);
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  let ended = false;
  if (response.ok) {
    void (async () => {
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let cut: number;
          while ((cut = buffer.indexOf("\n\n")) !== -1) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const event: SseEvent = { event: "message", data: null };
            let data = "";
            for (const line of block.split("\n")) {
              if (line.startsWith("event: ")) event.event = line.slice(7);
              else if (line.startsWith("data: ")) data += line.slice(6);
              else if (line.startsWith("id: ")) event.id = line.slice(4);
            }
            if (!data) continue;
            event.data = JSON.parse(data);
            events.push(event);
            for (const wake of [...waiters]) wake();
          }
        }
      } catch {
        // Aborted.
      }
      ended = true;
      for (const wake of [...waiters]) wake();
    })();
  }
  const find = (predicate: (e: SseEvent) => boolean) => events.find(predicate);
  return {
    response,
    events,
    get ended() {
      return ended;
    },
    notes: () => events.filter((e) => e.event === "note").map((e) => e.data as LiveNoteMessage),
    async waitFor(predicate: (e: SseEvent) => boolean, timeoutMs = 2_000): Promise<SseEvent> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = find(predicate);
        if (found) return found;
        if (ended || Date.now() > deadline) throw new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events)}`);
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            resolve();
          };
          waiters.add(wake);
          setTimeout(wake, 50);
        });
      }
    },
    close: () => abort.abort(),
  };
}

const noteEvent = (id: string, op = "created") => (e: SseEvent) => e.event === "note" && (e.data as LiveNoteMessage).id === id && (e.data as LiveNoteMessage).op === op;

describe("NOTIFY triggers and the LISTEN listener", () => {
  it("hears a created note within 1 s, with ids only", async () => {
    const author = await signUp("listener");
    const received: { event: NoteEvent; at: number }[] = [];
    const off = listener.subscribeArticle(articleId, (event) => received.push({ event, at: performance.now() }));
    const t0 = performance.now();
    const note = await createNote(author);
    const deadline = Date.now() + 1_000;
    while (!received.some((r) => r.event.id === note.id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    off();
    const hit = received.find((r) => r.event.id === note.id);
    expect(hit, "NOTIFY within 1 s").toBeDefined();
    expect(hit!.at - t0).toBeLessThan(1_000);
    expect(hit!.event).toEqual({ id: note.id, articleId, op: "created" });
    // The trigger stamps its NOTIFY with the time it was sent: the listener measures the lag (ADR 0024).
    const lag = (await listenerLag().get()).values.find((v) => v.metricName === "taiyaku_listener_lag_seconds_count" && v.labels.listener === "live");
    expect(lag?.value ?? 0).toBeGreaterThan(0);
  });

  it("says updated on edits and deleted when deleted_at is set, and nothing for a no-op update", async () => {
    const author = await signUp("ops");
    const received: NoteEvent[] = [];
    const off = listener.subscribeArticle(articleId, (event) => received.push(event));
    const note = await createNote(author);
    await mutations.editNote({ id: author.id }, note.id, { body: "Edited", version: note.version });
    await prisma.$executeRaw`UPDATE note SET body = body WHERE id = ${note.id}::uuid`;
    await mutations.deleteNote({ id: author.id }, note.id);
    await expect
      .poll(() => received.filter((e) => e.id === note.id).map((e) => e.op), { timeout: 1_000 })
      .toEqual(["created", "updated", "deleted"]);
    off();
  });

  it("two listeners on their own connections both hear a change committed by a third connection", async () => {
    const author = await signUp("instances");
    const note = await createNote(author);
    const a = track(new listenerModule.LiveListener(db.url, { log: () => undefined }));
    const b = track(new listenerModule.LiveListener(db.url, { log: () => undefined }));
    await Promise.all([a.start(), b.start()]);
    const heardA: NoteEvent[] = [];
    const heardB: NoteEvent[] = [];
    a.subscribeArticle(articleId, (e) => heardA.push(e));
    b.subscribeArticle(articleId, (e) => heardB.push(e));
    const third = new pg.Client({ connectionString: db.url });
    await third.connect();
    try {
      await third.query("UPDATE note SET body = 'Changed by a third connection', updated_at = now() WHERE id = $1", [note.id]);
    } finally {
      await third.end();
    }
    const expected = { id: note.id, articleId, op: "updated" };
    await expect.poll(() => heardA, { timeout: 1_000 }).toContainEqual(expected);
    await expect.poll(() => heardB, { timeout: 1_000 }).toContainEqual(expected);
    await Promise.all([a.stop(), b.stop()]);
  });

  it("reconnects by itself when its connection is killed, and tells subscribers to resync", async () => {
    const l = track(new listenerModule.LiveListener(db.url, { baseDelayMs: 50, maxDelayMs: 200, log: () => undefined }));
    await l.start();
    let resyncs = 0;
    l.onResync(() => resyncs++);
    const heard: NoteEvent[] = [];
    l.subscribeArticle(articleId, (e) => heard.push(e));
    await prisma.$executeRaw`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'LISTEN%'`;
    await expect.poll(() => resyncs, { timeout: 5_000 }).toBeGreaterThan(0);
    const author = await signUp("reconnect");
    const note = await createNote(author);
    await expect.poll(() => heard.map((e) => e.id), { timeout: 1_000 }).toContain(note.id);
    await l.stop();
    // The shared listener was terminated too; it must be back as well.
    await expect.poll(() => listener.connected, { timeout: 5_000 }).toBe(true);
  });
});

describe("GET /api/articles/{slug}/events", () => {
  it("streams text/event-stream with a retry hint, and 404s for an unknown article", async () => {
    const stream = await subscribe(null);
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(stream.response.headers.get("cache-control")).toContain("no-transform");
    await stream.waitFor((e) => e.event === "ready");
    stream.close();
    const missing = await liveApi.articleEventsEndpoint({ listener })(new Request("http://localhost/api/articles/nope/events"), "nope");
    expect(missing.status).toBe(404);
  });

  it("delivers a public note to everyone, and a private note only to its author", async () => {
    const [alice, bob] = [await signUp("alice"), await signUp("bob")];
    const [aliceStream, bobStream, anonStream] = [await subscribe(alice), await subscribe(bob), await subscribe(null)];
    const priv = await createNote(alice, { visibility: "private", body: "secret" });
    const pub = await createNote(alice, { visibility: "public", body: "hello" });
    const mine = (await aliceStream.waitFor(noteEvent(priv.id))).data as LiveNoteMessage;
    expect(mine.note?.body).toBe("secret");
    expect(mine.paragraphId).toBe(paragraphId);
    expect(mine.paragraphKey).toBe("p-3");
    // Events are written in commit order: once the later public note arrived, the private one
    // would have arrived before it.
    await bobStream.waitFor(noteEvent(pub.id));
    await anonStream.waitFor(noteEvent(pub.id));
    expect(bobStream.notes().map((n) => n.id)).not.toContain(priv.id);
    expect(anonStream.notes().map((n) => n.id)).not.toContain(priv.id);
    expect(JSON.stringify(bobStream.events)).not.toContain("secret");

    // Deleting: a tombstone (id only) for those who could see it, nothing for the others.
    await mutations.deleteNote({ id: alice.id }, priv.id);
    await mutations.deleteNote({ id: alice.id }, pub.id);
    const tomb = (await aliceStream.waitFor(noteEvent(priv.id, "deleted"))).data as LiveNoteMessage;
    expect(tomb.note).toBeUndefined();
    await bobStream.waitFor(noteEvent(pub.id, "deleted"));
    expect(bobStream.notes().some((n) => n.id === priv.id)).toBe(false);
    for (const s of [aliceStream, bobStream, anonStream]) s.close();
  });

  it("a hidden note is a tombstone for its readers and an update, marked hidden, for its author", async () => {
    const [alice, bob] = [await signUp("alice"), await signUp("bob")];
    const [aliceStream, bobStream] = [await subscribe(alice), await subscribe(bob)];
    const pub = await createNote(alice, { visibility: "public", body: "soon hidden" });
    await bobStream.waitFor(noteEvent(pub.id));
    await prisma.note.update({ where: { id: pub.id }, data: { status: "hidden", version: { increment: 1 } } });
    const tomb = (await bobStream.waitFor(noteEvent(pub.id, "hidden"))).data as LiveNoteMessage;
    expect(tomb.note).toBeUndefined();
    const own = (await aliceStream.waitFor(noteEvent(pub.id, "updated"))).data as LiveNoteMessage;
    expect(own.note).toMatchObject({ id: pub.id, status: "hidden", body: "soon hidden" });
    expect(aliceStream.events.some((e) => e.event === "note" && (e.data as LiveNoteMessage).op === "hidden")).toBe(false);
    for (const s of [aliceStream, bobStream]) s.close();
  });

  it("delivers a group note to members only, and revokes at once when a member is removed", async () => {
    const [owner, member, outsider] = [await signUp("owner"), await signUp("member"), await signUp("outsider")];
    const groupId = await createGroup(owner, [member]);
    const [memberStream, outsiderStream] = [await subscribe(member), await subscribe(outsider)];
    const groupNote = await createNote(owner, { visibility: "group", groupId, body: "for the group" });
    const sentinel = await createNote(owner, { body: "public sentinel" });
    await memberStream.waitFor(noteEvent(groupNote.id));
    await outsiderStream.waitFor(noteEvent(sentinel.id));
    expect(outsiderStream.notes().map((n) => n.id)).not.toContain(groupNote.id);

    await prisma.groupMember.delete({ where: { groupId_userId: { groupId, userId: member.id } } });
    const revoked = await memberStream.waitFor((e) => e.event === "revoked", 1_000);
    expect(revoked.data).toEqual({ groupId });
    expect(outsiderStream.events.some((e) => e.event === "revoked")).toBe(false);

    const after = await createNote(owner, { visibility: "group", groupId, body: "after removal" });
    const sentinel2 = await createNote(owner, { body: "second sentinel" });
    await memberStream.waitFor(noteEvent(sentinel2.id));
    expect(memberStream.notes().map((n) => n.id)).not.toContain(after.id);
    memberStream.close();
    outsiderStream.close();
  });

  it("revokes every member's stream when the group is deleted", async () => {
    const [owner, member] = [await signUp("owner2"), await signUp("member2")];
    const groupId = await createGroup(owner, [member]);
    const stream = await subscribe(member);
    await stream.waitFor((e) => e.event === "ready");
    await prisma.group.update({ where: { id: groupId }, data: { deletedAt: new Date() } });
    expect((await stream.waitFor((e) => e.event === "revoked", 1_000)).data).toEqual({ groupId });
    stream.close();
  });

  it("replays changes since Last-Event-ID to a reconnecting client, re-checked", async () => {
    const [alice, bob] = [await signUp("replay-a"), await signUp("replay-b")];
    const since = Date.now();
    await new Promise((r) => setTimeout(r, 5));
    const pub = await createNote(alice, { body: "while you were away" });
    const priv = await createNote(alice, { visibility: "private", body: "not for bob" });
    const stream = await subscribe(bob, { "last-event-id": String(since) });
    await stream.waitFor(noteEvent(pub.id));
    await new Promise((r) => setTimeout(r, 200));
    expect(stream.notes().map((n) => n.id)).not.toContain(priv.id);
    stream.close();
  });

  it("caps open streams per user with 429, and frees the slot when a stream closes", async () => {
    const user = await signUp("greedy");
    const streams = [];
    for (let i = 0; i < liveApi.LIVE_MAX_STREAMS; i++) streams.push(await subscribe(user));
    expect(streams.every((s) => s.response.status === 200)).toBe(true);
    const extra = await subscribe(user);
    expect(extra.response.status).toBe(429);
    expect(extra.response.headers.get("retry-after")).toBeTruthy();
    streams[0]!.close();
    await expect.poll(async () => {
      const again = await subscribe(user);
      again.close();
      return again.response.status;
    }).toBe(200);
    for (const s of streams) s.close();
  });

  it("sends a heartbeat comment on an idle stream", async () => {
    const abort = new AbortController();
    const response = await liveApi.articleEventsEndpoint({ listener, heartbeatMs: 50 })(
      new Request(`http://localhost/api/articles/${SLUG}/events`, { signal: abort.signal }),
      SLUG,
    );
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!text.includes(": ping")) text += (await reader.read()).value ?? "";
    expect(text).toMatch(/^retry: 3000\n/);
    abort.abort();
  });

  it("ends a stream after its maximum lifetime, so the browser reconnects and re-authenticates", async () => {
    const before = listener.subscriberCount;
    const response = await liveApi.articleEventsEndpoint({ listener, maxStreamMs: 50 })(new Request(`http://localhost/api/articles/${SLUG}/events`), SLUG);
    expect(await response.text()).toContain("event: ready");
    expect(listener.subscriberCount).toBe(before);
  });

  it("stops writing and unsubscribes when the request is aborted", async () => {
    const before = listener.subscriberCount;
    const stream = await subscribe(null);
    await stream.waitFor((e) => e.event === "ready");
    expect(listener.subscriberCount).toBe(before + 1);
    stream.close();
    await expect.poll(() => listener.subscriberCount).toBe(before);
    await expect.poll(() => stream.ended).toBe(true);
  });
});
