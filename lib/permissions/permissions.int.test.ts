import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "@/lib/db/prisma";
import { deployMigrations } from "@/lib/db/migration-engine";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { createTestDatabase } from "@/lib/testing/test-database";
import type { Principal } from "./core";
import { groupRoleAtLeast, liveGroupsOf, liveMemberships, needsApproval, needsApprovalSql, type GroupRole } from "./groups";
import { moderatorScopes, type ModeratorScopes } from "./moderation";
import {
  canModerate,
  moderatableNotes,
  noteAudience,
  noteFlaggableBy,
  noteLayers,
  noteReadableBy,
  noteStatusSeenBy,
  type LayerChoice,
  type NoteRule,
} from "./notes";

// Every permission rule comes in two forms, a Prisma `where` and an SQL fragment, used by
// different reads of the same data (lists vs counts and highlights). Over a matrix of viewers ×
// note visibility × status × group membership × deleted group, both forms must select the same
// rows; a few hand-written cells make sure they are not both wrong in the same way.

type ViewerName = "anonymous" | "author" | "other" | "member" | "exMember" | "siteModerator" | "admin" | "groupModerator";
type Author = "author" | "member";
type Audience = "public" | "private" | "live" | "deleted";
type State = "visible" | "hidden" | "pending" | "deleted";

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let prisma: PrismaClient;
const users = {} as Record<Exclude<ViewerName, "anonymous">, { id: string; role: "member" | "moderator" | "admin" }>;
const groups = { live: randomUUID(), deleted: randomUUID() };
/** note label ("author.public.visible") → id, and back. */
const noteIds = new Map<string, string>();
const labels = new Map<string, string>();

const viewers: ViewerName[] = ["anonymous", "author", "other", "member", "exMember", "siteModerator", "admin", "groupModerator"];
const principal = (viewer: ViewerName): Principal => (viewer === "anonymous" ? null : users[viewer]);
const idOf = (viewer: ViewerName) => principal(viewer)?.id ?? null;

beforeAll(async () => {
  db = await createTestDatabase("permissions");
  await deployMigrations(db.url);
  prisma = createPrismaClient(db.url);

  const roles: Record<Exclude<ViewerName, "anonymous">, "member" | "moderator" | "admin"> = {
    author: "member",
    other: "member",
    member: "member",
    exMember: "member",
    siteModerator: "moderator",
    admin: "admin",
    groupModerator: "member",
  };
  for (const [name, role] of Object.entries(roles)) users[name as keyof typeof roles] = { id: randomUUID(), role };
  await prisma.user.createMany({
    data: Object.entries(users).map(([name, u]) => ({ id: u.id, name, email: `${name}-${u.id}@example.test`, role: u.role })),
  });
  const articleId = randomUUID();
  const paragraphId = randomUUID();
  await prisma.article.create({ data: { id: articleId, slug: `perm-${articleId}`, originalLocale: "en", source: "test", publishedAt: new Date("2026-01-01") } });
  await prisma.paragraph.create({ data: { id: paragraphId, articleId, key: "p-1", position: 1 } });
  await prisma.group.createMany({
    data: [
      { id: groups.live, name: "Live", createdById: users.author.id },
      { id: groups.deleted, name: "Deleted", createdById: users.author.id, deletedAt: new Date() },
    ],
  });
  // The same roster in both groups; the ex-member was removed from the live group (no row).
  const roster: { userId: string; role: GroupRole }[] = [
    { userId: users.author.id, role: "owner" },
    { userId: users.member.id, role: "member" },
    { userId: users.groupModerator.id, role: "moderator" },
  ];
  await prisma.groupMember.createMany({
    data: [
      ...roster.map((m) => ({ ...m, groupId: groups.live })),
      ...roster.map((m) => ({ ...m, groupId: groups.deleted })),
      { groupId: groups.deleted, userId: users.exMember.id, role: "member" as const },
    ],
  });

  const notes: Prisma.NoteCreateManyInput[] = [];
  for (const author of ["author", "member"] as const) {
    for (const audience of ["public", "private", "live", "deleted"] as const) {
      for (const state of ["visible", "hidden", "pending", "deleted"] as const) {
        const id = randomUUID();
        const label = `${author}.${audience}.${state}`;
        noteIds.set(label, id);
        labels.set(id, label);
        notes.push({
          id,
          articleId,
          paragraphId,
          locale: "en",
          authorId: users[author].id,
          kind: "comment",
          visibility: audience === "public" || audience === "private" ? audience : "group",
          groupId: audience === "live" ? groups.live : audience === "deleted" ? groups.deleted : null,
          status: state === "deleted" ? "visible" : state,
          deletedAt: state === "deleted" ? new Date() : null,
          body: label,
        });
      }
    }
  }
  await prisma.note.createMany({ data: notes });
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

async function viaPrisma(rule: NoteRule): Promise<string[]> {
  const rows = await prisma.note.findMany({ where: rule.where, select: { id: true } });
  return rows.map((row) => labels.get(row.id)!).sort();
}

async function viaSql(rule: NoteRule): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ id: string }[]>`SELECT n.id::text AS id FROM note n WHERE ${rule.sql}`;
  return rows.map((row) => labels.get(row.id)!).sort();
}

/** Both forms, which must agree; the answer is the rows they select, as labels. */
async function select(rule: NoteRule): Promise<string[]> {
  const [orm, sql] = await Promise.all([viaPrisma(rule), viaSql(rule)]);
  expect(sql).toEqual(orm);
  return orm;
}

async function scopesOf(viewer: ViewerName): Promise<ModeratorScopes | null> {
  const who = principal(viewer);
  if (!who) return null;
  const rows = await prisma.groupMember.findMany({ where: groupRoleAtLeast(who.id, "moderator").where, select: { groupId: true } });
  return moderatorScopes(who, rows.map((row) => row.groupId));
}

const cells = (author: Author, audience: Audience, states: State[]) => states.map((state) => `${author}.${audience}.${state}`);
const ALL: State[] = ["visible", "hidden", "pending", "deleted"];
/** Visible notes, live or deleted (deletion is the caller's filter, for placeholders). */
const SHOWN: State[] = ["visible", "deleted"];
const sorted = (list: string[]) => [...list].sort();

describe("Prisma and SQL forms select the same rows", () => {
  it.each(viewers)("note audience, status and readability for %s", async (viewer) => {
    await select(noteAudience(idOf(viewer)));
    await select(noteStatusSeenBy(idOf(viewer)));
    const readable = await select(noteReadableBy(idOf(viewer)));
    // Readable is audience ∩ status, in both forms.
    const audience = await viaPrisma(noteAudience(idOf(viewer)));
    const status = await viaPrisma(noteStatusSeenBy(idOf(viewer)));
    expect(readable).toEqual(audience.filter((label) => status.includes(label)));
  });

  const layerChoices: [string, LayerChoice | null][] = [
    ["every layer (null)", null],
    ["public", { public: true, mine: false, groupIds: [] }],
    ["mine", { public: false, mine: true, groupIds: [] }],
    ["the live group", { public: false, mine: false, groupIds: [groups.live] }],
    ["the deleted group", { public: false, mine: false, groupIds: [groups.deleted] }],
    ["public and mine and both groups", { public: true, mine: true, groupIds: [groups.live, groups.deleted] }],
    ["nothing", { public: false, mine: false, groupIds: [] }],
  ];
  it.each(viewers)("layers, always within readability, for %s", async (viewer) => {
    const readable = await viaPrisma(noteReadableBy(idOf(viewer)));
    for (const [, layers] of layerChoices) {
      const rule = noteLayers(idOf(viewer), layers);
      await select(rule);
      const both = await select({ where: { AND: [noteReadableBy(idOf(viewer)).where, rule.where] }, sql: Prisma.sql`(${noteReadableBy(idOf(viewer)).sql} AND ${rule.sql})` });
      expect(both.every((label) => readable.includes(label))).toBe(true);
    }
  });

  it.each(viewers)("flaggable and moderatable notes for %s (and canModerate on single rows)", async (viewer) => {
    const id = idOf(viewer);
    if (id) await select(noteFlaggableBy(id));
    const scopes = await scopesOf(viewer);
    if (!scopes) return;
    const moderatable = await select(moderatableNotes(scopes));
    const rows = await prisma.note.findMany({ select: { id: true, visibility: true, groupId: true } });
    const byCheck = rows.filter((row) => canModerate(scopes, row)).map((row) => labels.get(row.id)!).sort();
    expect(byCheck).toEqual(moderatable);
  });

  it("pre-moderation: who waits for approval, in SQL as in JS", async () => {
    for (const role of ["owner", "moderator", "member"] as const) {
      for (const preModeration of [true, false]) {
        const [row] = await prisma.$queryRaw<{ pending: boolean }[]>`
          SELECT coalesce(${needsApprovalSql(Prisma.sql`${role}::"GroupRole"`, Prisma.sql`${preModeration}::boolean`)}, false) AS pending`;
        expect(row!.pending, `${role} ${preModeration}`).toBe(needsApproval(role, preModeration));
      }
    }
  });

  it.each(viewers.filter((v) => v !== "anonymous"))("live memberships and group roles for %s", async (viewer) => {
    const userId = idOf(viewer)!;
    const groupsOf = async (where: Prisma.GroupMemberWhereInput) =>
      (await prisma.groupMember.findMany({ where, select: { groupId: true } })).map((row) => row.groupId).sort();
    const groupsOfSql = async (sql: Prisma.Sql) => (await prisma.$queryRaw<{ id: string }[]>`SELECT m.group_id::text AS id FROM ${sql} m`).map((row) => row.id).sort();
    const live = liveMemberships(userId);
    expect(await groupsOfSql(live.sql)).toEqual(await groupsOf(live.where));
    // The group-side form of the same rule, both ways.
    const seen = liveGroupsOf(userId);
    const groupIds = (await prisma.group.findMany({ where: seen.where, select: { id: true } })).map((row) => row.id).sort();
    const groupIdsSql = (await prisma.$queryRaw<{ id: string }[]>`SELECT g.id::text AS id FROM "group" g WHERE ${seen.sql}`).map((row) => row.id).sort();
    expect(groupIds).toEqual(await groupsOf(live.where));
    expect(groupIdsSql).toEqual(groupIds);
    for (const role of ["owner", "moderator", "member"] as const) {
      const rule = groupRoleAtLeast(userId, role);
      expect(await groupsOfSql(rule.sql)).toEqual(await groupsOf(rule.where));
    }
  });
});

describe("hand-written cells", () => {
  const publicShown = [...cells("author", "public", SHOWN), ...cells("member", "public", SHOWN)];

  it("anonymous readers, ex-members, site moderators and admins read only visible public notes", async () => {
    for (const viewer of ["anonymous", "exMember", "siteModerator", "admin", "other"] as const) {
      expect(await select(noteReadableBy(idOf(viewer))), viewer).toEqual(sorted(publicShown));
    }
  });

  it("an author reads all their own non-group notes, and group notes only of a live group they are in", async () => {
    expect(await select(noteReadableBy(idOf("author")))).toEqual(
      sorted([
        ...publicShown,
        ...cells("author", "public", ["hidden", "pending"]),
        ...cells("author", "private", ALL),
        ...cells("author", "live", ALL),
        // The other member's hidden and pending group notes stay theirs; the deleted group is gone.
        ...cells("member", "live", SHOWN),
      ]),
    );
  });

  it("a group moderator reads the group's visible notes, not hidden or pending ones (those are in the queue)", async () => {
    const readable = await select(noteReadableBy(idOf("groupModerator")));
    expect(readable).toEqual(sorted([...publicShown, ...cells("author", "live", SHOWN), ...cells("member", "live", SHOWN)]));
    expect(readable).not.toContain("member.private.visible");
  });

  it("the audience ignores a note's state (tombstones reach exactly the readers who had the note)", async () => {
    expect(await select(noteAudience(idOf("member")))).toEqual(
      sorted([
        ...cells("author", "public", ALL),
        ...cells("member", "public", ALL),
        ...cells("member", "private", ALL),
        ...cells("author", "live", ALL),
        ...cells("member", "live", ALL),
      ]),
    );
  });

  it("layers only narrow: a group id cannot open a deleted group or one the viewer is not in", async () => {
    const readable = noteReadableBy(idOf("member"));
    const deletedLayer = noteLayers(idOf("member"), { public: false, mine: false, groupIds: [groups.deleted] });
    expect(await select({ where: { AND: [readable.where, deletedLayer.where] }, sql: Prisma.sql`(${readable.sql} AND ${deletedLayer.sql})` })).toEqual([]);
    const mine = noteLayers(idOf("author"), { public: false, mine: true, groupIds: [] });
    expect(await select(mine)).toEqual(sorted([...cells("author", "public", ALL), ...cells("author", "private", ALL)]));
    expect(await select(noteLayers(idOf("author"), { public: false, mine: false, groupIds: [] }))).toEqual([]);
  });

  it("moderation scopes: site staff the public notes, group owners and moderators their live group's, nobody private notes", async () => {
    const publicAll = [...cells("author", "public", ALL), ...cells("member", "public", ALL)];
    const liveAll = [...cells("author", "live", ALL), ...cells("member", "live", ALL)];
    expect(await select(moderatableNotes((await scopesOf("siteModerator"))!))).toEqual(sorted(publicAll));
    expect(await select(moderatableNotes((await scopesOf("admin"))!))).toEqual(sorted(publicAll));
    expect(await select(moderatableNotes((await scopesOf("groupModerator"))!))).toEqual(sorted(liveAll));
    expect(await select(moderatableNotes((await scopesOf("author"))!))).toEqual(sorted(liveAll));
    expect(await select(moderatableNotes((await scopesOf("member"))!))).toEqual([]);
    expect(await select(moderatableNotes((await scopesOf("exMember"))!))).toEqual([]);
  });

  it("flags: visible, live, shared notes the reader can see", async () => {
    expect(await select(noteFlaggableBy(idOf("member")!))).toEqual(
      sorted([...cells("author", "public", ["visible"]), ...cells("member", "public", ["visible"]), ...cells("author", "live", ["visible"]), ...cells("member", "live", ["visible"])]),
    );
  });

  it("memberships: only live groups count, and roles rank owner > moderator > member", async () => {
    const groupsOf = async (where: Prisma.GroupMemberWhereInput) => (await prisma.groupMember.findMany({ where, select: { groupId: true } })).map((row) => row.groupId);
    expect(await groupsOf(liveMemberships(idOf("exMember")!).where)).toEqual([]);
    expect(await groupsOf(liveMemberships(idOf("member")!).where)).toEqual([groups.live]);
    expect(await groupsOf(groupRoleAtLeast(idOf("member")!, "moderator").where)).toEqual([]);
    expect(await groupsOf(groupRoleAtLeast(idOf("groupModerator")!, "moderator").where)).toEqual([groups.live]);
    expect(await groupsOf(groupRoleAtLeast(idOf("groupModerator")!, "owner").where)).toEqual([]);
    expect(await groupsOf(groupRoleAtLeast(idOf("author")!, "owner").where)).toEqual([groups.live]);
  });
});
