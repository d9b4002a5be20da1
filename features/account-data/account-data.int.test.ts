import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createAppTestDatabase, query } from "@/lib/testing/test-database";
import { signUpTestUser, type TestUser } from "@/lib/testing/test-users";
import { startSmtpSink, type SmtpSink } from "@/lib/testing/smtp-sink";
import { unzipTextFiles } from "@/lib/content/zip";

// "Download my data" and "Delete my account" (ADR 0036) through the route files, the real job
// queue and a real SMTP server, against a throwaway PostgreSQL database seeded with the article.
// The deletion tests end with a search of EVERY text column of EVERY table for the deleted
// person's address, name and id: whatever another feature adds later is covered too.

vi.mock("next/cache", () => ({ unstable_cache: <T>(fn: T) => fn, revalidateTag: vi.fn() }));

const SLUG = "japan-patriot-missile-export";
const PASSWORD = "correct horse battery staple";

type Prisma = ReturnType<typeof import("@/lib/db/prisma").getPrisma>;
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;

let db: Awaited<ReturnType<typeof createAppTestDatabase>>;
let prisma: Prisma;
let account: Record<string, Handler>;
let exports: Record<string, Handler>;
let exportById: Record<string, Handler>;
let me: Record<string, Handler>;
let signIn: Record<string, Handler>;
let notesRoute: Record<string, Handler>;
let runDueJobs: typeof import("@/lib/jobs/queue").runDueJobs;
let articleId: string;
let paragraphs: string[];
let sink: SmtpSink;

beforeAll(async () => {
  db = await createAppTestDatabase("accountdata");
  prisma = (await import("@/lib/db/prisma")).getPrisma();
  account = (await import("@/app/api/account/route")) as unknown as Record<string, Handler>;
  exports = (await import("@/app/api/account/data-exports/route")) as unknown as Record<string, Handler>;
  exportById = (await import("@/app/api/account/data-exports/[id]/route")) as unknown as Record<string, Handler>;
  me = (await import("@/app/api/me/route")) as unknown as Record<string, Handler>;
  signIn = (await import("@/app/api/auth/sign-in/route")) as unknown as Record<string, Handler>;
  notesRoute = (await import("@/app/api/notes/route")) as unknown as Record<string, Handler>;
  await import("@/app/job-handlers");
  runDueJobs = (await import("@/lib/jobs/queue")).runDueJobs;
  const article = await prisma.article.findUniqueOrThrow({
    where: { slug: SLUG },
    select: { id: true, paragraphs: { where: { position: { gt: 0 } }, orderBy: { position: "asc" }, take: 3, select: { id: true } } },
  });
  articleId = article.id;
  paragraphs = article.paragraphs.map((p) => p.id);
  sink = await startSmtpSink();
  process.env.SMTP_URL = sink.url;
}, 120_000);

afterAll(async () => {
  delete process.env.SMTP_URL;
  await sink?.close();
  await prisma?.$disconnect();
  await db?.drop();
});

// ---- helpers -----------------------------------------------------------------------------------

type Options = { cookie?: string; body?: unknown; locale?: "en" | "ja"; params?: Record<string, string>; headers?: Record<string, string> };

async function call(handler: Handler | undefined, method: string, path: string, options: Options = {}) {
  if (!handler) throw new Error(`no ${method} handler for ${path}`);
  const headers: Record<string, string> = { host: "localhost", "x-ui-locale": options.locale ?? "en", ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await handler(new Request(`http://localhost${path}`, { method, headers, body }), { params: Promise.resolve(options.params ?? {}) });
  return response;
}

async function json(response: Response): Promise<{ status: number; body: Body }> {
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as Body };
}

/** Runs the queue until nothing is due (the export job queues its mail, which is another job). */
async function drainJobs(): Promise<void> {
  for (let i = 0; i < 10; i++) {
    const { ran } = await runDueJobs({ limit: 20 });
    if (ran === 0) return;
  }
}

let noteCounter = 0;
async function note(author: TestUser, data: { visibility?: "private" | "public" | "group"; groupId?: string; parent?: { id: string; rootId: string | null; depth: number }; body?: string; tag?: "question" } = {}) {
  noteCounter += 1;
  return prisma.note.create({
    data: {
      articleId,
      paragraphId: paragraphs[noteCounter % paragraphs.length]!,
      locale: "en",
      authorId: author.id,
      kind: "comment",
      visibility: data.visibility ?? "public",
      groupId: data.groupId ?? null,
      parentId: data.parent?.id ?? null,
      rootId: data.parent ? (data.parent.rootId ?? data.parent.id) : null,
      depth: data.parent ? data.parent.depth + 1 : 0,
      body: data.body ?? `note ${noteCounter}`,
      tag: data.tag ?? null,
    },
    select: { id: true, rootId: true, depth: true },
  });
}

/**
 * Every text-like column of every table (text, varchar, char, json, jsonb, arrays) that contains
 * any of the needles, case-insensitively: "table.column" → matching row count.
 */
async function findEverywhere(needles: string[]): Promise<Record<string, number>> {
  const columns = await query<{ table_name: string; column_name: string }>(
    db.url,
    `SELECT c.table_name, c.column_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
     WHERE c.table_schema = 'public' AND c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY')`,
  );
  expect(columns.length).toBeGreaterThan(50);
  const found: Record<string, number> = {};
  for (const { table_name: table, column_name: column } of columns) {
    const conditions = needles.map((_, i) => `"${column}"::text ILIKE '%' || $${i + 1} || '%'`).join(" OR ");
    const [row] = await query<{ n: number }>(db.url, `SELECT count(*)::int AS n FROM "${table}" WHERE ${conditions}`, needles);
    if (row!.n > 0) found[`${table}.${column}`] = row!.n;
  }
  return found;
}

async function makeRole(user: TestUser, role: "moderator" | "admin") {
  await prisma.user.update({ where: { id: user.id }, data: { role } });
}

// ---- download my data --------------------------------------------------------------------------

describe("download my data", () => {
  it("a background job builds a zip of JSON + Markdown with every kind of data; the mail arrives in the asker's language", async () => {
    const eve = await signUpTestUser("Export Eve", { unique: true });
    const bob = await signUpTestUser("export-bob");
    const group = await prisma.group.create({ data: { name: "Kanji circle", createdById: bob.id, members: { create: [{ userId: bob.id, role: "owner" }, { userId: eve.id, role: "member" }] } } });
    const priv = await note(eve, { visibility: "private", body: "my private thought" });
    const pub = await note(eve, { visibility: "public", body: "public v2" });
    await prisma.noteRevision.create({ data: { noteId: pub.id, version: 1, body: "public v1", createdAt: new Date(Date.now() - 60_000) } });
    await prisma.note.update({ where: { id: pub.id }, data: { version: 2, editedAt: new Date() } });
    const grp = await note(eve, { visibility: "group", groupId: group.id, body: "for the circle" });
    const bobs = await note(bob, { visibility: "public", body: "bob's note" });
    const reply = await note(bob, { visibility: "public", parent: pub, body: "bob replies" });
    await prisma.noteReaction.create({ data: { noteId: bobs.id, userId: eve.id } });
    await prisma.noteFlag.create({ data: { noteId: bobs.id, userId: eve.id, reason: "other", details: "looks copied" } });
    await prisma.notification.create({ data: { userId: eve.id, kind: "reply", noteId: reply.id, actorId: bob.id } });
    await prisma.articleVisit.create({ data: { userId: eve.id, articleId, lastVisitedAt: new Date(), paragraphKey: "p-2" } });

    const asked = await json(await call(exports.POST, "POST", "/api/account/data-exports", { cookie: eve.cookie, locale: "ja" }));
    expect(asked.status).toBe(202);
    expect(asked.body.dataExport).toMatchObject({ status: "pending", downloadable: false });
    // Asking again while it is being prepared answers the same request, no second job.
    const again = await json(await call(exports.POST, "POST", "/api/account/data-exports", { cookie: eve.cookie, locale: "ja" }));
    expect(again.status).toBe(200);
    expect(again.body.dataExport.id).toBe(asked.body.dataExport.id);
    expect(await prisma.job.count({ where: { kind: "data-export", status: "pending" } })).toBe(1);

    // Not ready yet: the download says so.
    const early = await call(exportById.GET, "GET", `/api/account/data-exports/${asked.body.dataExport.id}`, { cookie: eve.cookie, params: { id: asked.body.dataExport.id } });
    expect(early.status).toBe(409);

    await drainJobs();
    const listed = await json(await call(exports.GET, "GET", "/api/account/data-exports", { cookie: eve.cookie }));
    expect(listed.body.exports[0]).toMatchObject({ id: asked.body.dataExport.id, status: "ready", downloadable: true });
    const row = await prisma.dataExport.findUniqueOrThrow({ where: { id: asked.body.dataExport.id } });
    expect(row.expiresAt!.getTime() - row.readyAt!.getTime()).toBe(7 * 24 * 3600 * 1000);
    // Its deletion is already scheduled for the expiry time.
    const expiry = await prisma.job.findFirstOrThrow({ where: { kind: "data-export-expire", status: "pending" } });
    expect(expiry.runAt.getTime()).toBe(row.expiresAt!.getTime());

    // The mail: in Japanese (the language the request was made in), with the profile link.
    const [mail] = await sink.waitFor(1);
    expect(mail!.to && "text" in mail!.to ? mail!.to.text : JSON.stringify(mail!.to)).toContain(eve.email);
    expect(mail!.subject).toBe("Taiyakuのデータのダウンロード準備ができました");
    expect(mail!.text).toContain("/ja/profile#your-data");
    expect(mail!.html).toContain("/ja/profile#your-data");

    // Only the owner can download; the zip holds JSON and Markdown.
    const stranger = await call(exportById.GET, "GET", `/api/account/data-exports/${row.id}`, { cookie: bob.cookie, params: { id: row.id } });
    expect(stranger.status).toBe(404);
    const download = await call(exportById.GET, "GET", `/api/account/data-exports/${row.id}`, { cookie: eve.cookie, params: { id: row.id } });
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("application/zip");
    expect(download.headers.get("content-disposition")).toMatch(/^attachment; filename="taiyaku-data-\d{4}-\d{2}-\d{2}\.zip"$/);
    const files = unzipTextFiles(new Uint8Array(await download.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual(
      ["README.md", "account.json", "api-tokens.json", "flags.json", "groups.json", "notes.json", "notes.md", "notifications.json", "reactions.json", "reading.json"].map((f) => `taiyaku-data/${f}`).sort(),
    );
    const parsed = (name: string) => JSON.parse(files[`taiyaku-data/${name}.json`]!) as Body;
    expect(parsed("account")).toMatchObject({ id: eve.id, email: eve.email, name: eve.name });
    const notes = parsed("notes") as Body[];
    expect(notes.map((n) => n.id).sort()).toEqual([priv.id, pub.id, grp.id].sort());
    expect(notes.map((n) => n.visibility).sort()).toEqual(["group", "private", "public"]);
    expect(notes.find((n) => n.id === pub.id)).toMatchObject({ body: "public v2", revisions: [{ version: 1, body: "public v1" }], article: { slug: SLUG } });
    expect(notes.find((n) => n.id === grp.id)!.group).toEqual({ id: group.id, name: "Kanji circle" });
    expect(parsed("reactions")).toEqual([expect.objectContaining({ noteId: bobs.id, article: SLUG })]);
    expect(parsed("flags")).toEqual([expect.objectContaining({ noteId: bobs.id, reason: "other", details: "looks copied" })]);
    expect(parsed("groups")).toEqual([expect.objectContaining({ groupId: group.id, name: "Kanji circle", role: "member" })]);
    expect(parsed("notifications")).toEqual([expect.objectContaining({ kind: "reply", noteId: reply.id })]);
    expect(parsed("reading")).toEqual([expect.objectContaining({ article: SLUG, paragraphKey: "p-2" })]);
    // The Markdown is in the request's language and holds the bodies and the history.
    expect(files["taiyaku-data/README.md"]).toContain("# Taiyakuのあなたのデータ");
    const md = files["taiyaku-data/notes.md"]!;
    expect(md).toContain("# あなたのノート");
    for (const text of ["my private thought", "public v2", "public v1", "for the circle", "グループ「Kanji circle」", "非公開"]) expect(md).toContain(text);
    expect(md).not.toContain("bob replies");

    // After the expiry job the bytes are gone and the link answers 410.
    const { expireDataExport } = await import("./mutations");
    await expireDataExport(row.id);
    expect((await prisma.dataExport.findUniqueOrThrow({ where: { id: row.id } })).archive).toBeNull();
    const expired = await json(await call(exportById.GET, "GET", `/api/account/data-exports/${row.id}`, { cookie: eve.cookie, params: { id: row.id } }));
    expect(expired.status).toBe(410);
    expect(expired.body.code).toBe("gone");
  });

  it("refuses signed-out callers and malformed ids; a job for a deleted request does nothing", async () => {
    expect((await call(exports.POST, "POST", "/api/account/data-exports")).status).toBe(401);
    expect((await call(exports.GET, "GET", "/api/account/data-exports")).status).toBe(401);
    const user = await signUpTestUser("export-nobody");
    expect((await call(exportById.GET, "GET", "/api/account/data-exports/nope", { cookie: user.cookie, params: { id: "nope" } })).status).toBe(404);
    const { buildDataExport } = await import("./mutations");
    await expect(buildDataExport(randomUUID(), 1)).resolves.toBeUndefined();
  });

  it("marks the request failed after the last attempt instead of leaving it pending", async () => {
    const user = await signUpTestUser("export-fails");
    const row = await prisma.dataExport.create({ data: { userId: user.id, locale: "en" } });
    const data = await import("./data");
    const spy = vi.spyOn(data, "loadAccountExport").mockRejectedValue(new Error("database hiccup"));
    const { buildDataExport, DATA_EXPORT_ATTEMPTS } = await import("./mutations");
    try {
      await expect(buildDataExport(row.id, 1)).rejects.toThrow("database hiccup");
      expect((await prisma.dataExport.findUniqueOrThrow({ where: { id: row.id } })).status).toBe("pending");
      await expect(buildDataExport(row.id, DATA_EXPORT_ATTEMPTS)).rejects.toThrow("database hiccup");
      expect((await prisma.dataExport.findUniqueOrThrow({ where: { id: row.id } })).status).toBe("failed");
    } finally {
      spy.mockRestore();
    }
  });
});

// ---- delete my account -------------------------------------------------------------------------

describe("delete my account", () => {
  it("keeps public and group notes as “deleted user”, keeps threads whole, and leaves no personal data in any table", async () => {
    const alice = await signUpTestUser("Alice Erasable", { unique: true });
    const bob = await signUpTestUser("deletion-bob");
    const carol = await signUpTestUser("deletion-carol");
    const mod = await signUpTestUser("deletion-mod");
    await makeRole(mod, "moderator");

    // Alice owns a group with Bob (member) and Carol (moderator): Carol should become the owner.
    const group = await prisma.group.create({
      data: { name: "Reading circle", createdById: alice.id, members: { create: [{ userId: alice.id, role: "owner" }, { userId: bob.id, role: "member" }, { userId: carol.id, role: "moderator" }] } },
    });
    await prisma.groupInvite.create({ data: { groupId: group.id, tokenHash: "a".repeat(64), createdById: alice.id, expiresAt: new Date(Date.now() + 86_400_000) } });
    const priv = await note(alice, { visibility: "private", body: "private root" });
    const privReply = await note(alice, { visibility: "private", parent: priv, body: "private reply" });
    const pub = await note(alice, { visibility: "public", body: "alice public, kept" });
    await prisma.noteRevision.create({ data: { noteId: pub.id, version: 1, body: "alice first draft", createdAt: new Date() } });
    const bobReply = await note(bob, { visibility: "public", parent: pub, body: "bob answers alice" });
    const bobRoot = await note(bob, { visibility: "public", body: "bob's thread" });
    const aliceReply = await note(alice, { visibility: "public", parent: bobRoot, body: "alice replies to bob" });
    const bobAfter = await note(bob, { visibility: "public", parent: aliceReply, body: "bob replies to alice's reply" });
    const grp = await note(alice, { visibility: "group", groupId: group.id, body: "alice group note" });
    const aliceDeleted = await note(alice, { visibility: "public", body: "alice deleted this herself" });
    await prisma.note.update({ where: { id: aliceDeleted.id }, data: { deletedAt: new Date() } });

    await prisma.noteReaction.create({ data: { noteId: bobRoot.id, userId: alice.id } });
    await prisma.noteFlag.create({ data: { noteId: bobRoot.id, userId: alice.id, reason: "spam" } });
    await prisma.noteFlag.create({ data: { noteId: pub.id, userId: bob.id, reason: "other", details: `${alice.name} (${alice.email.toUpperCase()}) posts this everywhere` } });
    await prisma.notification.create({ data: { userId: alice.id, kind: "reply", noteId: bobReply.id, actorId: bob.id } });
    await prisma.notification.create({ data: { userId: bob.id, kind: "reply", noteId: aliceReply.id, actorId: alice.id } });
    await prisma.articleVisit.create({ data: { userId: alice.id, articleId, lastVisitedAt: new Date(), paragraphKey: "p-1" } });
    await prisma.apiToken.create({ data: { userId: alice.id, name: `${alice.name}'s script`, scopes: ["read"], tokenHash: "b".repeat(64) } });
    // The moderation log: alice as target (hidden, suspended) and as actor (she moderated once).
    const logHide = await prisma.moderationLog.create({
      data: { actorId: mod.id, action: "hide", noteId: pub.id, targetUserId: alice.id, oldStatus: "visible", newStatus: "hidden", publicReason: "Off topic", internalNote: `warned ${alice.name} by mail at ${alice.email}` },
    });
    const logSuspend = await prisma.moderationLog.create({ data: { actorId: mod.id, action: "suspend", targetUserId: alice.id, publicReason: `${alice.name} was rude` } });
    const logActor = await prisma.moderationLog.create({ data: { actorId: alice.id, action: "dismiss_flags", noteId: bobRoot.id, targetUserId: bob.id } });
    await prisma.userSuspension.create({ data: { userId: alice.id, reason: "rude", createdById: mod.id, liftedAt: new Date() } });
    await prisma.userSuspension.create({ data: { userId: bob.id, reason: `spammed ${alice.name}`, createdById: alice.id, liftedAt: new Date() } });
    // Things that carry her address or id as text: a failed sign-in, a data export and its mail.
    const failed = await call(signIn.POST, "POST", "/api/auth/sign-in", { body: { email: alice.email, password: "wrong password!!" }, headers: { "x-forwarded-for": "10.9.8.7" } });
    expect(failed.status).toBe(401);
    expect((await call(exports.POST, "POST", "/api/account/data-exports", { cookie: alice.cookie })).status).toBe(202);
    await drainJobs();
    expect(await prisma.mailOutbox.count({ where: { toAddress: alice.email } })).toBeGreaterThan(0);
    // Sanity: the search finds her before the deletion (it would find a leak).
    const before = await findEverywhere([alice.email, alice.name, alice.id]);
    for (const key of ["user.email", "note.author_id", "moderation_log.internal_note", "mail_outbox.to_address", "rate_limit_bucket.key", "session.user_id"]) expect(before).toHaveProperty([key]);

    // A wrong password changes nothing.
    const wrong = await json(await call(account.DELETE, "DELETE", "/api/account", { cookie: alice.cookie, body: { password: "not my password", notes: "keep" } }));
    expect(wrong.status).toBe(422);
    expect(wrong.body.fieldErrors.password).toEqual(["That password is not correct."]);
    expect(await prisma.user.count({ where: { id: alice.id } })).toBe(1);
    const bad = await json(await call(account.DELETE, "DELETE", "/api/account", { cookie: alice.cookie, body: { password: PASSWORD, notes: "maybe" } }));
    expect(bad.status).toBe(422);

    const deleted = await call(account.DELETE, "DELETE", "/api/account", { cookie: alice.cookie, locale: "ja", body: { password: PASSWORD, notes: "keep" } });
    expect(deleted.status).toBe(200);
    expect(deleted.headers.getSetCookie().join("\n")).toMatch(/taiyaku\.session_token=; Path=\/; Max-Age=0/);

    // Sessions revoked: the old cookie is nobody's.
    const after = await json(await call(me.GET, "GET", "/api/me", { cookie: alice.cookie }));
    expect(after.body.user).toBeNull();
    expect(await prisma.session.count({ where: { userId: alice.id } })).toBe(0);
    expect(await prisma.apiToken.count({ where: { userId: alice.id } })).toBe(0);

    // One placeholder signs what stayed.
    const placeholder = await prisma.user.findFirstOrThrow({ where: { deletedAt: { not: null }, notes: { some: { id: pub.id } } } });
    expect(placeholder.id).toMatch(/^deleted_[0-9a-f]{24}$/);
    expect(placeholder.name).toBe("Deleted user");
    expect(placeholder.email).toMatch(/@deleted\.invalid$/);
    expect(await prisma.account.count({ where: { userId: placeholder.id } })).toBe(0);

    // Private notes are gone; public and group notes kept, signed by the placeholder, texts intact.
    expect(await prisma.note.count({ where: { id: { in: [priv.id, privReply.id, aliceDeleted.id] } } })).toBe(0);
    const kept = await prisma.note.findMany({ where: { id: { in: [pub.id, aliceReply.id, grp.id] } }, select: { id: true, authorId: true, body: true, deletedAt: true } });
    expect(kept).toHaveLength(3);
    for (const row of kept) expect(row).toMatchObject({ authorId: placeholder.id, deletedAt: null });
    expect(kept.find((n) => n.id === pub.id)!.body).toBe("alice public, kept");
    expect(await prisma.noteRevision.count({ where: { noteId: pub.id } })).toBe(1);
    // Threads keep their replies.
    expect(await prisma.note.findUniqueOrThrow({ where: { id: bobReply.id }, select: { parentId: true, body: true } })).toEqual({ parentId: pub.id, body: "bob answers alice" });
    expect(await prisma.note.findUniqueOrThrow({ where: { id: bobAfter.id }, select: { parentId: true } })).toEqual({ parentId: aliceReply.id });
    // The notes API still reads the article's public notes without a hitch: the kept thread is
    // signed by the placeholder and still counts its reply.
    const listed = await json(await call(notesRoute.GET, "GET", `/api/notes?article=${SLUG}`));
    expect(listed.status).toBe(200);
    expect(listed.body.notes.find((n: Body) => n.id === pub.id)).toMatchObject({ body: "alice public, kept", replyCount: 1, author: { id: placeholder.id, name: "Deleted user" } });

    // The group: Carol (moderator) owns it now; it is no longer created by Alice.
    expect(await prisma.groupMember.findUniqueOrThrow({ where: { groupId_userId: { groupId: group.id, userId: carol.id } }, select: { role: true } })).toEqual({ role: "owner" });
    expect((await prisma.group.findUniqueOrThrow({ where: { id: group.id } })).createdById).toBe(placeholder.id);
    expect((await prisma.group.findUniqueOrThrow({ where: { id: group.id } })).deletedAt).toBeNull();

    // The moderation log keeps every action; the person is the placeholder and the texts are redacted.
    const log = await prisma.moderationLog.findMany({ where: { id: { in: [logHide.id, logSuspend.id, logActor.id] } } });
    expect(log.map((r) => r.action).sort()).toEqual(["dismiss_flags", "hide", "suspend"]);
    expect(log.find((r) => r.id === logHide.id)).toMatchObject({ actorId: mod.id, targetUserId: placeholder.id, noteId: pub.id, newStatus: "hidden", publicReason: "Off topic", internalNote: "warned [redacted] by mail at [redacted]" });
    expect(log.find((r) => r.id === logSuspend.id)).toMatchObject({ targetUserId: placeholder.id, publicReason: "[redacted] was rude" });
    expect(log.find((r) => r.id === logActor.id)).toMatchObject({ actorId: placeholder.id, targetUserId: bob.id });
    // …and it is still append-only outside an account erasure.
    await expect(prisma.$executeRawUnsafe(`UPDATE moderation_log SET public_reason = 'x'`)).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRawUnsafe(`DELETE FROM moderation_log`)).rejects.toThrow(/append-only/);

    // Nothing anywhere holds her address, her name or her id.
    expect(await findEverywhere([alice.email, alice.name, alice.id])).toEqual({});

    // Signing in again fails: the password went with the account. (Checked last: a sign-in attempt
    // with any address, by anyone, writes a rate-limit bucket keyed by that address.)
    const again = await call(signIn.POST, "POST", "/api/auth/sign-in", { body: { email: alice.email, password: PASSWORD }, headers: { "x-forwarded-for": "10.9.8.8" } });
    expect(again.status).toBe(401);
  });

  it("erase: notes others replied to stay as purged placeholders, the rest go; nothing personal remains", async () => {
    const dave = await signUpTestUser("Dave Vanishing", { unique: true });
    const bob = await signUpTestUser("erase-bob");
    const mod = await signUpTestUser("erase-mod");
    const lone = await note(dave, { visibility: "public", body: "dave lone note" });
    const replied = await note(dave, { visibility: "public", body: "dave with replies" });
    await prisma.noteRevision.create({ data: { noteId: replied.id, version: 1, body: "dave older text", createdAt: new Date() } });
    const bobReply = await note(bob, { visibility: "public", parent: replied, body: "bob under dave" });
    const question = await note(bob, { visibility: "public", tag: "question", body: "bob asks" });
    const answer = await note(dave, { visibility: "public", parent: question, body: "dave answers" });
    await prisma.note.update({ where: { id: question.id }, data: { answeredById: answer.id, answeredAt: new Date() } });
    const logged = await note(dave, { visibility: "public", body: "dave moderated note" });
    await prisma.moderationLog.create({ data: { actorId: mod.id, action: "hide", noteId: logged.id, targetUserId: dave.id, internalNote: `by ${dave.name}` } });
    // A group only Dave is in: nobody is left to own it, so it is soft-deleted.
    const solo = await prisma.group.create({ data: { name: "Dave alone", createdById: dave.id, members: { create: [{ userId: dave.id, role: "owner" }] } } });
    const soloNote = await note(dave, { visibility: "group", groupId: solo.id, body: "dave solo group note" });

    const response = await json(await call(account.DELETE, "DELETE", "/api/account", { cookie: dave.cookie, body: { password: PASSWORD, notes: "erase" } }));
    expect(response.status).toBe(200);
    expect(response.body.deleted).toEqual({ erasedNotes: 5, keptNotes: 0 });

    expect(await prisma.note.count({ where: { id: { in: [lone.id, answer.id, soloNote.id] } } })).toBe(0);
    // The question is simply unanswered again.
    expect(await prisma.note.findUniqueOrThrow({ where: { id: question.id }, select: { answeredById: true, answeredAt: true } })).toEqual({ answeredById: null, answeredAt: null });
    // Replied-to and logged notes stay as empty, deleted, purged placeholders of the placeholder user.
    for (const id of [replied.id, logged.id]) {
      const shell = await prisma.note.findUniqueOrThrow({ where: { id }, select: { body: true, purgedAt: true, deletedAt: true, author: { select: { deletedAt: true, name: true } } } });
      expect(shell.body).toBe("");
      expect(shell.purgedAt).not.toBeNull();
      expect(shell.deletedAt).not.toBeNull();
      expect(shell.author).toMatchObject({ name: "Deleted user" });
      expect(shell.author.deletedAt).not.toBeNull();
    }
    expect(await prisma.noteRevision.count({ where: { noteId: replied.id } })).toBe(0);
    expect(await prisma.note.findUniqueOrThrow({ where: { id: bobReply.id }, select: { parentId: true, body: true } })).toEqual({ parentId: replied.id, body: "bob under dave" });
    expect((await prisma.group.findUniqueOrThrow({ where: { id: solo.id } })).deletedAt).not.toBeNull();
    expect(await findEverywhere([dave.email, dave.name, dave.id, "dave lone note", "dave older text", "dave answers"])).toEqual({});
  });

  it("the moderation log's erasure exception is narrow: only the erased user's id and the reason texts may change", async () => {
    const target = await signUpTestUser("log-target");
    const other = await signUpTestUser("log-other");
    const row = await prisma.moderationLog.create({ data: { actorId: other.id, action: "hide", targetUserId: target.id, publicReason: "why" } });
    const inErasure = (statement: string) =>
      prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT set_config('taiyaku.erasing_user', ${target.id}, true)`;
        await tx.$executeRawUnsafe(statement);
      });
    await expect(inErasure(`UPDATE moderation_log SET action = 'restore' WHERE id = '${row.id}'`)).rejects.toThrow(/append-only/);
    await expect(inErasure(`UPDATE moderation_log SET actor_id = '${target.id}' WHERE id = '${row.id}'`)).rejects.toThrow(/append-only/);
    await expect(inErasure(`UPDATE moderation_log SET created_at = now() - interval '1 day' WHERE id = '${row.id}'`)).rejects.toThrow(/append-only/);
    await expect(inErasure(`DELETE FROM moderation_log WHERE id = '${row.id}'`)).rejects.toThrow(/append-only/);
    await inErasure(`UPDATE moderation_log SET target_user_id = '${other.id}', public_reason = '[redacted]' WHERE id = '${row.id}'`);
    expect(await prisma.moderationLog.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ action: "hide", actorId: other.id, targetUserId: other.id, publicReason: "[redacted]" });
    // The setting is local to its transaction: afterwards the log is closed again.
    await expect(prisma.$executeRawUnsafe(`UPDATE moderation_log SET public_reason = 'x' WHERE id = '${row.id}'`)).rejects.toThrow(/append-only/);
  });

  it("refuses the site's last admin, and a second admin may then leave", async () => {
    const admin = await signUpTestUser("deletion-admin");
    await prisma.user.updateMany({ where: { role: "admin" }, data: { role: "member" } });
    await makeRole(admin, "admin");
    const refused = await json(await call(account.DELETE, "DELETE", "/api/account", { cookie: admin.cookie, body: { password: PASSWORD, notes: "keep" } }));
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain("only administrator");
    const other = await signUpTestUser("deletion-admin-2");
    await makeRole(other, "admin");
    expect((await call(account.DELETE, "DELETE", "/api/account", { cookie: admin.cookie, body: { password: PASSWORD, notes: "keep" } })).status).toBe(200);
  });

  it("needs a session, limits password guesses and answers in the caller's language", async () => {
    expect((await call(account.DELETE, "DELETE", "/api/account", { body: { password: PASSWORD, notes: "keep" } })).status).toBe(401);
    const user = await signUpTestUser("deletion-guesser");
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await call(account.DELETE, "DELETE", "/api/account", { cookie: user.cookie, locale: "ja", body: { password: `guess ${i} xxxxx`, notes: "keep" } })).status);
    }
    expect(statuses).toEqual([422, 422, 422, 422, 422, 429]);
    const limited = await json(await call(account.DELETE, "DELETE", "/api/account", { cookie: user.cookie, locale: "ja", body: { password: PASSWORD, notes: "keep" } }));
    expect(limited.status).toBe(429);
    expect(limited.body.message).toContain("試行回数が多すぎます");
    expect(await prisma.user.count({ where: { id: user.id } })).toBe(1);
  });
});
