import { createHash, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import en from "@/messages/en.json";
import { createAppTestDatabase } from "@/lib/testing/test-database";
import { signUpTestUser, type TestUser } from "@/lib/testing/test-users";

// Personal API tokens on the rest of the notes API (ADR 0027, issue 13 part 2): a note's history
// (read), reactions, answers and flags (write), called through the route files so the OPTIONS
// preflight is exercised too. Scope, expiry, revocation and suspension, as on the notes routes
// themselves (features/tokens/api.int.test.ts).

vi.mock("next/cache", () => ({ unstable_cache: <T>(fn: T) => fn, revalidateTag: vi.fn() }));

const SLUG = "japan-patriot-missile-export";

type Prisma = ReturnType<typeof import("@/lib/db/prisma").getPrisma>;
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Routes = Record<string, Handler>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;

let db: Awaited<ReturnType<typeof createAppTestDatabase>>;
let prisma: Prisma;
let notes: Routes;
let noteById: Routes;
let history: Routes;
let reaction: Routes;
let answer: Routes;
let flag: Routes;
let paragraphId: string;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  db = await createAppTestDatabase("token-coverage");
  prisma = (await import("@/lib/db/prisma")).getPrisma();
  notes = (await import("@/app/api/notes/route")) as unknown as Routes;
  noteById = (await import("@/app/api/notes/[id]/route")) as unknown as Routes;
  history = (await import("@/app/api/notes/[id]/history/route")) as unknown as Routes;
  reaction = (await import("@/app/api/notes/[id]/reaction/route")) as unknown as Routes;
  answer = (await import("@/app/api/notes/[id]/answer/route")) as unknown as Routes;
  flag = (await import("@/app/api/notes/[id]/flag/route")) as unknown as Routes;
  const article = await prisma.article.findUniqueOrThrow({
    where: { slug: SLUG },
    select: { paragraphs: { where: { position: { gt: 0 } }, orderBy: { position: "asc" }, take: 1, select: { id: true } } },
  });
  paragraphId = article.paragraphs[0]!.id;
  alice = await signUpTestUser("coverage-alice");
  bob = await signUpTestUser("coverage-bob");
}, 120_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

// ---- helpers -----------------------------------------------------------------------------------

type Options = { cookie?: string; bearer?: string; body?: unknown; headers?: Record<string, string>; id?: string };

async function call(handler: Handler | undefined, method: string, path: string, options: Options = {}) {
  if (!handler) throw new Error(`no ${method} handler for ${path}`);
  const headers: Record<string, string> = { host: "localhost", "x-ui-locale": "en", ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  if (options.bearer !== undefined) headers.authorization = `Bearer ${options.bearer}`;
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  if (body !== undefined) headers["content-type"] = "application/json";
  const params: Record<string, string> = options.id ? { id: options.id } : {};
  const response = await handler(new Request(`http://localhost${path}`, { method, headers, body }), { params: Promise.resolve(params) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : null) as Body };
}

/** A token straight in the table (the token routes are tested in features/tokens). */
async function mintToken(user: TestUser, scopes: ("read" | "write")[], extra: { expiresAt?: Date; revokedAt?: Date } = {}): Promise<string> {
  const token = `tyk_${randomUUID().replace(/-/g, "")}${randomUUID().replace(/-/g, "").slice(0, 11)}`;
  await prisma.apiToken.create({ data: { userId: user.id, name: "coverage", scopes, tokenHash: createHash("sha256").update(token).digest("hex"), ...extra } });
  return token;
}

/** The notes write bucket (8, then 4/s) is shared by every write here; the tests write fast. */
async function refillNoteBucket(user: TestUser) {
  await prisma.$executeRaw`DELETE FROM rate_limit_bucket WHERE key = ${`notes:user:${user.id}`}`;
}

async function writeNote(user: TestUser, extra: Body = {}) {
  await refillNoteBucket(user);
  const input = { paragraphId, locale: "en", kind: "comment", visibility: "public", body: "A note", idempotencyKey: randomUUID(), ...extra };
  const result = await call(notes.POST, "POST", "/api/notes", { cookie: user.cookie, body: input });
  expect(result.status).toBe(201);
  return result.body.note as { id: string; version: number };
}

const react = (method: "PUT" | "DELETE", id: string, options: Options) => call(reaction[method], method, `/api/notes/${id}/reaction`, { id, ...options });
const readHistory = (id: string, options: Options) => call(history.GET, "GET", `/api/notes/${id}/history`, { id, ...options });

// ---- tests -------------------------------------------------------------------------------------

describe("tokens on history, reactions, answers and flags", () => {
  it("a write token reacts and takes the reaction back, as its user, with CORS and private answers", async () => {
    const note = await writeNote(alice);
    const token = await mintToken(bob, ["write"]);
    const put = await react("PUT", note.id, { bearer: token, headers: { origin: "https://script.example" } });
    expect(put.status).toBe(200);
    expect(put.body.note).toMatchObject({ id: note.id, helpfulCount: 1 });
    expect(put.headers.get("access-control-allow-origin")).toBe("*");
    expect(put.headers.get("cache-control")).toMatch(/private/);
    expect(await prisma.noteReaction.count({ where: { noteId: note.id, userId: bob.id } })).toBe(1);
    const removed = await react("DELETE", note.id, { bearer: token });
    expect(removed.status).toBe(200);
    expect(await prisma.noteReaction.count({ where: { noteId: note.id } })).toBe(0);
  });

  it("a read token reads a note's history but cannot react, answer or flag (403 insufficient_scope, nothing written)", async () => {
    const note = await writeNote(alice, { visibility: "private" });
    await call(noteById.PATCH, "PATCH", `/api/notes/${note.id}`, { cookie: alice.cookie, id: note.id, body: { body: "An edited note", version: note.version } });
    const read = await mintToken(alice, ["read"]);
    const revisions = await readHistory(note.id, { bearer: read });
    expect(revisions.status).toBe(200);
    expect(revisions.body.revisions.length).toBeGreaterThanOrEqual(1);
    expect(revisions.headers.get("access-control-allow-origin")).toBe("*");
    // The private note is Alice's: Bob's token gets the same 404 as for no note at all.
    expect((await readHistory(note.id, { bearer: await mintToken(bob, ["read"]) })).status).toBe(404);

    const publicNote = await writeNote(alice);
    const bobRead = await mintToken(bob, ["read"]);
    const refusals = [
      await react("PUT", publicNote.id, { bearer: bobRead }),
      await call(flag.POST, "POST", `/api/notes/${publicNote.id}/flag`, { bearer: bobRead, id: publicNote.id, body: { reason: "spam" } }),
      await call(answer.PUT, "PUT", `/api/notes/${publicNote.id}/answer`, { bearer: read, id: publicNote.id, body: { replyId: randomUUID(), version: 1 } }),
    ];
    for (const refused of refusals) {
      expect(refused.status).toBe(403);
      expect(refused.headers.get("www-authenticate")).toBe('Bearer realm="taiyaku", error="insufficient_scope", scope="write"');
      expect(refused.body.message).toBe(en.Tokens.bearer.insufficientScope.replace("{scope}", "write"));
    }
    expect(await prisma.noteReaction.count({ where: { noteId: publicNote.id } })).toBe(0);
    expect(await prisma.noteFlag.count({ where: { noteId: publicNote.id } })).toBe(0);
    // A write-only token cannot read the history.
    expect((await readHistory(note.id, { bearer: await mintToken(alice, ["write"]) })).status).toBe(403);
  });

  it("a write token marks and unmarks a question's answer, and flags someone else's note", async () => {
    const question = await writeNote(alice, { tag: "question", body: "What does this word mean?" });
    await refillNoteBucket(bob);
    const reply = await call(notes.POST, "POST", "/api/notes", { cookie: bob.cookie, body: { parentId: question.id, locale: "en", body: "It means this.", idempotencyKey: randomUUID() } });
    expect(reply.status).toBe(201);
    const token = await mintToken(alice, ["read", "write"]);
    const marked = await call(answer.PUT, "PUT", `/api/notes/${question.id}/answer`, { bearer: token, id: question.id, body: { replyId: reply.body.note.id, version: question.version } });
    expect(marked.status).toBe(200);
    expect((await prisma.note.findUniqueOrThrow({ where: { id: question.id } })).answeredById).toBe(reply.body.note.id);
    const unmarked = await call(answer.DELETE, "DELETE", `/api/notes/${question.id}/answer`, { bearer: token, id: question.id, body: { version: marked.body.note.version } });
    expect(unmarked.status).toBe(200);
    expect((await prisma.note.findUniqueOrThrow({ where: { id: question.id } })).answeredById).toBeNull();

    const bobWrite = await mintToken(bob, ["write"]);
    const flagged = await call(flag.POST, "POST", `/api/notes/${question.id}/flag`, { bearer: bobWrite, id: question.id, body: { reason: "off_topic" }, headers: { origin: "https://evil.example" } });
    expect(flagged.status).toBe(201);
    expect(await prisma.noteFlag.count({ where: { noteId: question.id, userId: bob.id } })).toBe(1);
  });

  it("revoked, expired and unknown tokens are 401 on every one of these routes, even the read", async () => {
    const note = await writeNote(alice);
    const revoked = await mintToken(bob, ["read", "write"], { revokedAt: new Date() });
    const expired = await mintToken(bob, ["read", "write"], { expiresAt: new Date(Date.now() - 1000) });
    for (const bearer of [revoked, expired, `tyk_${"A".repeat(43)}`, "garbage"]) {
      const answers = [
        await readHistory(note.id, { bearer }),
        await react("PUT", note.id, { bearer }),
        await react("DELETE", note.id, { bearer }),
        await call(answer.DELETE, "DELETE", `/api/notes/${note.id}/answer`, { bearer, id: note.id, body: { version: 1 } }),
        await call(flag.POST, "POST", `/api/notes/${note.id}/flag`, { bearer, id: note.id, body: { reason: "spam" } }),
      ];
      for (const refused of answers) {
        expect(refused.status).toBe(401);
        expect(refused.headers.get("www-authenticate")).toBe('Bearer realm="taiyaku", error="invalid_token"');
      }
    }
    expect(await prisma.noteReaction.count({ where: { noteId: note.id } })).toBe(0);
    expect(await prisma.noteFlag.count({ where: { noteId: note.id } })).toBe(0);
  });

  it("a suspended user's token cannot react or flag (403 suspended) but still reads history", async () => {
    const note = await writeNote(alice);
    const carol = await signUpTestUser("coverage-carol");
    const token = await mintToken(carol, ["read", "write"]);
    await prisma.userSuspension.create({ data: { userId: carol.id, reason: "Spam", createdById: alice.id } });
    expect((await react("PUT", note.id, { bearer: token })).body.code).toBe("suspended");
    expect((await call(flag.POST, "POST", `/api/notes/${note.id}/flag`, { bearer: token, id: note.id, body: { reason: "spam" } })).body.code).toBe("suspended");
    expect((await readHistory(note.id, { bearer: token })).status).toBe(200);
  });

  it("answers the CORS preflight on these routes with the methods a token may use", async () => {
    const id = randomUUID();
    const preflight = { origin: "https://script.example", "access-control-request-method": "PUT", "access-control-request-headers": "authorization, content-type" };
    const expected: [Routes, string, string][] = [
      [history, `/api/notes/${id}/history`, "GET, HEAD"],
      [reaction, `/api/notes/${id}/reaction`, "PUT, DELETE"],
      [answer, `/api/notes/${id}/answer`, "PUT, DELETE"],
      [flag, `/api/notes/${id}/flag`, "POST"],
    ];
    for (const [routes, path, methods] of expected) {
      const result = await call(routes.OPTIONS, "OPTIONS", path, { headers: preflight, id });
      expect({ path, status: result.status, methods: result.headers.get("access-control-allow-methods") }).toEqual({ path, status: 204, methods });
      expect(result.headers.get("access-control-allow-origin")).toBe("*");
      expect(result.headers.get("access-control-allow-headers")).toBe("Authorization, Content-Type");
    }
  });

  it("cookie writes on these routes from another origin are still refused", async () => {
    const note = await writeNote(alice);
    const refused = await react("PUT", note.id, { cookie: bob.cookie, headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" } });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe("cross_origin");
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
  });
});
