import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import ja from "@/messages/ja.json";
import { createAppTestDatabase } from "@/lib/testing/test-database";
import { signUpTestUser } from "@/lib/testing/test-users";

// Integration tests for the groups API: the Request → Response functions the route files in
// app/api/groups/** and app/api/invites/** call, against a throwaway PostgreSQL database.

vi.mock("next/cache", () => ({ unstable_cache: <T>(fn: T) => fn, revalidateTag: vi.fn() }));

const SLUG = "japan-patriot-missile-export";

type Api = typeof import("./api");
type NotesApi = typeof import("@/features/notes/api");
type Prisma = ReturnType<typeof import("@/lib/db/prisma").getPrisma>;
type User = { id: string; cookie: string };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;

let db: Awaited<ReturnType<typeof createAppTestDatabase>>;
let api: Api;
let notesApi: NotesApi;
let prisma: Prisma;
let getVisibleNote: typeof import("@/features/notes/data").getVisibleNote;
const paragraphIds: string[] = [];

beforeAll(async () => {
  db = await createAppTestDatabase("groups");
  api = await import("./api");
  notesApi = await import("@/features/notes/api");
  prisma = (await import("@/lib/db/prisma")).getPrisma();
  getVisibleNote = (await import("@/features/notes/data")).getVisibleNote;
  const article = await prisma.article.findUniqueOrThrow({
    where: { slug: SLUG },
    select: { paragraphs: { where: { position: { gt: 0 } }, orderBy: { position: "asc" }, select: { id: true } } },
  });
  paragraphIds.push(...article.paragraphs.map((p) => p.id));
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

// ---- helpers -----------------------------------------------------------------------------------

function signUp(label: string): Promise<User> {
  return signUpTestUser(label);
}

function request(method: string, path: string, options: { user?: User | null; body?: unknown; locale?: "en" | "ja" } = {}): Request {
  const headers: Record<string, string> = { "x-ui-locale": options.locale ?? "en" };
  if (options.user) headers.cookie = options.user.cookie;
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  if (body !== undefined) headers["content-type"] = "application/json";
  return new Request(`http://localhost${path}`, { method, headers, body });
}

async function call(response: Promise<Response>): Promise<{ status: number; body: Body }> {
  const r = await response;
  expect(r.headers.get("content-type")).toMatch(/^application\/json/);
  return { status: r.status, body: (await r.json()) as Body };
}

async function createGroup(owner: User, name = "Readers"): Promise<{ id: string; version: number }> {
  const { status, body } = await call(api.postGroup(request("POST", "/api/groups", { user: owner, body: { name, description: "We read", languageFocus: "ja" } })));
  expect(status, JSON.stringify(body)).toBe(201);
  return body.group;
}

async function invite(actor: User, groupId: string, body: Record<string, unknown> = { expiresIn: "7d" }) {
  return call(api.postInvite(request("POST", `/api/groups/${groupId}/invites`, { user: actor, body }), groupId));
}

async function join(user: User, token: string, locale: "en" | "ja" = "en") {
  return call(api.postJoin(request("POST", `/api/invites/${token}/join`, { user, locale }), token));
}

/** A group with an owner and a member who joined by invite. */
async function groupWithMember(): Promise<{ owner: User; member: User; groupId: string }> {
  const owner = await signUp("owner");
  const member = await signUp("member");
  const group = await createGroup(owner);
  const created = await invite(owner, group.id);
  expect((await join(member, created.body.token)).status).toBe(201);
  return { owner, member, groupId: group.id };
}

async function version(groupId: string): Promise<number> {
  return (await prisma.group.findUniqueOrThrow({ where: { id: groupId }, select: { version: true } })).version;
}

async function role(groupId: string, userId: string) {
  return (await prisma.groupMember.findUnique({ where: { groupId_userId: { groupId, userId } }, select: { role: true } }))?.role ?? null;
}

async function groupNote(user: User, groupId: string, body = "A group note", paragraph = 0) {
  return call(
    notesApi.postNote(
      request("POST", "/api/notes", {
        user,
        body: { paragraphId: paragraphIds[paragraph], locale: "en", kind: "comment", visibility: "group", groupId, body, idempotencyKey: randomUUID() },
      }),
    ),
  );
}

// ---- groups ------------------------------------------------------------------------------------

describe("groups", () => {
  it("creates a group with the creator as owner and lists it under /mine", async () => {
    const owner = await signUp("creator");
    const group = await createGroup(owner, "Kanji club");
    expect(group).toMatchObject({ name: "Kanji club", description: "We read", languageFocus: "ja", myRole: "owner", version: 1 });
    const mine = await call(api.getMyGroups(request("GET", "/api/groups/mine", { user: owner })));
    expect(mine.body).toEqual({ ok: true, groups: [{ id: group.id, name: "Kanji club", role: "owner", languageFocus: "ja" }] });
  });

  it("requires a session", async () => {
    const { status, body } = await call(api.postGroup(request("POST", "/api/groups", { body: { name: "x" } })));
    expect(status).toBe(401);
    expect(body.code).toBe("unauthenticated");
  });

  it("refuses an over-long name with a localized 422 and extra fields with unexpected_field", async () => {
    const owner = await signUp("long");
    const long = await call(api.postGroup(request("POST", "/api/groups", { user: owner, locale: "ja", body: { name: "あ".repeat(81) } })));
    expect(long.status).toBe(422);
    expect(long.body.message).toBe(ja.Groups.errors.nameTooLong);
    expect(long.body.fieldErrors.name).toEqual([ja.Groups.errors.nameTooLong]);
    const extra = await call(api.postGroup(request("POST", "/api/groups", { user: owner, body: { name: "ok", createdById: "someone" } })));
    expect(extra.status).toBe(422);
    expect(extra.body.code).toBe("unexpected_field");
    // No JSON content type: 415 (a form could post it); JSON that does not parse: 400.
    const untyped = await call(api.postGroup(new Request("http://localhost/api/groups", { method: "POST", headers: { cookie: owner.cookie }, body: "{" })));
    expect(untyped.status).toBe(415);
    const garbage = await call(
      api.postGroup(new Request("http://localhost/api/groups", { method: "POST", headers: { cookie: owner.cookie, "content-type": "application/json" }, body: "{" })),
    );
    expect(garbage.status).toBe(400);
    expect(garbage.body.code).toBe("invalid_json");
    expect(await prisma.group.count({ where: { createdById: owner.id } })).toBe(0);
  });

  it("renames from the current version; a stale version is 409 with the current group", async () => {
    const owner = await signUp("renamer");
    const group = await createGroup(owner);
    const patch = (v: number, name: string) =>
      call(api.patchGroup(request("PATCH", `/api/groups/${group.id}`, { user: owner, body: { name, description: "", languageFocus: null, version: v } }), group.id));
    const first = await patch(1, "Renamed");
    expect(first.status).toBe(200);
    expect(first.body.group).toMatchObject({ name: "Renamed", version: 2, languageFocus: null });
    const stale = await patch(1, "Lost update");
    expect(stale.status).toBe(409);
    expect(stale.body.current).toMatchObject({ name: "Renamed", version: 2 });
  });

  it("answers 404 to a non-member, for reads and writes, and changes nothing", async () => {
    const { groupId } = await groupWithMember();
    const stranger = await signUp("stranger");
    expect((await call(api.getGroup(request("GET", `/api/groups/${groupId}`, { user: stranger }), groupId))).status).toBe(404);
    expect((await call(api.getActivity(request("GET", `/api/groups/${groupId}/activity`, { user: stranger }), groupId))).status).toBe(404);
    expect((await call(api.getMembers(request("GET", `/api/groups/${groupId}/members?q=`, { user: stranger }), groupId))).status).toBe(404);
    const patch = await call(
      api.patchGroup(request("PATCH", `/api/groups/${groupId}`, { user: stranger, body: { name: "Mine now", description: "", languageFocus: null, version: 1 } }), groupId),
    );
    expect(patch.status).toBe(404);
    expect((await call(api.getGroup(request("GET", "/api/groups/not-a-uuid", { user: stranger }), "not-a-uuid"))).status).toBe(404);
    expect((await prisma.group.findUniqueOrThrow({ where: { id: groupId } })).name).toBe("Readers");
  });

  it("a member acting as owner gets 404 and nothing changes", async () => {
    const { owner, member, groupId } = await groupWithMember();
    const before = await version(groupId);
    const rename = await call(
      api.patchGroup(request("PATCH", `/api/groups/${groupId}`, { user: member, body: { name: "Taken", description: "", languageFocus: null, version: before } }), groupId),
    );
    expect(rename.status).toBe(404);
    const promote = await call(
      api.patchMember(request("PATCH", `/api/groups/${groupId}/members/${member.id}`, { user: member, body: { role: "owner", version: before } }), groupId, member.id),
    );
    expect(promote.status).toBe(404);
    expect((await call(api.deleteMember(request("DELETE", "/", { user: member }), groupId, owner.id))).status).toBe(404);
    expect((await call(api.removeGroup(request("DELETE", "/", { user: member }), groupId))).status).toBe(404);
    expect((await invite(member, groupId)).status).toBe(404);
    const row = await prisma.group.findUniqueOrThrow({ where: { id: groupId } });
    expect(row).toMatchObject({ name: "Readers", deletedAt: null, version: before });
    expect(await role(groupId, member.id)).toBe("member");
    expect(await role(groupId, owner.id)).toBe("owner");
  });

  it("a group id of another group is 404: an owner of one group cannot act on another", async () => {
    const { groupId } = await groupWithMember();
    const other = await signUp("other-owner");
    await createGroup(other, "Elsewhere");
    const res = await call(api.removeGroup(request("DELETE", "/", { user: other }), groupId));
    expect(res.status).toBe(404);
    expect((await prisma.group.findUniqueOrThrow({ where: { id: groupId } })).deletedAt).toBeNull();
  });

  it("promotes and demotes; moderators remove plain members but not owners or moderators", async () => {
    const { owner, member, groupId } = await groupWithMember();
    const third = await signUp("third");
    const link = await invite(owner, groupId);
    await join(third, link.body.token);

    const promote = await call(
      api.patchMember(request("PATCH", "/", { user: owner, body: { role: "moderator", version: await version(groupId) } }), groupId, member.id),
    );
    expect(promote.status).toBe(200);
    expect(await role(groupId, member.id)).toBe("moderator");

    // A moderator removing the owner is refused (404, nothing changed).
    expect((await call(api.deleteMember(request("DELETE", "/", { user: member }), groupId, owner.id))).status).toBe(404);
    expect(await role(groupId, owner.id)).toBe("owner");
    // Moderators create invites and list them.
    expect((await invite(member, groupId)).status).toBe(201);
    const listed = await call(api.getInvites(request("GET", "/", { user: member }), groupId));
    expect(listed.body.invites.length).toBe(3);
    expect(JSON.stringify(listed.body)).not.toContain(link.body.token);
    // …and remove a plain member.
    expect((await call(api.deleteMember(request("DELETE", "/", { user: member }), groupId, third.id))).status).toBe(200);
    expect(await role(groupId, third.id)).toBeNull();

    // Stale version on a role change: 409.
    const stale = await call(api.patchMember(request("PATCH", "/", { user: owner, body: { role: "member", version: 1 } }), groupId, member.id));
    expect(stale.status).toBe(409);
    const demote = await call(api.patchMember(request("PATCH", "/", { user: owner, body: { role: "member", version: await version(groupId) } }), groupId, member.id));
    expect(demote.status).toBe(200);
    expect(await role(groupId, member.id)).toBe("member");
    // The invite the moderator handed out stopped working with the demotion.
    expect(await prisma.groupInvite.count({ where: { groupId, createdById: member.id, revokedAt: null } })).toBe(0);
    expect(await prisma.groupInvite.count({ where: { groupId, createdById: owner.id, revokedAt: null } })).toBe(2);
    // The only owner cannot demote themselves.
    const self = await call(api.patchMember(request("PATCH", "/", { user: owner, body: { role: "member", version: await version(groupId) } }), groupId, owner.id));
    expect(self.status).toBe(409);
    expect(self.body.code).toBe("last_owner");
    expect(await role(groupId, owner.id)).toBe("owner");
  });

  it("rate-limits writes per user (429 with retryAfterSeconds)", async () => {
    const owner = await signUp("flood");
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) {
      statuses.push((await api.postGroup(request("POST", "/api/groups", { user: owner, body: { name: `G${i}` } }))).status);
    }
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(20);
    const limited = await call(api.postGroup(request("POST", "/api/groups", { user: owner, locale: "ja", body: { name: "one more" } })));
    expect(limited.status).toBe(429);
    expect(limited.body.retryAfterSeconds).toBeGreaterThan(0);
  });

  it("members search for @mentions returns matching members only", async () => {
    const { member, groupId } = await groupWithMember();
    const res = await call(api.getMembers(request("GET", `/api/groups/${groupId}/members?q=OWN`, { user: member }), groupId));
    expect(res.status).toBe(200);
    expect(res.body.members).toEqual([{ id: expect.any(String), name: "owner", role: "owner" }]);
    const extra = await call(api.getMembers(request("GET", `/api/groups/${groupId}/members?q=a&x=1`, { user: member }), groupId));
    expect(extra.status).toBe(422);
  });
});

// ---- invites -----------------------------------------------------------------------------------

describe("invites", () => {
  it("creates a 256-bit token stored only as sha256; join, join twice", async () => {
    const owner = await signUp("inviter");
    const group = await createGroup(owner);
    const created = await invite(owner, group.id, { expiresIn: "1d", maxUses: 5 });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.body.path).toBe(`/en/invite/${created.body.token}`);
    const stored = await prisma.groupInvite.findUniqueOrThrow({ where: { id: created.body.invite.id } });
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(created.body.token);

    const guest = await signUp("guest");
    const first = await join(guest, created.body.token);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ groupId: group.id, alreadyMember: false });
    const again = await join(guest, created.body.token, "ja");
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ alreadyMember: true, message: ja.Groups.invite.alreadyMember });
    expect(await prisma.groupMember.count({ where: { groupId: group.id } })).toBe(2);
    expect((await prisma.groupInvite.findUniqueOrThrow({ where: { id: created.body.invite.id } })).uses).toBe(1);
  });

  it("refuses expired (410), revoked (410), used-up (410) and garbled (404) tokens", async () => {
    const owner = await signUp("inv-owner");
    const group = await createGroup(owner);
    const guest = await signUp("late");

    const expired = await invite(owner, group.id);
    await prisma.groupInvite.update({ where: { id: expired.body.invite.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const e = await join(guest, expired.body.token, "ja");
    expect(e.status).toBe(410);
    expect(e.body).toMatchObject({ code: "invite_expired", message: ja.Groups.invite.expired });

    const revoked = await invite(owner, group.id);
    expect((await call(api.deleteInvite(request("DELETE", "/", { user: owner }), group.id, revoked.body.invite.id))).status).toBe(200);
    expect((await join(guest, revoked.body.token)).body.code).toBe("invite_revoked");

    const once = await invite(owner, group.id, { expiresIn: "30d", maxUses: 1 });
    const firstGuest = await signUp("first");
    expect((await join(firstGuest, once.body.token)).status).toBe(201);
    const used = await join(guest, once.body.token);
    expect(used.status).toBe(410);
    expect(used.body.code).toBe("invite_used_up");

    for (const garbled of ["short", `${expired.body.token.slice(0, -1)}A`.replace(/.$/, (c: string) => (c === "A" ? "B" : "A")), "%2e%2e"]) {
      const g = await join(guest, garbled);
      expect(g.status).toBe(404);
    }
    expect(await role(group.id, guest.id)).toBeNull();
    const active = await call(api.getInvites(request("GET", "/", { user: owner }), group.id));
    expect(active.body.invites).toEqual([]);
  });

  it("validates invite options", async () => {
    const owner = await signUp("opts");
    const group = await createGroup(owner);
    expect((await invite(owner, group.id, { expiresIn: "1y" })).status).toBe(422);
    expect((await invite(owner, group.id, { expiresIn: "1d", maxUses: 0 })).status).toBe(422);
    expect((await invite(owner, group.id, { expiresIn: "1d", token: "mine" })).body.code).toBe("unexpected_field");
  });
});

// ---- leaving, removal, deletion ----------------------------------------------------------------

describe("membership changes take effect at once", () => {
  it("members leave; the last owner cannot (localized 409)", async () => {
    const { owner, member, groupId } = await groupWithMember();
    const refused = await call(api.postLeave(request("POST", "/", { user: owner, locale: "ja" }), groupId));
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: "last_owner", message: ja.Groups.errors.lastOwner });
    expect(await role(groupId, owner.id)).toBe("owner");
    expect((await call(api.postLeave(request("POST", "/", { user: member }), groupId))).status).toBe(200);
    expect(await role(groupId, member.id)).toBeNull();
    expect((await call(api.postLeave(request("POST", "/", { user: member }), groupId))).status).toBe(404);
  });

  it("a removed member no longer sees group notes and cannot write them", async () => {
    const { owner, member, groupId } = await groupWithMember();
    const note = await groupNote(owner, groupId);
    expect(note.status).toBe(201);
    expect(await getVisibleNote(note.body.note.id, member.id)).not.toBeNull();
    expect((await call(api.deleteMember(request("DELETE", "/", { user: owner }), groupId, member.id))).status).toBe(200);
    expect(await getVisibleNote(note.body.note.id, member.id)).toBeNull();
    expect((await groupNote(member, groupId)).status).toBe(404);
  });

  it("a deleted group disappears for members, with its notes; the rows stay", async () => {
    const { owner, member, groupId } = await groupWithMember();
    const note = await groupNote(member, groupId);
    expect((await call(api.removeGroup(request("DELETE", "/", { user: owner }), groupId))).status).toBe(200);
    expect((await call(api.getGroup(request("GET", "/", { user: member }), groupId))).status).toBe(404);
    expect((await call(api.getGroup(request("GET", "/", { user: owner }), groupId))).status).toBe(404);
    const mine = await call(api.getMyGroups(request("GET", "/", { user: member })));
    expect(mine.body.groups.map((g: { id: string }) => g.id)).not.toContain(groupId);
    expect(await getVisibleNote(note.body.note.id, member.id)).toBeNull();
    expect(await prisma.note.count({ where: { id: note.body.note.id } })).toBe(1);
  });
});

// ---- activity ----------------------------------------------------------------------------------

describe("activity feed", () => {
  it("paginates 20 at a time, newest first, without deleted notes or other groups' notes", async () => {
    const { owner, member, groupId } = await groupWithMember();
    const other = await createGroup(owner, "Other");
    const ids: string[] = [];
    for (let i = 0; i < 23; i++) {
      const created = await groupNote(i % 2 ? member : owner, groupId, `Note **${i}**`, i % 5);
      expect(created.status).toBe(201);
      ids.push(created.body.note.id);
      // Keeps the burst bucket from refusing the setup writes.
      await prisma.$executeRaw`DELETE FROM rate_limit_bucket`;
    }
    expect((await groupNote(owner, other.id, "elsewhere")).status).toBe(201);
    const deleted = ids[22]!;
    await prisma.note.update({ where: { id: deleted }, data: { deletedAt: new Date() } });

    const first = await call(api.getActivity(request("GET", `/api/groups/${groupId}/activity`, { user: member }), groupId));
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(20);
    expect(first.body.items[0]).toMatchObject({ id: ids[21], excerpt: "Note 21", article: { slug: SLUG }, paragraphNumber: 2 });
    expect(first.body.items.map((i: { id: string }) => i.id)).not.toContain(deleted);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await call(
      api.getActivity(request("GET", `/api/groups/${groupId}/activity?cursor=${encodeURIComponent(first.body.nextCursor)}`, { user: member }), groupId),
    );
    expect(second.body.items.map((i: { id: string }) => i.id)).toEqual([ids[1], ids[0]]);
    expect(second.body.nextCursor).toBeNull();
    const all = [...first.body.items, ...second.body.items].map((i: { excerpt: string }) => i.excerpt);
    expect(all).not.toContain("elsewhere");
    expect((await call(api.getActivity(request("GET", `/api/groups/${groupId}/activity?cursor=junk`, { user: member }), groupId))).status).toBe(422);
  });
});

describe("cross-site requests", () => {
  it("refuses a write the browser marks as cross-site, without touching the database", async () => {
    const owner = await signUp("csrf");
    const req = new Request("http://localhost/api/groups", {
      method: "POST",
      headers: { cookie: owner.cookie, "content-type": "application/json", "sec-fetch-site": "cross-site", "x-ui-locale": "ja" },
      body: JSON.stringify({ name: "Injected" }),
    });
    const res = await call(api.postGroup(req));
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: "cross_origin", message: ja.Api.crossOrigin });
    expect(await prisma.group.count({ where: { createdById: owner.id } })).toBe(0);
  });
});
