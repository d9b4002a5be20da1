import { createHash, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import en from "@/messages/en.json";
import ja from "@/messages/ja.json";
import { createAppTestDatabase } from "@/lib/testing/test-database";
import { signUpTestUser, type TestUser } from "@/lib/testing/test-users";

// Integration tests for personal API tokens (ADR 0027): managing them through the session-only
// endpoints, and using them as `Authorization: Bearer` on the notes API through the route
// files (so the OPTIONS preflight that route() adds is exercised too), against a throwaway
// PostgreSQL database seeded with the real article.

vi.mock("next/cache", () => ({ unstable_cache: <T>(fn: T) => fn, revalidateTag: vi.fn() }));

const SLUG = "japan-patriot-missile-export";

type Prisma = ReturnType<typeof import("@/lib/db/prisma").getPrisma>;
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;

let db: Awaited<ReturnType<typeof createAppTestDatabase>>;
let prisma: Prisma;
let tokens: Record<string, Handler>;
let tokenById: Record<string, Handler>;
let notes: Record<string, Handler>;
let noteById: Record<string, Handler>;
let paragraphId: string;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  db = await createAppTestDatabase("tokens");
  prisma = (await import("@/lib/db/prisma")).getPrisma();
  tokens = (await import("@/app/api/tokens/route")) as unknown as Record<string, Handler>;
  tokenById = (await import("@/app/api/tokens/[id]/route")) as unknown as Record<string, Handler>;
  notes = (await import("@/app/api/notes/route")) as unknown as Record<string, Handler>;
  noteById = (await import("@/app/api/notes/[id]/route")) as unknown as Record<string, Handler>;
  const article = await prisma.article.findUniqueOrThrow({
    where: { slug: SLUG },
    select: { paragraphs: { where: { position: { gt: 0 } }, orderBy: { position: "asc" }, take: 1, select: { id: true } } },
  });
  paragraphId = article.paragraphs[0]!.id;
  alice = await signUpTestUser("token-alice");
  bob = await signUpTestUser("token-bob");
}, 120_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

// ---- helpers -----------------------------------------------------------------------------------

type Options = { cookie?: string; bearer?: string; body?: unknown; locale?: "en" | "ja"; headers?: Record<string, string>; params?: Record<string, string> };

async function call(handler: Handler | undefined, method: string, path: string, options: Options = {}) {
  if (!handler) throw new Error(`no ${method} handler for ${path}`);
  const headers: Record<string, string> = { host: "localhost", "x-ui-locale": options.locale ?? "en", ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  if (options.bearer !== undefined) headers.authorization = `Bearer ${options.bearer}`;
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await handler(new Request(`http://localhost${path}`, { method, headers, body }), { params: Promise.resolve(options.params ?? {}) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : null) as Body };
}

async function createToken(user: TestUser, input: Body = {}) {
  // Token management has a small write bucket (10, then one per 5 s); these tests mint many.
  await prisma.$executeRaw`DELETE FROM rate_limit_bucket WHERE key = ${`tokens:user:${user.id}`}`;
  const result = await call(tokens.POST, "POST", "/api/tokens", { cookie: user.cookie, body: { name: "script", scopes: ["read", "write"], expiresInDays: 30, ...input } });
  expect(result.status).toBe(201);
  return result.body as { ok: true; token: string; id: string };
}

const noteInput = (extra: Body = {}) => ({ paragraphId, locale: "en", kind: "comment", visibility: "private", body: "Written by a script", idempotencyKey: randomUUID(), ...extra });

const postNote = (options: Options) => call(notes.POST, "POST", "/api/notes", { body: noteInput(), ...options });
const listNotes = (options: Options) => call(notes.GET, "GET", `/api/notes?article=${SLUG}`, options);

// ---- managing tokens ---------------------------------------------------------------------------

describe("managing tokens (session only)", () => {
  it("creates a token shown once, stores only its sha256, lists it without the hash, revokes it keeping the row", async () => {
    const created = await createToken(alice, { name: "Zotero sync", scopes: ["write", "read", "read"] });
    expect(created.token).toMatch(/^tyk_[A-Za-z0-9_-]{43}$/);
    const row = await prisma.apiToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.tokenHash).toBe(createHash("sha256").update(created.token).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(created.token.slice(4));
    expect(row.scopes).toEqual(["read", "write"]);
    expect(row.expiresAt!.getTime() - row.createdAt.getTime()).toBe(30 * 86_400_000);

    const list = await call(tokens.GET, "GET", "/api/tokens", { cookie: alice.cookie });
    expect(list.status).toBe(200);
    const listed = list.body.tokens.find((t: Body) => t.id === created.id);
    expect(Object.keys(listed).sort()).toEqual(["createdAt", "expiresAt", "id", "lastUsedAt", "name", "revokedAt", "scopes"]);
    expect(listed).toMatchObject({ name: "Zotero sync", scopes: ["read", "write"], lastUsedAt: null, revokedAt: null });
    expect(JSON.stringify(list.body)).not.toContain(row.tokenHash);
    expect(JSON.stringify(list.body)).not.toContain(created.token);
    // Bob sees none of Alice's tokens.
    expect((await call(tokens.GET, "GET", "/api/tokens", { cookie: bob.cookie })).body.tokens).toEqual([]);

    const revoked = await call(tokenById.DELETE, "DELETE", `/api/tokens/${created.id}`, { cookie: alice.cookie, params: { id: created.id } });
    expect(revoked.status).toBe(200);
    expect(revoked.body.apiToken.revokedAt).not.toBeNull();
    expect(await prisma.apiToken.count({ where: { id: created.id } })).toBe(1);
    const after = await call(tokens.GET, "GET", "/api/tokens", { cookie: alice.cookie });
    expect(after.body.tokens.find((t: Body) => t.id === created.id).revokedAt).toBe(revoked.body.apiToken.revokedAt);
  });

  it("answers 404 for someone else's token id and for unknown ids, and leaves the token alive", async () => {
    const created = await createToken(alice);
    for (const id of [created.id, randomUUID()]) {
      const result = await call(tokenById.DELETE, "DELETE", `/api/tokens/${id}`, { cookie: bob.cookie, params: { id } });
      expect(result.status).toBe(404);
      expect(result.body.code).toBe("not_found");
    }
    expect((await prisma.apiToken.findUniqueOrThrow({ where: { id: created.id } })).revokedAt).toBeNull();
  });

  it("needs a session: 401 signed out, and a token cannot mint, list or revoke tokens", async () => {
    const created = await createToken(alice);
    expect((await call(tokens.GET, "GET", "/api/tokens")).status).toBe(401);
    for (const [handler, method, path, params] of [
      [tokens.GET, "GET", "/api/tokens", {}],
      [tokens.POST, "POST", "/api/tokens", {}],
      [tokenById.DELETE, "DELETE", `/api/tokens/${created.id}`, { id: created.id }],
    ] as const) {
      const result = await call(handler, method, path, { bearer: created.token, params, body: method === "POST" ? { name: "x", scopes: ["read"], expiresInDays: null } : undefined });
      expect({ path, method, status: result.status }).toEqual({ path, method, status: 401 });
      expect(result.headers.get("www-authenticate")).toMatch(/^Bearer .*error="invalid_token"/);
      expect(result.body.message).toBe(en.Tokens.bearer.notAccepted);
      // Not opted in: no CORS grant.
      expect(result.headers.get("access-control-allow-origin")).toBeNull();
    }
    // A token with the session cookie too is still a token request: cookies are not considered.
    const both = await call(tokens.GET, "GET", "/api/tokens", { bearer: created.token, cookie: alice.cookie });
    expect(both.status).toBe(401);
  });

  it("validates names, scopes and expiries with localized messages", async () => {
    const cases: [Body, string, keyof typeof en.Tokens.errors][] = [
      [{ name: "" }, "name", "nameRequired"],
      [{ name: "   " }, "name", "nameRequired"],
      [{ name: "x".repeat(101) }, "name", "nameTooLong"],
      [{ name: "bad\u202Ename" }, "name", "nameInvalid"],
      [{ scopes: [] }, "scopes", "scopesRequired"],
      [{ scopes: ["admin"] }, "scopes", "scopesRequired"],
      [{ expiresInDays: 7 }, "expiresInDays", "expiryInvalid"],
      [{ expiresInDays: "30" }, "expiresInDays", "expiryInvalid"],
    ];
    for (const [input, field, key] of cases) {
      const result = await call(tokens.POST, "POST", "/api/tokens", { cookie: alice.cookie, locale: "ja", body: { name: "ok", scopes: ["read"], expiresInDays: null, ...input } });
      expect({ input, status: result.status }).toEqual({ input, status: 422 });
      expect(result.body.fieldErrors[field]).toEqual([ja.Tokens.errors[key]]);
    }
    // 100 code points (Japanese) is fine; NUL and lone surrogates are refused by the pipeline.
    expect((await call(tokens.POST, "POST", "/api/tokens", { cookie: alice.cookie, body: { name: "字".repeat(100), scopes: ["read"], expiresInDays: null } })).status).toBe(201);
    for (const name of ["a\u0000b", "a\ud800b"]) {
      const result = await call(tokens.POST, "POST", "/api/tokens", { cookie: alice.cookie, body: { name, scopes: ["read"], expiresInDays: null } });
      expect(result.status).toBe(422);
      expect(result.body.message).toBe(en.Api.unstorableText);
    }
    const extra = await call(tokens.POST, "POST", "/api/tokens", { cookie: alice.cookie, body: { name: "x", scopes: ["read"], expiresInDays: null, userId: bob.id } });
    expect(extra.body.code).toBe("unexpected_field");
  });

  it("refuses more than 50 live tokens with a localized 409; revoked and expired ones do not count", async () => {
    const carol = await signUpTestUser("token-carol");
    const rows = Array.from({ length: 49 }, (_, i) => ({ userId: carol.id, name: `t${i}`, scopes: ["read" as const], tokenHash: createHash("sha256").update(randomUUID()).digest("hex") }));
    await prisma.apiToken.createMany({ data: rows });
    await prisma.apiToken.create({ data: { userId: carol.id, name: "old", scopes: ["read"], tokenHash: createHash("sha256").update(randomUUID()).digest("hex"), revokedAt: new Date() } });
    await prisma.apiToken.create({ data: { userId: carol.id, name: "expired", scopes: ["read"], tokenHash: createHash("sha256").update(randomUUID()).digest("hex"), expiresAt: new Date(Date.now() - 1000) } });
    await createToken(carol);
    const refused = await call(tokens.POST, "POST", "/api/tokens", { cookie: carol.cookie, locale: "ja", body: { name: "one too many", scopes: ["read"], expiresInDays: null } });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toBe("有効なトークンは50個までです。先にどれかを取り消してください。");
  });
});

// ---- using tokens ------------------------------------------------------------------------------

describe("Bearer tokens on the notes API", () => {
  it("a read+write token creates, reads, edits and deletes notes as its user, with private CORS answers", async () => {
    const { token } = await createToken(alice);
    const created = await postNote({ bearer: token, headers: { origin: "https://script.example" } });
    expect(created.status).toBe(201);
    expect(created.body.note.authorId ?? created.body.note.author?.id).toBe(alice.id);
    expect(created.headers.get("access-control-allow-origin")).toBe("*");
    expect(created.headers.get("cache-control")).toMatch(/private/);
    expect(created.headers.get("vary")).toMatch(/Authorization/);
    const id = created.body.note.id as string;

    const read = await call(noteById.GET, "GET", `/api/notes/${id}`, { bearer: token, params: { id } });
    expect(read.status).toBe(200);
    expect(read.body.note.body).toBe("Written by a script");
    const list = await listNotes({ bearer: token });
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).toContain(id);
    // The private note is Alice's: Bob's token does not see it.
    const bobToken = (await createToken(bob)).token;
    expect((await call(noteById.GET, "GET", `/api/notes/${id}`, { bearer: bobToken, params: { id } })).status).toBe(404);

    const edited = await call(noteById.PATCH, "PATCH", `/api/notes/${id}`, { bearer: token, params: { id }, body: { body: "Edited by a script", version: created.body.note.version } });
    expect(edited.status).toBe(200);
    const removed = await call(noteById.DELETE, "DELETE", `/api/notes/${id}`, { bearer: token, params: { id } });
    expect(removed.status).toBe(200);
  });

  it("a read-only token reads but cannot write: 403 insufficient_scope, nothing written", async () => {
    const { token } = await createToken(alice, { scopes: ["read"] });
    expect((await listNotes({ bearer: token })).status).toBe(200);
    const before = await prisma.note.count({ where: { authorId: alice.id } });
    const refused = await postNote({ bearer: token });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("www-authenticate")).toBe('Bearer realm="taiyaku", error="insufficient_scope", scope="write"');
    expect(refused.body).toMatchObject({ ok: false, code: "insufficient_scope", message: en.Tokens.bearer.insufficientScope.replace("{scope}", "write") });
    expect(refused.headers.get("access-control-allow-origin")).toBe("*");
    expect(await prisma.note.count({ where: { authorId: alice.id } })).toBe(before);
    // A write-only token cannot read.
    const writeOnly = (await createToken(alice, { scopes: ["write"] })).token;
    expect((await listNotes({ bearer: writeOnly })).status).toBe(403);
    expect((await postNote({ bearer: writeOnly })).status).toBe(201);
  });

  it("missing, malformed, unknown, revoked and expired tokens are 401 with WWW-Authenticate, even on reads", async () => {
    const revoked = await createToken(alice);
    await call(tokenById.DELETE, "DELETE", `/api/tokens/${revoked.id}`, { cookie: alice.cookie, params: { id: revoked.id } });
    const expired = await createToken(alice);
    await prisma.apiToken.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const unknown = `tyk_${"A".repeat(43)}`;
    for (const bearer of ["", "garbage", unknown, revoked.token, expired.token, `${revoked.token}x`]) {
      for (const response of [await listNotes({ bearer }), await postNote({ bearer })]) {
        expect({ bearer, status: response.status }).toEqual({ bearer, status: 401 });
        expect(response.headers.get("www-authenticate")).toBe('Bearer realm="taiyaku", error="invalid_token"');
        expect(response.body.code).toBe("invalid_token");
        // A bad token never falls back to the cookie.
      }
    }
    const withCookie = await postNote({ bearer: revoked.token, cookie: alice.cookie });
    expect(withCookie.status).toBe(401);
    // Writes without any credentials: 401 with a bare Bearer challenge.
    const anonymous = await postNote({});
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toBe('Bearer realm="taiyaku"');
    expect(anonymous.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("a suspended user's token reads but cannot write (403 suspended), like their session", async () => {
    const dave = await signUpTestUser("token-dave");
    const { token } = await createToken(dave);
    await prisma.userSuspension.create({ data: { userId: dave.id, reason: "Spam", createdById: alice.id } });
    const refused = await postNote({ bearer: token });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe("suspended");
    expect((await postNote({ cookie: dave.cookie })).body.code).toBe("suspended");
    expect((await listNotes({ bearer: token })).status).toBe(200);
  });

  it("token writes skip the origin check; cookie writes from another origin are still refused, without CORS headers", async () => {
    const { token } = await createToken(alice);
    const foreign = { origin: "https://evil.example", "sec-fetch-site": "cross-site" };
    expect((await postNote({ bearer: token, headers: foreign })).status).toBe(201);
    const cookie = await postNote({ cookie: alice.cookie, headers: foreign });
    expect(cookie.status).toBe(403);
    expect(cookie.body.code).toBe("cross_origin");
    const sameOrigin = await postNote({ cookie: alice.cookie, headers: { origin: "http://localhost" } });
    expect(sameOrigin.status).toBe(201);
    expect(sameOrigin.headers.get("access-control-allow-origin")).toBeNull();
    expect(sameOrigin.headers.get("vary") ?? "").not.toMatch(/Authorization/);
  });

  it("answers the CORS preflight on the notes routes only", async () => {
    const preflight = { origin: "https://script.example", "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" };
    const list = await call(notes.OPTIONS, "OPTIONS", "/api/notes", { headers: preflight });
    expect(list.status).toBe(204);
    expect(list.headers.get("access-control-allow-origin")).toBe("*");
    expect(list.headers.get("access-control-allow-headers")).toBe("Authorization, Content-Type");
    expect(list.headers.get("access-control-allow-methods")).toBe("GET, POST, HEAD");
    const id = randomUUID();
    const one = await call(noteById.OPTIONS, "OPTIONS", `/api/notes/${id}`, { headers: preflight, params: { id } });
    expect(one.status).toBe(204);
    expect(one.headers.get("access-control-allow-methods")).toBe("GET, PATCH, DELETE, HEAD");
    // Token management grants no cross-origin access at all.
    expect(tokens.OPTIONS).toBeUndefined();
  });

  it("records last use at most once a minute", async () => {
    const { token, id } = await createToken(alice, { scopes: ["read"] });
    await listNotes({ bearer: token });
    const first = (await prisma.apiToken.findUniqueOrThrow({ where: { id } })).lastUsedAt;
    expect(first).not.toBeNull();
    await listNotes({ bearer: token });
    expect((await prisma.apiToken.findUniqueOrThrow({ where: { id } })).lastUsedAt).toEqual(first);
    // A minute later, the next use moves it.
    const old = new Date(Date.now() - 61_000);
    await prisma.apiToken.update({ where: { id }, data: { lastUsedAt: old } });
    await listNotes({ bearer: token });
    const moved = (await prisma.apiToken.findUniqueOrThrow({ where: { id } })).lastUsedAt!;
    expect(moved.getTime()).toBeGreaterThan(old.getTime() + 30_000);
    // Refused requests (wrong scope) still count as use of a valid token; unknown tokens touch nothing.
    const listed = await call(tokens.GET, "GET", "/api/tokens", { cookie: alice.cookie });
    expect(listed.body.tokens.find((t: Body) => t.id === id).lastUsedAt).toBe(moved.toISOString());
  });
});
