import { createHash, randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createAppTestDatabase } from "@/lib/testing/test-database";
import { startSmtpSink, type ParsedMail, type SmtpSink } from "@/lib/testing/smtp-sink";
import en from "@/messages/en.json";
import ja from "@/messages/ja.json";

// Password reset and email verification end to end below the browser (ADR 0033): the route
// handlers, the outbox and the job queue, and a real SMTP server (smtp-server) receiving the mail.
// Mails come in the recipient's language with links that work once; bad links (forged, expired,
// used, another account's) all get the same answer; REQUIRE_VERIFIED_EMAIL keeps unverified
// accounts to private notes.

vi.mock("next/cache", () => ({ unstable_cache: <T>(fn: T) => fn, revalidateTag: vi.fn() }));

const SITE = "https://taiyaku.test";
const OLD_PASSWORD = "correct horse battery staple";
const NEW_PASSWORD = "a brand new passphrase";

type Prisma = ReturnType<typeof import("@/lib/db/prisma").getPrisma>;
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;

let db: Awaited<ReturnType<typeof createAppTestDatabase>>;
let prisma: Prisma;
let runDueJobs: typeof import("@/lib/jobs/queue").runDueJobs;
let routes: Record<string, Record<string, Handler>>;
let sink: SmtpSink;
let paragraphId: string;
let ipCounter = 0;

beforeAll(async () => {
  db = await createAppTestDatabase("emaillinks");
  process.env.LOG_LEVEL = "silent";
  process.env.SITE_URL = SITE;
  await import("@/app/job-handlers");
  runDueJobs = (await import("@/lib/jobs/queue")).runDueJobs;
  prisma = (await import("@/lib/db/prisma")).getPrisma();
  const handlers = (module: unknown) => module as Record<string, Handler>;
  routes = {
    signUp: handlers(await import("@/app/api/auth/sign-up/route")),
    signIn: handlers(await import("@/app/api/auth/sign-in/route")),
    forgot: handlers(await import("@/app/api/auth/forgot-password/route")),
    reset: handlers(await import("@/app/api/auth/reset-password/route")),
    verify: handlers(await import("@/app/api/auth/verify-email/route")),
    resend: handlers(await import("@/app/api/profile/verification/route")),
    me: handlers(await import("@/app/api/me/route")),
    notes: handlers(await import("@/app/api/notes/route")),
  };
  const paragraph = await prisma.paragraph.findFirstOrThrow({ where: { position: { gt: 0 } }, orderBy: { position: "asc" }, select: { id: true } });
  paragraphId = paragraph.id;
}, 120_000);

beforeEach(async () => {
  // Each test counts the mails it causes: whatever an earlier test left in the queue goes.
  await prisma.job.deleteMany({});
  sink = await startSmtpSink();
  process.env.SMTP_URL = sink.url;
});

afterEach(async () => {
  delete process.env.SMTP_URL;
  delete process.env.REQUIRE_VERIFIED_EMAIL;
  await sink.close();
});

afterAll(async () => {
  delete process.env.SITE_URL;
  await prisma?.$disconnect();
  await db?.drop();
});

type Options = { cookie?: string; body?: unknown; locale?: "en" | "ja"; ip?: string };

async function call(handler: Handler | undefined, method: string, path: string, options: Options = {}) {
  if (!handler) throw new Error(`no ${method} handler for ${path}`);
  const headers: Record<string, string> = { host: "localhost", "x-ui-locale": options.locale ?? "en", "x-forwarded-for": options.ip ?? `198.51.100.${++ipCounter % 250}` };
  if (options.cookie) headers.cookie = options.cookie;
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await handler(new Request(`http://localhost${path}`, { method, headers, body }), { params: Promise.resolve({}) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : null) as Body };
}

function cookieOf(headers: Headers): string {
  return headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .filter((c) => c.startsWith("taiyaku.session_token="))
    .join("; ");
}

async function signUp(locale: "en" | "ja", name = `Reader ${randomUUID().slice(0, 6)}`) {
  const email = `reader-${randomUUID()}@example.test`;
  const result = await call(routes.signUp!.POST, "POST", "/api/auth/sign-up", { locale, body: { email, name, password: OLD_PASSWORD } });
  expect(result.status).toBe(201);
  return { id: result.body.user.id as string, email, name, cookie: cookieOf(result.headers) };
}

/** Runs the queue until the sink has `count` messages; returns the last one. */
async function deliver(count: number): Promise<ParsedMail> {
  await runDueJobs({ limit: 50 });
  const messages = await sink.waitFor(count);
  return messages[count - 1]!;
}

function linkIn(mail: ParsedMail, page: string): URL {
  const match = (mail.text ?? "").match(new RegExp(`https://taiyaku\\.test/(en|ja)/${page}\\?token=[A-Za-z0-9_-]+`));
  if (!match) throw new Error(`no ${page} link in:\n${mail.text}`);
  return new URL(match[0]);
}

const toAddress = (mail: ParsedMail) => (mail.to && !Array.isArray(mail.to) ? mail.to.value[0]?.address : undefined);

describe("password reset", () => {
  it("mails a single-use link in the account's language; the new password works, every old session is revoked", async () => {
    const user = await signUp("ja");
    await deliver(1); // the verification mail of the sign-up
    const asked = await call(routes.forgot!.POST, "POST", "/api/auth/forgot-password", { locale: "en", body: { email: user.email.toUpperCase() } });
    expect(asked.status).toBe(200);
    const mail = await deliver(2);
    expect(toAddress(mail)).toBe(user.email);
    // Japanese: the account's preferred language, not the language of the request.
    expect(mail.subject).toBe(ja.Mail.passwordReset.subject);
    expect(mail.text).toContain(ja.Mail.passwordReset.action);
    expect(mail.html).toContain('lang="ja"');
    const link = linkIn(mail, "reset-password");
    expect(link.pathname).toBe("/ja/reset-password");
    const token = link.searchParams.get("token")!;
    expect(mail.html).toContain(link.href.replaceAll("&", "&amp;"));

    // Only the token's sha256 is stored.
    const stored = await prisma.verification.findMany({ where: { value: user.id } });
    expect(stored).toHaveLength(1);
    expect(stored[0]!.identifier).toBe(`reset-password:${createHash("sha256").update(token).digest("hex")}`);
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(stored[0]!.expiresAt.getTime() - Date.now()).toBeGreaterThan(29 * 60_000);
    expect(stored[0]!.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(30 * 60_000);

    const reset = await call(routes.reset!.POST, "POST", "/api/auth/reset-password", { locale: "ja", body: { token, newPassword: NEW_PASSWORD } });
    expect(reset.status).toBe(200);
    const fresh = cookieOf(reset.headers);
    expect(fresh).toContain("taiyaku.session_token=");
    // The old session is gone, the new one works.
    expect((await call(routes.me!.GET, "GET", "/api/me", { cookie: user.cookie })).body.user).toBeNull();
    expect((await call(routes.me!.GET, "GET", "/api/me", { cookie: fresh })).body.user.email).toBe(user.email);
    // The old password no longer signs in; the new one does.
    expect((await call(routes.signIn!.POST, "POST", "/api/auth/sign-in", { body: { email: user.email, password: OLD_PASSWORD } })).status).toBe(401);
    expect((await call(routes.signIn!.POST, "POST", "/api/auth/sign-in", { body: { email: user.email, password: NEW_PASSWORD } })).status).toBe(200);
    // The link proved the address: it counts as verified.
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerified).toBe(true);

    // Used: the same answer as any bad link.
    const again = await call(routes.reset!.POST, "POST", "/api/auth/reset-password", { locale: "ja", body: { token, newPassword: "yet another passphrase" } });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ code: "link_invalid", message: ja.PasswordReset.errors.tokenInvalid });
  });

  it("answers an unknown address exactly like a known one, and mails nothing", async () => {
    const before = await prisma.mailOutbox.count();
    let started = performance.now();
    const unknown = await call(routes.forgot!.POST, "POST", "/api/auth/forgot-password", { body: { email: `nobody-${randomUUID()}@example.test` } });
    const unknownMs = performance.now() - started;
    const user = await signUp("en");
    started = performance.now();
    const known = await call(routes.forgot!.POST, "POST", "/api/auth/forgot-password", { body: { email: user.email } });
    // Both answer no sooner than the floor, so the quick "no such account" path does not show.
    expect(unknownMs).toBeGreaterThanOrEqual(245);
    expect(performance.now() - started).toBeGreaterThanOrEqual(245);
    expect(unknown.status).toBe(known.status);
    expect(unknown.body).toEqual(known.body);
    // The sign-up's verification mail and the reset mail: nothing for the unknown address.
    expect(await prisma.mailOutbox.count()).toBe(before + 2);
    expect(await prisma.mailOutbox.count({ where: { toAddress: { startsWith: "nobody-" } } })).toBe(0);
  });

  it("is rate-limited per address asked for, known or not (3 an hour), with the same 429", async () => {
    const user = await signUp("en");
    for (const email of [user.email, `nobody-${randomUUID()}@example.test`]) {
      for (let i = 0; i < 3; i++) {
        expect((await call(routes.forgot!.POST, "POST", "/api/auth/forgot-password", { body: { email } })).status).toBe(200);
      }
      const limited = await call(routes.forgot!.POST, "POST", "/api/auth/forgot-password", { locale: "ja", body: { email } });
      expect(limited.status).toBe(429);
      expect(limited.body.retryAfterSeconds).toBeGreaterThan(0);
      expect(limited.body.message).toBe(ja.PasswordReset.errors.rateLimited.replace("{seconds}", String(limited.body.retryAfterSeconds)));
    }
  });

  it("is rate-limited per client address", async () => {
    const ip = "203.0.113.77";
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      statuses.push((await call(routes.forgot!.POST, "POST", "/api/auth/forgot-password", { ip, body: { email: `someone-${i}-${randomUUID()}@example.test` } })).status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(statuses[10]).toBe(429);
  });

  it("refuses forged, expired, and other accounts' links with one message, and a refused link stays usable by its owner", async () => {
    const alice = await signUp("en");
    const bob = await signUp("en");
    await call(routes.forgot!.POST, "POST", "/api/auth/forgot-password", { body: { email: alice.email } });
    const token = linkIn(await deliver(3), "reset-password").searchParams.get("token")!;
    const attempt = (body: Body, cookie?: string) => call(routes.reset!.POST, "POST", "/api/auth/reset-password", { body, cookie });

    const forged = await attempt({ token: token.slice(0, -2) + (token.endsWith("AA") ? "BB" : "AA"), newPassword: NEW_PASSWORD });
    const malformed = await attempt({ token: "short", newPassword: NEW_PASSWORD });
    const otherAccount = await attempt({ token, newPassword: NEW_PASSWORD }, bob.cookie);
    expect(forged.body).toMatchObject({ code: "link_invalid", message: en.PasswordReset.errors.tokenInvalid });
    expect(otherAccount.body).toMatchObject({ code: "link_invalid", message: en.PasswordReset.errors.tokenInvalid });
    expect(malformed.status).toBe(422);
    // Bob's session survived, and so did Alice's link.
    expect((await call(routes.me!.GET, "GET", "/api/me", { cookie: bob.cookie })).body.user.id).toBe(bob.id);
    expect((await attempt({ token, newPassword: NEW_PASSWORD }, alice.cookie)).status).toBe(200);

    // Expired.
    await call(routes.forgot!.POST, "POST", "/api/auth/forgot-password", { body: { email: bob.email } });
    const bobMail = await deliver(4);
    const bobToken = linkIn(bobMail, "reset-password").searchParams.get("token")!;
    await prisma.verification.updateMany({ where: { value: bob.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    const expired = await attempt({ token: bobToken, newPassword: NEW_PASSWORD });
    expect(expired.body).toMatchObject({ code: "link_invalid", message: en.PasswordReset.errors.tokenInvalid });
  });

  it("a display name with a header injection never reaches a header; the mail still goes to the bare address", async () => {
    const user = await signUp("en");
    // Sign-up refuses such names; an older or imported row might still hold one.
    await prisma.user.update({ where: { id: user.id }, data: { name: "Eve\r\nBcc: victim@example.test" } });
    await call(routes.forgot!.POST, "POST", "/api/auth/forgot-password", { body: { email: user.email } });
    const mail = await deliver(2);
    expect(toAddress(mail)).toBe(user.email);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value[0]?.name : "?").toBe("");
    expect(mail.bcc).toBeUndefined();
    expect(mail.headerLines.some((line) => /victim/.test(line.line) && !/^subject/i.test(line.key))).toBe(false);
  });

  it("a second request replaces the first link", async () => {
    const user = await signUp("en");
    await call(routes.forgot!.POST, "POST", "/api/auth/forgot-password", { body: { email: user.email } });
    const first = linkIn(await deliver(2), "reset-password").searchParams.get("token")!;
    await call(routes.forgot!.POST, "POST", "/api/auth/forgot-password", { body: { email: user.email } });
    const second = linkIn(await deliver(3), "reset-password").searchParams.get("token")!;
    expect((await call(routes.reset!.POST, "POST", "/api/auth/reset-password", { body: { token: first, newPassword: NEW_PASSWORD } })).status).toBe(400);
    expect((await call(routes.reset!.POST, "POST", "/api/auth/reset-password", { body: { token: second, newPassword: NEW_PASSWORD } })).status).toBe(200);
  });
});

describe("email verification", () => {
  it("mails a link in the sign-up language at sign-up; it verifies once", async () => {
    const user = await signUp("ja", "山田 花子");
    const mail = await deliver(1);
    expect(toAddress(mail)).toBe(user.email);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value[0]?.name : null).toBe("山田 花子");
    expect(mail.subject).toBe(ja.Mail.verifyEmail.subject);
    expect(mail.text).toContain("山田 花子 さん");
    const link = linkIn(mail, "verify-email");
    expect(link.pathname).toBe("/ja/verify-email");
    const token = link.searchParams.get("token")!;
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerified).toBe(false);

    const verified = await call(routes.verify!.POST, "POST", "/api/auth/verify-email", { body: { token } });
    expect(verified.status).toBe(200);
    expect(verified.body.email).toBe(user.email);
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerified).toBe(true);

    const again = await call(routes.verify!.POST, "POST", "/api/auth/verify-email", { locale: "ja", body: { token } });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ code: "link_invalid", message: ja.EmailVerification.errors.tokenInvalid });
    // Verified: nothing to resend.
    const resend = await call(routes.resend!.POST, "POST", "/api/profile/verification", { cookie: user.cookie });
    expect(resend.body.code).toBe("already_verified");
  });

  it("resend replaces the link; another account's session cannot use it; a changed address voids it", async () => {
    const user = await signUp("en");
    const other = await signUp("en");
    await deliver(2);
    const resent = await call(routes.resend!.POST, "POST", "/api/profile/verification", { cookie: user.cookie });
    expect(resent.status).toBe(200);
    const mail = await deliver(3);
    expect(toAddress(mail)).toBe(user.email);
    expect(mail.subject).toBe(en.Mail.verifyEmail.subject);
    const token = linkIn(mail, "verify-email").searchParams.get("token")!;
    // The sign-up's link is void now: one live link per account.
    expect(await prisma.verification.count({ where: { value: { startsWith: `${user.id}:` } } })).toBe(1);

    const byOther = await call(routes.verify!.POST, "POST", "/api/auth/verify-email", { cookie: other.cookie, body: { token } });
    expect(byOther.body.code).toBe("link_invalid");
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerified).toBe(false);

    await prisma.user.update({ where: { id: user.id }, data: { email: `changed-${randomUUID()}@example.test` } });
    expect((await call(routes.verify!.POST, "POST", "/api/auth/verify-email", { body: { token } })).body.code).toBe("link_invalid");
    expect((await call(routes.resend!.POST, "POST", "/api/profile/verification", {})).status).toBe(401);
  });

  it("REQUIRE_VERIFIED_EMAIL: an unverified account writes private notes only, until it verifies", async () => {
    process.env.REQUIRE_VERIFIED_EMAIL = "1";
    const user = await signUp("ja");
    const token = linkIn(await deliver(1), "verify-email").searchParams.get("token")!;
    const note = (visibility: string, extra: Body = {}) => ({ paragraphId, locale: "en", kind: "comment", visibility, body: "A note", idempotencyKey: randomUUID(), ...extra });
    const post = (body: Body) => call(routes.notes!.POST, "POST", "/api/notes", { cookie: user.cookie, locale: "ja", body });

    const refused = await post(note("public"));
    expect(refused.status).toBe(422);
    expect(refused.body.fieldErrors.visibility).toEqual([ja.Notes.errors.emailUnverified]);
    const privateNote = await post(note("private"));
    expect(privateNote.status).toBe(201);

    // A reply in someone's public thread is public too.
    const author = await signUp("en");
    await prisma.user.update({ where: { id: author.id }, data: { emailVerified: true } });
    const thread = await call(routes.notes!.POST, "POST", "/api/notes", { cookie: author.cookie, body: note("public") });
    expect(thread.status).toBe(201);
    const reply = await post({ parentId: thread.body.note.id, body: "A reply", idempotencyKey: randomUUID() });
    expect(reply.status).toBe(422);

    expect((await call(routes.verify!.POST, "POST", "/api/auth/verify-email", { body: { token } })).status).toBe(200);
    expect((await post(note("public"))).status).toBe(201);

    // Off (explicitly): the rule is gone even with SMTP configured.
    process.env.REQUIRE_VERIFIED_EMAIL = "0";
    const unverified = await signUp("en");
    expect((await call(routes.notes!.POST, "POST", "/api/notes", { cookie: unverified.cookie, body: note("public") })).status).toBe(201);
  });
});
