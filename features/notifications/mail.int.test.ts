import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createAppTestDatabase } from "@/lib/testing/test-database";
import { startSmtpSink, type ParsedMail, type SmtpSink } from "@/lib/testing/smtp-sink";
import { signUpTestUser, type TestUser } from "@/lib/testing/test-users";

// Notification mail (ADR 0035) end to end against a real SMTP server (E's sink): notes create
// notifications, the queue's jobs turn them into mails (immediate, daily digest) in the
// recipient's language, and the unsubscribe link works signed out and stops the next mail.

vi.mock("next/cache", () => ({ unstable_cache: <T>(fn: T) => fn, revalidateTag: vi.fn() }));

const SLUG = "japan-patriot-missile-export";
const SITE = "https://taiyaku.test";

type Prisma = ReturnType<typeof import("@/lib/db/prisma").getPrisma>;
let db: Awaited<ReturnType<typeof createAppTestDatabase>>;
let prisma: Prisma;
let sink: SmtpSink;
let queue: typeof import("@/lib/jobs/queue");
let notes: typeof import("@/features/notes/mutations");
let mail: typeof import("./mutations");
let api: typeof import("./api");
let paragraphIds: string[] = [];
let nextParagraph = 0;

beforeAll(async () => {
  db = await createAppTestDatabase("notification_mail");
  process.env.LOG_LEVEL = "silent";
  process.env.SITE_URL = SITE;
  process.env.MAIL_FROM = "Taiyaku Test <no-reply@taiyaku.test>";
  sink = await startSmtpSink();
  process.env.SMTP_URL = sink.url;
  await import("@/app/job-handlers");
  queue = await import("@/lib/jobs/queue");
  notes = await import("@/features/notes/mutations");
  mail = await import("./mutations");
  api = await import("./api");
  prisma = (await import("@/lib/db/prisma")).getPrisma();
  const article = await prisma.article.findUniqueOrThrow({
    where: { slug: SLUG },
    select: { paragraphs: { where: { position: { gt: 0 } }, select: { id: true }, orderBy: { position: "asc" } } },
  });
  paragraphIds = article.paragraphs.map((p) => p.id);
}, 120_000);

afterAll(async () => {
  delete process.env.SMTP_URL;
  await sink?.close();
  await prisma?.$disconnect();
  await db?.drop();
});

beforeEach(async () => {
  // Each test starts with an empty queue: nothing another test left pending runs in this one.
  await prisma.job.deleteMany({});
});

// ---- helpers -----------------------------------------------------------------------------------

async function user(label: string, options: { locale?: "en" | "ja"; verified?: boolean } = {}): Promise<TestUser> {
  const created = await signUpTestUser(label, { unique: true });
  await prisma.user.update({ where: { id: created.id }, data: { preferredLocale: options.locale ?? "en", emailVerified: options.verified ?? true } });
  return created;
}

async function note(author: TestUser, body: string): Promise<string> {
  const paragraphId = paragraphIds[nextParagraph++ % paragraphIds.length]!;
  const result = await notes.createNote(author, { paragraphId, locale: "en", kind: "comment", visibility: "public", body, tag: null, idempotencyKey: randomUUID() });
  if (!result.ok) throw new Error(`note: ${result.code}`);
  return result.note.id;
}

async function reply(author: TestUser, parentId: string, body: string): Promise<string> {
  const result = await notes.createReply(author, { parentId, locale: "en", body, idempotencyKey: randomUUID() });
  if (!result.ok) throw new Error(`reply: ${result.code}`);
  return result.note.id;
}

/** Runs every due job as if `ahead` ms had passed (the immediate mail waits a few seconds), until none is left. */
async function drain(ahead = 120_000): Promise<void> {
  for (let round = 0; round < 10; round++) {
    // The hourly tick is tested on its own; here it must not run early because `now` moved on.
    await prisma.job.deleteMany({ where: { kind: mail.NOTIFICATION_DIGEST_TICK_JOB, status: "pending" } });
    const { ran } = await queue.runDueJobs({ now: new Date(Date.now() + ahead), limit: 50 });
    if (ran === 0) return;
  }
}

function mailsTo(address: string): ParsedMail[] {
  return sink.messages.filter((m) => (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).some((to) => to.value.some((v) => v.address === address)));
}

/** A header as it was sent (mailparser folds the List-* headers into a parsed "list" object). */
function header(message: ParsedMail, name: string): string | undefined {
  const line = message.headerLines.find((h) => h.key === name)?.line;
  return line?.slice(line.indexOf(":") + 1).replace(/\r?\n[ \t]+/g, " ").trim();
}

function unsubscribeToken(message: ParsedMail): string {
  const match = /\/unsubscribe\?token=([A-Za-z0-9._-]+)/.exec(message.text ?? "");
  if (!match) throw new Error(`no unsubscribe link in:\n${message.text}`);
  return match[1]!;
}

function post(path: string, init: { cookie?: string; body?: unknown; locale?: string } = {}): Request {
  const headers: Record<string, string> = { "x-ui-locale": init.locale ?? "en" };
  if (init.cookie) headers.cookie = init.cookie;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  return new Request(`${SITE}${path}`, { method: "POST", headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
}

function put(path: string, cookie: string | null, body: unknown): Request {
  const headers: Record<string, string> = { "x-ui-locale": "en", "content-type": "application/json" };
  if (cookie) headers.cookie = cookie;
  return new Request(`${SITE}${path}`, { method: "PUT", headers, body: JSON.stringify(body) });
}

const preferences = (overrides: Record<string, string> = {}) => ({ replies: "immediate", mentions: "immediate", answers: "daily", moderation: "immediate", ...overrides });

// ---- tests -------------------------------------------------------------------------------------

describe("the mail settings API", () => {
  it("saves the four settings for the signed-in user, refuses bad values and signed-out callers", async () => {
    const ada = await user("ada");
    const defaults = await api.getMailPreferences(new Request(`${SITE}/api/notifications/mail-preferences`, { headers: { cookie: ada.cookie } }));
    expect(await defaults.json()).toMatchObject({ ok: true, emailVerified: true, preferences: { replies: "daily", mentions: "immediate", answers: "daily", moderation: "immediate" } });

    const saved = await api.putMailPreferences(put("/api/notifications/mail-preferences", ada.cookie, preferences({ answers: "weekly", moderation: "never" })));
    expect(saved.status).toBe(200);
    expect(await prisma.user.findUniqueOrThrow({ where: { id: ada.id }, select: { mailReplies: true, mailAnswers: true, mailModeration: true } })).toEqual({
      mailReplies: "immediate",
      mailAnswers: "weekly",
      mailModeration: "never",
    });

    const bad = await api.putMailPreferences(put("/api/notifications/mail-preferences", ada.cookie, preferences({ replies: "hourly" })));
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ code: "validation", fieldErrors: { replies: ["Choose immediately, daily digest, weekly digest or never."] } });
    const extra = await api.putMailPreferences(put("/api/notifications/mail-preferences", ada.cookie, { ...preferences(), userId: "someone-else" }));
    expect(extra.status).toBe(422);
    const signedOut = await api.putMailPreferences(put("/api/notifications/mail-preferences", null, preferences()));
    expect(signedOut.status).toBe(401);
  });
});

describe("immediate mail", () => {
  it("mails a reply in the recipient's language with a link to the note, once, and only to verified addresses", async () => {
    const hanako = await user("hanako", { locale: "ja" });
    const unverified = await user("unverified");
    await prisma.user.updateMany({ where: { id: { in: [hanako.id, unverified.id] } }, data: { mailReplies: "immediate" } });
    const writer = await user("writer");
    const root = await note(hanako, "花子のメモ");
    // Written while verified (REQUIRE_VERIFIED_EMAIL keeps unverified accounts to private notes);
    // the address is unconfirmed by the time a reply comes.
    const other = await note(unverified, "Unverified note");
    await prisma.user.update({ where: { id: unverified.id }, data: { emailVerified: false } });
    const replyId = await reply(writer, root, "A reply for Hanako <b>bold</b>");
    await reply(writer, other, "A reply nobody is mailed");
    expect(await prisma.job.count({ where: { kind: "notification-mail", status: "pending" } })).toBe(1);

    await drain();
    const [message, ...more] = mailsTo(hanako.email);
    expect(more).toHaveLength(0);
    expect(message, "a mail to Hanako").toBeDefined();
    expect(message!.subject).toBe(`${writer.name}さんがあなたのメモに返信しました`);
    expect(message!.text).toContain(`${hanako.name} さん`);
    expect(message!.text).toContain("「A reply for Hanako <b>bold</b>」");
    const noteLink = `${SITE}/ja/articles/${SLUG}#note-${replyId}`;
    expect(message!.text).toContain(noteLink);
    expect(message!.html).toContain('<html lang="ja">');
    expect(message!.html).toContain(`href="${noteLink}"`);
    expect(message!.html).not.toContain("<b>bold</b>");
    // RFC 8058: a one-click POST address and the header that says so.
    expect(header(message!, "list-unsubscribe")).toMatch(new RegExp(`^<${SITE}/api/notifications/unsubscribe\\?token=u1\\.${hanako.id}\\.reply\\.[A-Za-z0-9_-]+>$`));
    expect(header(message!, "list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    expect(mailsTo(unverified.email)).toHaveLength(0);

    // Mailed once: another run sends nothing new.
    expect(await prisma.notification.count({ where: { userId: hanako.id, mailedAt: null } })).toBe(0);
    await queue.enqueueJob("notification-mail", {}, { dedupeKey: "notification-mail" });
    await drain();
    expect(mailsTo(hanako.email)).toHaveLength(1);
  });

  it("coalesces a burst into one mail, and does not mail what was read in the app first", async () => {
    const bo = await user("bo");
    await prisma.user.update({ where: { id: bo.id }, data: { mailReplies: "immediate" } });
    const [x, y] = [await user("x"), await user("y")];
    const root = await note(bo, "Bo's question");
    await reply(x, root, "First answer");
    await reply(y, root, "Second answer");
    await drain();
    const [burst, ...rest] = mailsTo(bo.email);
    expect(rest).toHaveLength(0);
    expect(burst!.subject).toBe("2 new notifications on Taiyaku");
    expect(burst!.text).toContain("“First answer”");
    expect(burst!.text).toContain("“Second answer”");

    await reply(x, root, "Read before the mail went");
    await prisma.notification.updateMany({ where: { userId: bo.id, readAt: null }, data: { readAt: new Date() } });
    await drain();
    expect(mailsTo(bo.email)).toHaveLength(1);
  });

  it("mails a moderation notice to the note's author", async () => {
    const author = await user("author");
    const moderator = await user("moderator");
    await prisma.user.update({ where: { id: moderator.id }, data: { role: "moderator" } });
    const noteId = await note(author, "A note a moderator hides");
    const { actOnNote } = await import("@/features/moderation/mutations");
    const { getModeratorScopes } = await import("@/features/moderation/data");
    const scopes = await getModeratorScopes({ id: moderator.id, role: "moderator" } as Parameters<typeof getModeratorScopes>[0]);
    const acted = await actOnNote({ id: moderator.id, role: "moderator" }, scopes, noteId, { action: "hide", version: 1, publicReason: "Off topic", internalNote: "" } as never);
    expect(acted.ok).toBe(true);
    await drain();
    const [notice] = mailsTo(author.email);
    expect(notice?.subject).toBe("A moderator acted on your note");
    expect(notice?.text).toContain("A moderator acted on your note (hidden). Reason: Off topic.");
  });
});

describe("digests", () => {
  it("the daily digest gathers the unread notifications since the last digest, skips read ones, and sends nothing when nothing is unread", async () => {
    const carol = await user("carol"); // replies: daily (the default)
    const idle = await user("idle");
    const writer = await user("digest-writer");
    const root = await note(carol, "Carol's note");
    const idleRoot = await note(idle, "Idle's note");
    await reply(writer, root, "Unread one");
    await reply(writer, root, "Unread two");
    const readId = await reply(writer, root, "Already read");
    await reply(writer, idleRoot, "Idle reads everything");
    await prisma.notification.updateMany({ where: { OR: [{ noteId: readId }, { userId: idle.id }] }, data: { readAt: new Date() } });
    // Nothing immediate was scheduled for digest readers.
    expect(await prisma.job.count({ where: { kind: "notification-mail" } })).toBe(0);
    // The last digest went two days ago: today's is due.
    await prisma.user.updateMany({ where: { id: { in: [carol.id, idle.id] } }, data: { dailyDigestAt: new Date(Date.now() - 2 * 86_400_000) } });

    const { digests } = await mail.runDigestTick();
    expect(digests).toBe(1);
    await drain(0);
    const [digest, ...rest] = mailsTo(carol.email);
    expect(rest).toHaveLength(0);
    expect(digest!.subject).toBe("Your daily digest: 2 unread notifications");
    expect(digest!.text).toContain("Since your last daily digest, 2 notifications came that you have not read yet:");
    expect(digest!.text).toContain("“Unread one”");
    expect(digest!.text).toContain("“Unread two”");
    expect(digest!.text).not.toContain("Already read");
    expect(digest!.text).toContain(`${SITE}/en/notifications`);
    expect(mailsTo(idle.email)).toHaveLength(0);

    // This period's digest is done: another tick sends nothing until something new comes.
    expect((await mail.runDigestTick()).digests).toBe(0);
    expect(await prisma.job.count({ where: { kind: mail.NOTIFICATION_DIGEST_TICK_JOB, status: "pending" } })).toBe(1);
  });

  it("places the daily and weekly boundaries at the digest hour, Japan time", async () => {
    const { digestBoundary } = await import("./data");
    // 2026-11-30 is a Monday. 07:00 JST = 22:00 UTC the day before.
    expect(digestBoundary("daily", new Date("2026-11-29T22:30:00Z"), 7).toISOString()).toBe("2026-11-29T22:00:00.000Z");
    expect(digestBoundary("daily", new Date("2026-11-29T21:59:00Z"), 7).toISOString()).toBe("2026-11-28T22:00:00.000Z");
    expect(digestBoundary("weekly", new Date("2026-12-03T12:00:00Z"), 7).toISOString()).toBe("2026-11-29T22:00:00.000Z");
    expect(digestBoundary("weekly", new Date("2026-11-29T21:00:00Z"), 7).toISOString()).toBe("2026-11-22T22:00:00.000Z");
  });
});

describe("unsubscribe", () => {
  it("the link works signed out, is honoured at once, and stops the next mail; forged and moved tokens are refused", async () => {
    const dana = await user("dana");
    const eve = await user("eve");
    await prisma.user.updateMany({ where: { id: { in: [dana.id, eve.id] } }, data: { mailReplies: "immediate" } });
    const writer = await user("unsub-writer");
    const root = await note(dana, "Dana's note");
    await reply(writer, root, "Mail me");
    await drain();
    const [first] = mailsTo(dana.email);
    const token = unsubscribeToken(first!);
    expect(first!.text).toContain(`${SITE}/en/unsubscribe?token=${token}`);

    // The page (GET) only reads the token; it changes nothing.
    const { loadUnsubscribeLink } = await import("./loaders");
    expect(loadUnsubscribeLink(token)).toEqual({ token, scope: "reply" });
    expect(loadUnsubscribeLink(`${token}x`)).toBeNull();
    expect((await prisma.user.findUniqueOrThrow({ where: { id: dana.id } })).mailReplies).toBe("immediate");

    // Forged: a changed signature, or Dana's signature on Eve's id or on another scope.
    const mac = token.split(".")[3]!;
    for (const forged of [`${token.slice(0, -2)}AA`, `u1.${eve.id}.reply.${mac}`, `u1.${dana.id}.all.${mac}`, "nonsense"]) {
      const refused = await api.postUnsubscribe(post(`/api/notifications/unsubscribe?token=${encodeURIComponent(forged)}`));
      expect(refused.status, forged).toBe(404);
      expect(await refused.json()).toMatchObject({ ok: false, message: "This unsubscribe link is not valid." });
    }
    expect((await prisma.user.findMany({ where: { id: { in: [dana.id, eve.id] } }, select: { mailReplies: true } })).map((u) => u.mailReplies)).toEqual([
      "immediate",
      "immediate",
    ]);

    // One-click POST, as a mail client sends it: no cookie, no Origin.
    const done = await api.postUnsubscribe(post(`/api/notifications/unsubscribe?token=${token}`, { locale: "ja" }));
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ ok: true, scope: "reply" });
    expect(await prisma.user.findUniqueOrThrow({ where: { id: dana.id }, select: { mailReplies: true, mailMentions: true } })).toEqual({
      mailReplies: "never",
      mailMentions: "immediate",
    });
    // RFC 8058 §3.1 exactly: the form body a mail provider posts (also after it took effect).
    const formPost = new Request(`${SITE}/api/notifications/unsubscribe?token=${token}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect((await api.postUnsubscribe(formPost)).status).toBe(200);
    const forgedForm = new Request(`${SITE}/api/notifications/unsubscribe?token=u1.${eve.id}.reply.${mac}`, {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=x" },
      body: '--x\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--x--\r\n',
    });
    expect((await api.postUnsubscribe(forgedForm)).status).toBe(404);
    // Again: still fine (a second click, a client retrying).
    expect((await api.postUnsubscribe(post(`/api/notifications/unsubscribe?token=${token}`))).status).toBe(200);

    // The next reply: no mail.
    await reply(writer, root, "No mail for this one");
    await drain();
    expect(mailsTo(dana.email)).toHaveLength(1);
  });

  it("a mail about several kinds unsubscribes from all of them", async () => {
    const finn = await user("finn");
    await prisma.user.update({ where: { id: finn.id }, data: { mailReplies: "immediate", mailAnswers: "immediate" } });
    const asker = await user("asker");
    const question = await notes.createNote(asker, {
      paragraphId: paragraphIds[nextParagraph++ % paragraphIds.length]!,
      locale: "en",
      kind: "comment",
      visibility: "public",
      body: "A question?",
      tag: "question",
      idempotencyKey: randomUUID(),
    });
    if (!question.ok) throw new Error("question");
    const finnsReply = await reply(finn, question.note.id, "Finn's answer");
    await reply(asker, finnsReply, "Thanks, Finn");
    const marked = await notes.markAnswer(asker, question.note.id, { replyId: finnsReply, version: question.note.version });
    expect(marked.ok).toBe(true);
    await drain();
    const [both] = mailsTo(finn.email);
    expect(both!.subject).toBe("2 new notifications on Taiyaku");
    const token = unsubscribeToken(both!);
    expect(token.split(".")[2]).toBe("all");
    expect((await api.postUnsubscribe(post(`/api/notifications/unsubscribe?token=${token}`))).status).toBe(200);
    expect(await prisma.user.findUniqueOrThrow({ where: { id: finn.id }, select: { mailReplies: true, mailMentions: true, mailAnswers: true, mailModeration: true } })).toEqual({
      mailReplies: "never",
      mailMentions: "never",
      mailAnswers: "never",
      mailModeration: "never",
    });
  });
});
