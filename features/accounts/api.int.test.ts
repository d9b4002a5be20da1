import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { signInAccountKey } from "@/lib/auth/sign-in-key";
import { deployMigrations } from "@/lib/db/migration-engine";
import { createTestDatabase } from "@/lib/testing/test-database";

// The handlers behind app/api/auth/*, /api/me and /api/profile/*, called with real Requests
// against a real, migrated PostgreSQL. getPrisma() reads DATABASE_URL on first use, so the
// modules are imported only after it is set.

// Outside Next the cache is a pass-through; invalidations are recorded (a rename expires pages).
vi.mock("next/cache", () => ({
  unstable_cache: <T>(fn: T) => fn,
  revalidateTag: vi.fn(),
}));

type Api = typeof import("./api");
type Mutations = typeof import("./mutations");
let api: Api;
let mutations: Mutations;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let client: pg.Client;

const PASSWORD = "correct horse battery";
const BASE = "http://127.0.0.1:3100";

beforeAll(async () => {
  db = await createTestDatabase("accounts");
  await deployMigrations(db.url);
  process.env.DATABASE_URL = db.url;
  process.env.BETTER_AUTH_SECRET ??= randomBytes(32).toString("base64url");
  api = await import("./api");
  mutations = await import("./mutations");
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  const { getPrisma } = await import("@/lib/db/prisma");
  await getPrisma().$disconnect();
  await db?.drop();
});

let counter = 0;
const uniqueEmail = () => `reader-${Date.now()}-${++counter}@example.com`;
/** Each test its own client address, so the per-IP sign-in bucket of one test never leaks into another. */
const uniqueIp = () => `10.0.${Math.floor(counter / 250)}.${(++counter % 250) + 1}`;

function jsonRequest(path: string, body: unknown, opts: { method?: string; cookie?: string; locale?: string; ip?: string } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json", "x-forwarded-for": opts.ip ?? "192.0.2.1" };
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.locale) headers["x-ui-locale"] = opts.locale;
  return new Request(`${BASE}${path}`, { method: opts.method ?? "POST", headers, body: JSON.stringify(body) });
}

function getRequest(path: string, cookie?: string) {
  return new Request(`${BASE}${path}`, { headers: cookie ? { cookie } : {} });
}

/** The cookies a browser would send back after this response (name=value; …). */
function cookiesFrom(response: Response): Map<string, string> {
  const jar = new Map<string, string>();
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const eq = pair!.indexOf("=");
    jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
  }
  return jar;
}
const cookieHeader = (jar: Map<string, string>) => [...jar].filter(([, v]) => v).map(([k, v]) => `${k}=${v}`).join("; ");
const sessionCookie = (response: Response) => cookiesFrom(response).get("taiyaku.session_token");

async function signUp(overrides: Partial<{ email: string; name: string; password: string }> = {}, locale = "en") {
  const body = { email: uniqueEmail(), name: "Ada Reader", password: PASSWORD, ...overrides };
  const response = await api.signUp(jsonRequest("/api/auth/sign-up", body, { locale, ip: uniqueIp() }));
  expect(response.status).toBe(201);
  return { ...body, response, cookie: cookieHeader(cookiesFrom(response)) };
}

async function sessionRows(email: string): Promise<{ token: string }[]> {
  const result = await client.query(`SELECT s.token FROM session s JOIN "user" u ON u.id = s.user_id WHERE u.email = $1`, [email]);
  return result.rows;
}

describe("sign-up", () => {
  it("creates the user and a session, and sets the session, locale and hint cookies", async () => {
    const { email, response } = await signUp({ name: "  山田 花子 " }, "ja");
    const body = await response.json();
    expect(body).toMatchObject({ ok: true, user: { email, name: "山田 花子", role: "member", preferredLocale: "ja" } });
    const setCookies = response.headers.getSetCookie();
    expect(setCookies.find((c) => c.startsWith("taiyaku.session_token="))).toMatch(/HttpOnly/i);
    expect(setCookies.find((c) => c.startsWith("NEXT_LOCALE=ja"))).toMatch(/Max-Age=31536000.*SameSite=Lax/);
    expect(setCookies.find((c) => c.startsWith("taiyaku.signed_in=1"))).not.toMatch(/HttpOnly/i);
    expect(setCookies.join("\n")).not.toMatch(/Secure/);
    expect(await sessionRows(email)).toHaveLength(1);
  });

  it("marks cookies Secure when the request came over https", async () => {
    const request = new Request(`${BASE}/api/auth/sign-up`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-proto": "https" },
      body: JSON.stringify({ email: uniqueEmail(), name: "Sec", password: PASSWORD }),
    });
    const response = await api.signUp(request);
    expect(response.status).toBe(201);
    const setCookies = response.headers.getSetCookie();
    // An empty list would pass the loop below without checking anything: the cookies must be there.
    expect(setCookies.some((c) => c.startsWith("taiyaku.session_token="))).toBe(true);
    expect(setCookies.length).toBeGreaterThanOrEqual(3);
    for (const line of setCookies) expect(line).toMatch(/;\s*Secure/i);
  });

  it("refuses a short password with 422 and a Japanese message next to the field", async () => {
    const response = await api.signUp(jsonRequest("/api/auth/sign-up", { email: uniqueEmail(), name: "A", password: "short" }, { locale: "ja" }));
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body).toMatchObject({ ok: false, code: "validation" });
    expect(body.fieldErrors.password).toEqual(["10文字以上で入力してください。"]);
  });

  it("answers 409 email_taken for an existing email, whatever its case", async () => {
    const { email } = await signUp();
    const response = await api.signUp(jsonRequest("/api/auth/sign-up", { email: email.toUpperCase(), name: "Copy", password: PASSWORD }));
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ ok: false, code: "email_taken", message: expect.stringContaining("already exists") });
  });

  it("refuses extra fields such as role, and the role stays member", async () => {
    const email = uniqueEmail();
    const response = await api.signUp(jsonRequest("/api/auth/sign-up", { email, name: "Mallory", password: PASSWORD, role: "admin" }));
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ ok: false, code: "unexpected_field", fields: ["role"] });
    expect((await client.query(`SELECT count(*)::int AS n FROM "user" WHERE email = $1`, [email])).rows[0].n).toBe(0);
    const { email: other } = await signUp();
    expect((await client.query(`SELECT role FROM "user" WHERE email = $1`, [other])).rows[0].role).toBe("member");
  });

  it("answers 400 for a body that is not JSON, never 500", async () => {
    const request = new Request(`${BASE}/api/auth/sign-up`, { method: "POST", headers: { "content-type": "application/json" }, body: "{" });
    const response = await api.signUp(request);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ ok: false, code: "invalid_json" });
    // A form on another site can post text/plain that parses as JSON (login CSRF): 415.
    const form = new Request(`${BASE}/api/auth/sign-in`, { method: "POST", headers: { "content-type": "text/plain" }, body: "{}" });
    const formResponse = await api.signIn(form);
    expect(formResponse.status).toBe(415);
    expect(await formResponse.json()).toMatchObject({ ok: false, code: "unsupported_media_type" });
    // JSON from another site's page is refused too (403, before any database work).
    const crossSite = jsonRequest("/api/auth/sign-in", { email: uniqueEmail(), password: PASSWORD });
    crossSite.headers.set("sec-fetch-site", "cross-site");
    const crossSiteResponse = await api.signIn(crossSite);
    expect(crossSiteResponse.status).toBe(403);
    expect(await crossSiteResponse.json()).toMatchObject({ ok: false, code: "cross_origin" });
  });
});

describe("sign-up limits", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env.TAIYAKU_SIGN_UP_PER_ADDRESS_PER_HOUR = saved.TAIYAKU_SIGN_UP_PER_ADDRESS_PER_HOUR;
    process.env.TAIYAKU_SIGN_UPS_PER_MINUTE = saved.TAIYAKU_SIGN_UPS_PER_MINUTE;
    if (saved.TAIYAKU_SIGN_UP_PER_ADDRESS_PER_HOUR === undefined) delete process.env.TAIYAKU_SIGN_UP_PER_ADDRESS_PER_HOUR;
    if (saved.TAIYAKU_SIGN_UPS_PER_MINUTE === undefined) delete process.env.TAIYAKU_SIGN_UPS_PER_MINUTE;
  });

  it("limits sign-ups per client address, email_taken answers included, so the form is no free existence check", async () => {
    process.env.TAIYAKU_SIGN_UP_PER_ADDRESS_PER_HOUR = "3";
    const ip = uniqueIp();
    const taken = uniqueEmail();
    expect((await api.signUp(jsonRequest("/api/auth/sign-up", { email: taken, name: "A", password: PASSWORD }, { ip }))).status).toBe(201);
    expect((await api.signUp(jsonRequest("/api/auth/sign-up", { email: taken, name: "A", password: PASSWORD }, { ip }))).status).toBe(409);
    expect((await api.signUp(jsonRequest("/api/auth/sign-up", { email: uniqueEmail(), name: "B", password: PASSWORD }, { ip }))).status).toBe(201);
    const limited = await api.signUp(jsonRequest("/api/auth/sign-up", { email: taken, name: "A", password: PASSWORD }, { ip, locale: "ja" }));
    expect(limited.status).toBe(429);
    const body = await limited.json();
    expect(body).toMatchObject({ ok: false, code: "rate_limited" });
    expect(body.retryAfterSeconds).toBeGreaterThan(60);
    expect(limited.headers.get("retry-after")).toBe(String(body.retryAfterSeconds));
    // Another address is not affected.
    expect((await api.signUp(jsonRequest("/api/auth/sign-up", { email: uniqueEmail(), name: "C", password: PASSWORD }, { ip: uniqueIp() }))).status).toBe(201);
  });

  it("limits sign-ups across the whole site, whatever the addresses", async () => {
    process.env.TAIYAKU_SIGN_UPS_PER_MINUTE = "2";
    // The global bucket may hold tokens other tests spent from; drain it, then expect a refusal.
    let status = 0;
    for (let attempt = 0; attempt < 5 && status !== 429; attempt += 1) {
      status = (await api.signUp(jsonRequest("/api/auth/sign-up", { email: uniqueEmail(), name: "G", password: PASSWORD }, { ip: uniqueIp() }))).status;
    }
    expect(status).toBe(429);
    // Leave no drained bucket behind for the other tests (they sign up too).
    const { getPrisma } = await import("@/lib/db/prisma");
    await getPrisma().$executeRaw`DELETE FROM rate_limit_bucket WHERE key LIKE 'sign-up:%'`;
  });
});

describe("sign-in", () => {
  it("gives the same message for an unknown email and a wrong password", async () => {
    const { email } = await signUp();
    const ip = uniqueIp();
    const unknown = await api.signIn(jsonRequest("/api/auth/sign-in", { email: uniqueEmail(), password: PASSWORD }, { ip }));
    const wrong = await api.signIn(jsonRequest("/api/auth/sign-in", { email, password: "wrong password!" }, { ip }));
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    const [a, b] = [await unknown.json(), await wrong.json()];
    expect(a).toEqual(b);
    expect(a).toEqual({ ok: false, code: "invalid_credentials", message: "The email or password is incorrect." });
  });

  it("keys the per-account limit by a hash of the address, so no bucket keeps an address in clear", async () => {
    const email = uniqueEmail();
    expect((await api.signIn(jsonRequest("/api/auth/sign-in", { email, password: PASSWORD }, { ip: uniqueIp() }))).status).toBe(401);
    const { getPrisma } = await import("@/lib/db/prisma");
    const keys = await getPrisma().$queryRaw<{ key: string }[]>`SELECT key FROM rate_limit_bucket WHERE key LIKE 'sign-in:account:%'`;
    expect(keys.some((row) => row.key.toLowerCase().includes(email.toLowerCase()))).toBe(false);
    expect(keys.map((row) => row.key)).toContain(signInAccountKey(email.toUpperCase()));
  });

  it("rotates the session: each sign-in has a new token and the previous cookie is revoked", async () => {
    const { email, cookie: signUpCookie } = await signUp();
    const ip = uniqueIp();
    const first = await api.signIn(jsonRequest("/api/auth/sign-in", { email, password: PASSWORD }, { ip, cookie: signUpCookie }));
    expect(first.status).toBe(200);
    const second = await api.signIn(jsonRequest("/api/auth/sign-in", { email, password: PASSWORD }, { ip, cookie: cookieHeader(cookiesFrom(first)) }));
    expect(second.status).toBe(200);
    const tokens = [signUpCookie, sessionCookie(first), sessionCookie(second)];
    expect(new Set(tokens).size).toBe(3);
    // Only the newest session survives: cookies from before a sign-in are worth nothing.
    expect(await (await api.me(getRequest("/api/me", signUpCookie))).json()).toMatchObject({ user: null });
    expect(await (await api.me(getRequest("/api/me", cookieHeader(cookiesFrom(first))))).json()).toMatchObject({ user: null });
    expect(await (await api.me(getRequest("/api/me", cookieHeader(cookiesFrom(second))))).json()).toMatchObject({ user: { email } });
    expect(await sessionRows(email)).toHaveLength(1);
  });

  it("refuses the 6th failure within a minute for one account (different addresses)", async () => {
    const { email } = await signUp();
    for (let i = 0; i < 5; i++) {
      const response = await api.signIn(jsonRequest("/api/auth/sign-in", { email, password: `wrong-${i}-password` }, { ip: uniqueIp() }));
      expect(response.status).toBe(401);
    }
    const sixth = await api.signIn(jsonRequest("/api/auth/sign-in", { email, password: PASSWORD }, { ip: uniqueIp(), locale: "en" }));
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = await sixth.json();
    expect(body).toMatchObject({ ok: false, code: "rate_limited" });
    expect(body.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(body.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(body.message).toBe(`Too many attempts. Try again in ${body.retryAfterSeconds} s.`);
  });

  it("refuses the 6th failure within a minute from one address (different emails), in Japanese too", async () => {
    const ip = uniqueIp();
    for (let i = 0; i < 5; i++) {
      expect((await api.signIn(jsonRequest("/api/auth/sign-in", { email: uniqueEmail(), password: PASSWORD }, { ip }))).status).toBe(401);
    }
    const { email } = await signUp();
    const sixth = await api.signIn(jsonRequest("/api/auth/sign-in", { email, password: PASSWORD }, { ip, locale: "ja" }));
    expect(sixth.status).toBe(429);
    const body = await sixth.json();
    expect(body.message).toBe(`試行回数が多すぎます。${body.retryAfterSeconds} 秒後にもう一度お試しください。`);
    // Another address still gets in.
    expect((await api.signIn(jsonRequest("/api/auth/sign-in", { email, password: PASSWORD }, { ip: uniqueIp() }))).status).toBe(200);
  });
});

describe("session", () => {
  it("/api/me answers the user for a session cookie and null without one", async () => {
    const { email, cookie } = await signUp({ name: "Grace" });
    const body = await (await api.me(getRequest("/api/me", cookie))).json();
    expect(body).toEqual({
      ok: true,
      user: { id: expect.any(String), name: "Grace", email, role: "member", preferredLocale: "en" },
      unreadNotifications: 0,
    });
    expect(await (await api.me(getRequest("/api/me"))).json()).toEqual({ ok: true, user: null });
  });

  it("sign-out deletes the session row and clears the cookies", async () => {
    const { email, cookie } = await signUp();
    expect(await sessionRows(email)).toHaveLength(1);
    const response = await api.signOut(jsonRequest("/api/auth/sign-out", {}, { cookie }));
    expect(response.status).toBe(200);
    expect(await sessionRows(email)).toHaveLength(0);
    const cleared = cookiesFrom(response);
    expect(cleared.get("taiyaku.session_token")).toBe("");
    expect(cleared.get("taiyaku.signed_in")).toBe("");
    expect(await (await api.me(getRequest("/api/me", cookie))).json()).toMatchObject({ user: null });
  });
});

describe("profile", () => {
  it("updates the display name and preferred language and sets NEXT_LOCALE", async () => {
    const { email, cookie } = await signUp();
    const response = await api.patchProfile(jsonRequest("/api/profile", { name: " Ada L. ", preferredLocale: "ja" }, { method: "PATCH", cookie }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ user: { email, name: "Ada L.", preferredLocale: "ja" } });
    expect(response.headers.getSetCookie().some((c) => c.startsWith("NEXT_LOCALE=ja;"))).toBe(true);
    const row = (await client.query(`SELECT name, preferred_locale FROM "user" WHERE email = $1`, [email])).rows[0];
    expect(row).toEqual({ name: "Ada L.", preferred_locale: "ja" });
  });

  it("a new name expires the cached pages of the articles where the author has public notes (on every instance)", async () => {
    const { seedContent } = await import("@/prisma/seed");
    await seedContent(db.url);
    const { email, cookie } = await signUp({ name: "Old Name" });
    const author = (await client.query(`SELECT id FROM "user" WHERE email = $1`, [email])).rows[0].id as string;
    const paragraph = (await client.query(`SELECT p.id, p.article_id FROM paragraph p WHERE p.position > 0 ORDER BY p.article_id, p.position LIMIT 1`)).rows[0];
    for (const visibility of ["public", "private"]) {
      await client.query(
        `INSERT INTO note (id, article_id, paragraph_id, locale, author_id, kind, visibility, body, client_key, created_at, updated_at)
         VALUES (gen_random_uuid(), $1, $2, 'en', $3, 'comment', $4, 'A note', gen_random_uuid()::text, now(), now())`,
        [paragraph.article_id, paragraph.id, author, visibility],
      );
    }
    const { revalidateTag } = await import("next/cache");
    const calls = vi.mocked(revalidateTag);
    calls.mockClear();
    expect((await api.patchProfile(jsonRequest("/api/profile", { name: "New Name", preferredLocale: "en" }, { method: "PATCH", cookie }))).status).toBe(200);
    expect(calls.mock.calls).toEqual([[`notes:${paragraph.article_id}`, { expire: 0 }]]);
    // Only the language changed: nothing on a page changed.
    calls.mockClear();
    expect((await api.patchProfile(jsonRequest("/api/profile", { name: "New Name", preferredLocale: "ja" }, { method: "PATCH", cookie }))).status).toBe(200);
    expect(calls).not.toHaveBeenCalled();
  });

  it("answers 401 without a session and 422 for role or a bad locale", async () => {
    expect((await api.patchProfile(jsonRequest("/api/profile", { name: "X", preferredLocale: "en" }, { method: "PATCH" }))).status).toBe(401);
    const { cookie } = await signUp();
    const withRole = await api.patchProfile(jsonRequest("/api/profile", { name: "X", preferredLocale: "en", role: "admin" }, { method: "PATCH", cookie }));
    expect(withRole.status).toBe(422);
    expect((await withRole.json()).code).toBe("unexpected_field");
    const badLocale = await api.patchProfile(jsonRequest("/api/profile", { name: "X", preferredLocale: "fr" }, { method: "PATCH", cookie, locale: "ja" }));
    expect(badLocale.status).toBe(422);
    expect((await badLocale.json()).fieldErrors.preferredLocale).toEqual(["英語か日本語を選んでください。"]);
  });

  it("changes the password: the old one stops working, other sessions are revoked", async () => {
    const { email, cookie } = await signUp();
    const ip = uniqueIp();
    const otherDevice = await api.signIn(jsonRequest("/api/auth/sign-in", { email, password: PASSWORD }, { ip }));
    const otherCookie = cookieHeader(cookiesFrom(otherDevice));

    const wrong = await api.changePassword(jsonRequest("/api/profile/password", { currentPassword: "not it at all", newPassword: "a brand new secret" }, { cookie }));
    expect(wrong.status).toBe(422);
    expect((await wrong.json()).fieldErrors.currentPassword).toEqual(["The current password is incorrect."]);

    const changed = await api.changePassword(jsonRequest("/api/profile/password", { currentPassword: PASSWORD, newPassword: "a brand new secret" }, { cookie }));
    expect(changed.status).toBe(200);
    const newCookie = cookieHeader(cookiesFrom(changed));
    expect(await (await api.me(getRequest("/api/me", newCookie))).json()).toMatchObject({ user: { email } });
    expect(await (await api.me(getRequest("/api/me", otherCookie))).json()).toMatchObject({ user: null });
    expect(await (await api.me(getRequest("/api/me", cookie))).json()).toMatchObject({ user: null });

    expect((await api.signIn(jsonRequest("/api/auth/sign-in", { email, password: PASSWORD }, { ip }))).status).toBe(401);
    expect((await api.signIn(jsonRequest("/api/auth/sign-in", { email, password: "a brand new secret" }, { ip }))).status).toBe(200);
  });
});

describe("setUserRole", () => {
  it("changes the role of an existing user and returns null for an unknown email", async () => {
    const { email, cookie } = await signUp();
    expect(await mutations.setUserRole(email.toUpperCase(), "moderator")).toMatchObject({ email, role: "moderator", previousRole: "member" });
    expect(await (await api.me(getRequest("/api/me", cookie))).json()).toMatchObject({ user: { role: "moderator" } });
    expect(await mutations.setUserRole("nobody@example.com", "admin")).toBeNull();
  });

  it("grants the editor role (between moderator and admin): /api/me reports it", async () => {
    const { email, cookie } = await signUp();
    expect(await mutations.setUserRole(email, "editor")).toMatchObject({ role: "editor", previousRole: "member" });
    expect(await (await api.me(getRequest("/api/me", cookie))).json()).toMatchObject({ user: { role: "editor" } });
  });
});
