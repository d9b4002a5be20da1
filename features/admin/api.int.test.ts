import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import en from "@/messages/en.json";
import ja from "@/messages/ja.json";
import { createAppTestDatabase } from "@/lib/testing/test-database";
import { signUpTestUser, type TestUser } from "@/lib/testing/test-users";

// The admin console's endpoints (app/api/admin/**) as Request → Response functions, against a
// throwaway database seeded with the real article. The tests share one database and run in
// order: the first ones rely on `admin` being the site's only admin.

vi.mock("next/cache", () => ({ unstable_cache: <T>(fn: T) => fn, revalidateTag: vi.fn() }));

const SLUG = "japan-patriot-missile-export";

type AdminApi = typeof import("./api");
type Prisma = ReturnType<typeof import("@/lib/db/prisma").getPrisma>;
type Json = Record<string, unknown> & { ok: boolean; code?: string; message?: string };
type Role = "member" | "moderator" | "editor" | "admin";

let db: Awaited<ReturnType<typeof createAppTestDatabase>>;
let api: AdminApi;
let prisma: Prisma;
let admin: TestUser;

beforeAll(async () => {
  db = await createAppTestDatabase("admin");
  api = await import("./api");
  prisma = (await import("@/lib/db/prisma")).getPrisma();
  admin = await signUp("admin", "admin");
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

async function signUp(label: string, role?: Role): Promise<TestUser> {
  const user = await signUpTestUser(label, { unique: true });
  if (role) await prisma.user.update({ where: { id: user.id }, data: { role } });
  return user;
}

function request(method: string, path: string, options: { user?: TestUser | null; body?: unknown; locale?: "en" | "ja" } = {}): Request {
  const headers: Record<string, string> = { "x-ui-locale": options.locale ?? "en" };
  if (options.user) headers.cookie = options.user.cookie;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  return new Request(`http://localhost${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
}

async function read<T = Json>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/** Admin writes spend the admin bucket; the tests make more writes than a person would. */
async function refill(user: TestUser) {
  await prisma.$executeRaw`DELETE FROM rate_limit_bucket WHERE key = ${`admin:user:${user.id}`}`;
}

async function setRole(actor: TestUser, target: { id: string }, role: Role, locale: "en" | "ja" = "en") {
  await refill(actor);
  return api.patchUser(request("PATCH", `/api/admin/users/${target.id}`, { user: actor, body: { role }, locale }), target.id);
}

async function suspend(actor: TestUser, target: { id: string }) {
  await refill(actor);
  return api.postUserSuspension(request("POST", `/api/admin/users/${target.id}/suspension`, { user: actor, body: { reason: "Testing" } }), target.id);
}

async function lift(actor: TestUser, target: { id: string }) {
  await refill(actor);
  return api.deleteUserSuspension(request("DELETE", `/api/admin/users/${target.id}/suspension`, { user: actor, body: {} }), target.id);
}

async function logRows(action: string, where: { targetUserId?: string; groupId?: string }) {
  return prisma.moderationLog.findMany({ where: { action: action as never, ...where }, orderBy: { createdAt: "asc" } });
}

describe("who may use the admin API", () => {
  it("answers 404 to every signed-in non-admin (editors included) and 401 to signed-out callers", async () => {
    const member = await signUp("member");
    const moderator = await signUp("moderator", "moderator");
    const editor = await signUp("editor", "editor");
    const group = await prisma.group.create({ data: { name: "probe", createdById: member.id, deletedAt: new Date() } });
    for (const user of [member, moderator, editor]) {
      const calls: Response[] = [
        await api.getUsers(request("GET", "/api/admin/users", { user })),
        await api.getGroups(request("GET", "/api/admin/groups", { user })),
        await api.patchUser(request("PATCH", `/api/admin/users/${user.id}`, { user, body: { role: "admin" } }), user.id),
        await api.postEmailVerification(request("POST", `/api/admin/users/${user.id}/email-verification`, { user, body: {} }), user.id),
        await api.postUserSuspension(request("POST", `/api/admin/users/${member.id}/suspension`, { user, body: { reason: "x" } }), member.id),
        await api.deleteUserSuspension(request("DELETE", `/api/admin/users/${member.id}/suspension`, { user, body: {} }), member.id),
        await api.postGroupRestore(request("POST", `/api/admin/groups/${group.id}/restore`, { user, body: {} }), group.id),
      ];
      expect(calls.map((r) => r.status)).toEqual([404, 404, 404, 404, 404, 404, 404]);
      expect((await read(calls[0]!)).code).toBe("not_found");
    }
    // Nothing changed: nobody promoted themselves, the group stays deleted.
    expect((await prisma.user.findUniqueOrThrow({ where: { id: editor.id } })).role).toBe("editor");
    expect((await prisma.group.findUniqueOrThrow({ where: { id: group.id } })).deletedAt).not.toBeNull();
    expect((await api.getUsers(request("GET", "/api/admin/users"))).status).toBe(401);
  });
});

describe("the last admin", () => {
  it("is never demoted, by themselves, by the console, or after the others are suspended", async () => {
    expect(await prisma.user.count({ where: { role: "admin" } })).toBe(1);
    const refused = await setRole(admin, admin, "member", "ja");
    expect(refused.status).toBe(409);
    expect(await read(refused)).toMatchObject({ code: "last_admin", message: ja.Admin.errors.lastAdmin });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: admin.id } })).role).toBe("admin");

    const second = await signUp("second");
    expect((await setRole(admin, second, "admin")).status).toBe(200);
    // A suspended admin does not count: demoting oneself would leave nobody to run the site.
    expect((await suspend(admin, second)).status).toBe(200);
    expect(await read(await setRole(admin, admin, "editor"))).toMatchObject({ code: "last_admin", message: en.Admin.errors.lastAdmin });
    expect((await lift(admin, second)).status).toBe(200);

    // With another active admin, stepping down is fine; then `second` is the last one.
    expect(await read(await setRole(admin, admin, "editor"))).toMatchObject({ ok: true, user: { role: "editor", previousRole: "admin" } });
    expect((await setRole(second, second, "member")).status).toBe(409);
    const { changeUserRole } = await import("./mutations");
    expect(await changeUserRole({ actor: null, target: { email: second.email }, role: "moderator" })).toEqual({ ok: false, code: "last_admin" });
    // The former admin lost the console at once (no role is cached).
    expect((await api.getUsers(request("GET", "/api/admin/users", { user: admin }))).status).toBe(404);
    // The console gives the role back (and logs it without an actor).
    expect(await changeUserRole({ actor: null, target: { email: admin.email.toUpperCase() }, role: "admin" })).toMatchObject({ ok: true, role: "admin", previousRole: "editor" });
    const roleRows = await logRows("role_change", { targetUserId: admin.id });
    expect(roleRows.map((r) => [r.actorId, r.oldStatus, r.newStatus])).toEqual([
      [admin.id, "admin", "editor"],
      [null, "editor", "admin"],
    ]);
    expect(roleRows[1]!.internalNote).toBe("npm run user:role");
    // Back to one admin for the rest of the file.
    expect((await setRole(admin, second, "member")).status).toBe(200);
  });

  it("refuses self-suspension, and two admins suspending each other at once: one of them stays", async () => {
    const selfSuspend = await suspend(admin, admin);
    expect(selfSuspend.status).toBe(409);
    expect(await read(selfSuspend)).toMatchObject({ code: "conflict", message: en.Admin.errors.selfSuspend });

    const other = await signUp("other", "admin");
    const [a, b] = await Promise.all([suspend(admin, other), suspend(other, admin)]);
    expect([a.status, b.status].sort()).toEqual([200, 404]);
    const active = await prisma.user.count({ where: { role: "admin", suspensions: { none: { liftedAt: null } } } });
    expect(active).toBe(1);
    // Undo whichever won, as the admin who is still active.
    const winner = a.status === 200 ? admin : other;
    const loser = winner === admin ? other : admin;
    expect((await lift(winner, loser)).status).toBe(200);
    expect((await setRole(admin, other, "member")).status).toBe(200);
  });
});

describe("users", () => {
  it("promotes a member to moderator: logged with the admin as actor, and the queue opens for them", async () => {
    const member = await signUp("promoted");
    const response = await setRole(admin, member, "moderator");
    expect(await read(response)).toMatchObject({ ok: true, user: { id: member.id, role: "moderator", previousRole: "member" } });
    const rows = await logRows("role_change", { targetUserId: member.id });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actorId: admin.id, oldStatus: "member", newStatus: "moderator", groupId: null });
    const moderation = await import("@/features/moderation/api");
    expect((await moderation.getQueue(request("GET", "/api/moderation/queue", { user: member }))).status).toBe(200);
    // The same role again changes and logs nothing.
    expect((await setRole(admin, member, "moderator")).status).toBe(200);
    expect(await logRows("role_change", { targetUserId: member.id })).toHaveLength(1);
    // Unknown ids are 404; unknown roles and extra fields are refused by the schema.
    expect((await setRole(admin, { id: "no-such-user" }, "moderator")).status).toBe(404);
    await refill(admin);
    const bad = await api.patchUser(request("PATCH", `/api/admin/users/${member.id}`, { user: admin, body: { role: "owner" } }), member.id);
    expect(await read(bad)).toMatchObject({ code: "validation", message: en.Admin.errors.roleInvalid });
    const extra = await api.patchUser(request("PATCH", `/api/admin/users/${member.id}`, { user: admin, body: { role: "member", email: "x@example.com" } }), member.id);
    expect(extra.status).toBe(422);
  });

  it("searches by name or email, filters by role and status, and counts notes and last activity", async () => {
    const writer = await signUp("Searchable Writer");
    const paragraph = await prisma.paragraph.findFirstOrThrow({ where: { article: { slug: SLUG }, position: 1 }, select: { id: true, articleId: true } });
    for (let i = 0; i < 2; i++) {
      await prisma.note.create({
        data: { articleId: paragraph.articleId, paragraphId: paragraph.id, authorId: writer.id, locale: "en", kind: "comment", visibility: "private", body: `note ${i}` },
      });
    }
    const list = async (query: string) =>
      read<{ users: { id: string; notesCount: number; lastActiveAt: string | null; role: string; suspension: unknown }[]; total: number }>(
        await api.getUsers(request("GET", `/api/admin/users${query}`, { user: admin })),
      );
    const byName = await list(`?q=${encodeURIComponent(writer.name.toUpperCase())}`);
    expect(byName.users.map((u) => u.id)).toEqual([writer.id]);
    expect(byName.users[0]).toMatchObject({ notesCount: 2, role: "member", suspension: null });
    expect(Date.parse(byName.users[0]!.lastActiveAt!)).toBeGreaterThan(Date.now() - 60_000);
    expect((await list(`?q=${encodeURIComponent(writer.email)}`)).users.map((u) => u.id)).toEqual([writer.id]);
    // LIKE wildcards are literal.
    expect((await list("?q=%25")).total).toBe(0);
    expect((await list("?role=admin")).users.map((u) => u.id)).toEqual([admin.id]);
    expect((await suspend(admin, writer)).status).toBe(200);
    expect((await list("?status=suspended")).users.map((u) => u.id)).toContain(writer.id);
    expect((await list("?status=active")).users.map((u) => u.id)).not.toContain(writer.id);
    const suspended = await list(`?q=${encodeURIComponent(writer.email)}`);
    expect(suspended.users[0]!.suspension).toMatchObject({ reason: "Testing", endsAt: null });
    expect(await logRows("suspend", { targetUserId: writer.id })).toHaveLength(1);
    expect((await lift(admin, writer)).status).toBe(200);
    expect(await logRows("unsuspend", { targetUserId: writer.id })).toHaveLength(1);
    // Lifting again: nothing in force.
    expect((await lift(admin, writer)).status).toBe(409);
  });

  it("verifies an email address by hand once, logged once", async () => {
    const user = await signUp("unverified");
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerified).toBe(false);
    const listed = await read<{ users: { id: string }[] }>(await api.getUsers(request("GET", `/api/admin/users?status=unverified&q=${encodeURIComponent(user.email)}`, { user: admin })));
    expect(listed.users.map((u) => u.id)).toEqual([user.id]);
    const verify = () => api.postEmailVerification(request("POST", `/api/admin/users/${user.id}/email-verification`, { user: admin, body: { reason: "Checked in person" } }), user.id);
    expect(await read(await verify())).toMatchObject({ ok: true, emailVerified: true, changed: true });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerified).toBe(true);
    expect(await read(await verify())).toMatchObject({ ok: true, changed: false });
    const rows = await logRows("verify_email", { targetUserId: user.id });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actorId: admin.id, oldStatus: "unverified", newStatus: "verified", internalNote: "Checked in person" });
  });
});

describe("groups", () => {
  it("lists deleted groups and restores one with its members and notes", async () => {
    const groupsApi = await import("@/features/groups/api");
    const notesApi = await import("@/features/notes/api");
    const owner = await signUp("owner");
    const reader = await signUp("reader");
    const group = await prisma.group.create({ data: { name: `Restorable ${randomUUID().slice(0, 6)}`, createdById: owner.id } });
    await prisma.groupMember.createMany({
      data: [
        { groupId: group.id, userId: owner.id, role: "owner" },
        { groupId: group.id, userId: reader.id, role: "member" },
      ],
    });
    const paragraph = await prisma.paragraph.findFirstOrThrow({ where: { article: { slug: SLUG }, position: 2 }, select: { id: true, articleId: true } });
    const note = await prisma.note.create({
      data: { articleId: paragraph.articleId, paragraphId: paragraph.id, authorId: owner.id, locale: "en", kind: "comment", visibility: "group", groupId: group.id, body: "kept with the group" },
    });
    const seeNote = async () => (await notesApi.getNote(request("GET", `/api/notes/${note.id}`, { user: reader }), note.id)).status;
    const seeGroup = async () => (await groupsApi.getGroup(request("GET", `/api/groups/${group.id}`, { user: reader }), group.id)).status;
    expect([await seeGroup(), await seeNote()]).toEqual([200, 200]);

    const removed = await groupsApi.removeGroup(request("DELETE", `/api/groups/${group.id}`, { user: owner }), group.id);
    expect(removed.status).toBe(200);
    expect([await seeGroup(), await seeNote()]).toEqual([404, 404]);

    const deleted = await read<{ groups: { id: string; deletedAt: string | null; notesCount: number; membersCount: number; owners: string[] }[] }>(
      await api.getGroups(request("GET", "/api/admin/groups?status=deleted", { user: admin })),
    );
    expect(deleted.groups.find((g) => g.id === group.id)).toMatchObject({ notesCount: 1, membersCount: 2, owners: [owner.name] });
    expect(deleted.groups.every((g) => g.deletedAt !== null)).toBe(true);
    const live = await read<{ groups: { id: string }[] }>(await api.getGroups(request("GET", "/api/admin/groups?status=live", { user: admin })));
    expect(live.groups.map((g) => g.id)).not.toContain(group.id);

    await refill(admin);
    const restored = await api.postGroupRestore(request("POST", `/api/admin/groups/${group.id}/restore`, { user: admin, body: { reason: "Deleted by mistake" } }), group.id);
    expect(await read(restored)).toMatchObject({ ok: true, restored: true });
    expect([await seeGroup(), await seeNote()]).toEqual([200, 200]);
    const rows = await logRows("group_restore", { groupId: group.id });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actorId: admin.id, oldStatus: "deleted", newStatus: "active", internalNote: "Deleted by mistake" });

    // A live group has nothing to restore; an unknown one does not exist.
    await refill(admin);
    const again = await api.postGroupRestore(request("POST", `/api/admin/groups/${group.id}/restore`, { user: admin, body: {} }), group.id);
    expect(await read(again)).toMatchObject({ code: "conflict", message: en.Admin.errors.invalidState });
    const unknown = randomUUID();
    expect((await api.postGroupRestore(request("POST", `/api/admin/groups/${unknown}/restore`, { user: admin, body: {} }), unknown)).status).toBe(404);
  });
});
