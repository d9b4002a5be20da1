import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "@/lib/db/prisma";
import { deployMigrations } from "@/lib/db/migration-engine";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createTestDatabase } from "@/lib/testing/test-database";
import { editableArticles, mayCreateArticle, mayEditArticle, mayPromoteArticle, mayReadArticle, readableArticles, type ArticleRule } from "./articles";
import type { Principal, SiteRole } from "./core";
import type { GroupRole } from "./groups";
import { noteAudience, noteReadableBy, type NoteRule } from "./notes";

// The article rules (ADR 0019) over a matrix of viewers × articles, in both forms: the Prisma
// `where` and the SQL over alias `a` must select the same articles, single-row checks must agree
// with them, and hand-written cells make sure both forms are not wrong the same way. Notes inherit
// the article rule: a public note on a group reading is seen by the group's members only.

type ViewerName = "anonymous" | "outsider" | "groupMember" | "exMember" | "groupModerator" | "groupOwner" | "siteModerator" | "editor" | "admin";
type ArticleName = "public.published" | "public.draft" | "public.unpublished" | "live.published" | "live.draft" | "live.unpublished" | "deleted.published";

const viewers: ViewerName[] = ["anonymous", "outsider", "groupMember", "exMember", "groupModerator", "groupOwner", "siteModerator", "editor", "admin"];
const articleNames: ArticleName[] = ["public.published", "public.draft", "public.unpublished", "live.published", "live.draft", "live.unpublished", "deleted.published"];

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let prisma: PrismaClient;
const users = {} as Record<Exclude<ViewerName, "anonymous">, { id: string; role: SiteRole }>;
const groups = { live: randomUUID(), deleted: randomUUID() };
const articleIds = new Map<ArticleName, string>();
const labels = new Map<string, string>();
/** The viewer's role in each group (as the feature code reads it: live groups only). */
const liveRoles = new Map<ViewerName, GroupRole>();

const principal = (viewer: ViewerName): Principal => (viewer === "anonymous" ? null : users[viewer]);

beforeAll(async () => {
  db = await createTestDatabase("article-permissions");
  await deployMigrations(db.url);
  prisma = createPrismaClient(db.url);

  const roles: Record<Exclude<ViewerName, "anonymous">, SiteRole> = {
    outsider: "member",
    groupMember: "member",
    exMember: "member",
    groupModerator: "member",
    groupOwner: "member",
    siteModerator: "moderator",
    editor: "editor",
    admin: "admin",
  };
  for (const [name, role] of Object.entries(roles)) users[name as keyof typeof roles] = { id: randomUUID(), role };
  await prisma.user.createMany({ data: Object.entries(users).map(([name, u]) => ({ id: u.id, name, email: `${name}-${u.id}@example.test`, role: u.role })) });
  await prisma.group.createMany({
    data: [
      { id: groups.live, name: "Live", createdById: users.groupOwner.id },
      { id: groups.deleted, name: "Deleted", createdById: users.groupOwner.id, deletedAt: new Date() },
    ],
  });
  // The same roster in both groups; the ex-member left the live group (no row there) but still
  // has a row in the deleted one, which must not count either.
  const roster: [ViewerName, GroupRole][] = [
    ["groupOwner", "owner"],
    ["groupModerator", "moderator"],
    ["groupMember", "member"],
  ];
  await prisma.groupMember.createMany({
    data: [
      ...roster.flatMap(([viewer, role]) => [groups.live, groups.deleted].map((groupId) => ({ groupId, userId: users[viewer as keyof typeof users].id, role }))),
      { groupId: groups.deleted, userId: users.exMember.id, role: "member" as const },
    ],
  });
  for (const [viewer, role] of roster) liveRoles.set(viewer, role);

  const paragraphs: { id: string; articleId: string; key: string; position: number }[] = [];
  for (const name of articleNames) {
    const [audience, status] = name.split(".") as ["public" | "live" | "deleted", "published" | "draft" | "unpublished"];
    const id = randomUUID();
    articleIds.set(name, id);
    labels.set(id, name);
    await prisma.article.create({
      data: {
        id,
        slug: `perm-${name.replace(".", "-")}`,
        status,
        groupId: audience === "public" ? null : groups[audience],
        originalLocale: "en",
        source: "test",
        publishedAt: new Date("2026-01-01"),
      },
    });
    paragraphs.push({ id: randomUUID(), articleId: id, key: "p-1", position: 1 });
  }
  await prisma.paragraph.createMany({ data: paragraphs });
  // One public note per article, written by the group owner (its visibility alone lets anyone read it).
  await prisma.note.createMany({
    data: paragraphs.map((p) => ({ articleId: p.articleId, paragraphId: p.id, locale: "en", authorId: users.groupOwner.id, kind: "comment" as const, visibility: "public" as const, body: labels.get(p.articleId)! })),
  });
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

/** Both forms, which must agree; the answer is the articles they select, by name. */
async function select(rule: ArticleRule): Promise<string[]> {
  const orm = (await prisma.article.findMany({ where: rule.where, select: { id: true } })).map((row) => labels.get(row.id)!).sort();
  const sql = (await prisma.$queryRaw<{ id: string }[]>`SELECT a.id::text AS id FROM article a WHERE ${rule.sql}`).map((row) => labels.get(row.id)!).sort();
  expect(sql).toEqual(orm);
  return orm;
}

/** The articles whose public note a note rule lets through (both forms). */
async function notesOn(rule: NoteRule): Promise<string[]> {
  const orm = (await prisma.note.findMany({ where: rule.where, select: { body: true } })).map((row) => row.body).sort();
  const sql = (await prisma.$queryRaw<{ body: string }[]>`SELECT n.body FROM note n WHERE ${rule.sql}`).map((row) => row.body).sort();
  expect(sql).toEqual(orm);
  return orm;
}

const PUBLIC_READ = ["public.published"];
const MEMBER_READ = ["live.published", "public.published"];

describe("Prisma and SQL forms select the same articles, and single-row checks agree", () => {
  it.each(viewers)("readable and editable articles for %s", async (viewer) => {
    const who = principal(viewer);
    const readable = await select(readableArticles(who));
    const editable = await select(editableArticles(who));
    const rows = await prisma.article.findMany({ select: { id: true, status: true, groupId: true } });
    const roleIn = (groupId: string | null) => (groupId === groups.live ? (liveRoles.get(viewer) ?? null) : null);
    expect(rows.filter((row) => mayReadArticle(row, roleIn(row.groupId))).map((row) => labels.get(row.id)!).sort()).toEqual(readable);
    expect(rows.filter((row) => mayEditArticle(who, row, roleIn(row.groupId))).map((row) => labels.get(row.id)!).sort()).toEqual(editable);
  });

  it.each(viewers)("notes follow their article for %s", async (viewer) => {
    const readable = await select(readableArticles(principal(viewer)));
    const id = principal(viewer)?.id ?? null;
    expect(await notesOn(noteReadableBy(id))).toEqual(readable);
    expect(await notesOn(noteAudience(id))).toEqual(readable);
  });
});

describe("hand-written cells", () => {
  it("anonymous readers, outsiders, ex-members and site staff outside the group read only the published public article", async () => {
    for (const viewer of ["anonymous", "outsider", "exMember", "siteModerator", "editor", "admin"] as const) {
      expect(await select(readableArticles(principal(viewer))), viewer).toEqual(PUBLIC_READ);
    }
  });

  it("members of the live group read its published reading, never drafts, unpublished ones or a deleted group's", async () => {
    for (const viewer of ["groupMember", "groupModerator", "groupOwner"] as const) {
      expect(await select(readableArticles(principal(viewer))), viewer).toEqual(MEMBER_READ);
    }
  });

  it("editors and admins edit every article; group owners and moderators their live group's readings; nobody else anything", async () => {
    for (const viewer of ["editor", "admin"] as const) expect(await select(editableArticles(principal(viewer))), viewer).toEqual([...articleNames].sort());
    for (const viewer of ["groupOwner", "groupModerator"] as const) {
      expect(await select(editableArticles(principal(viewer))), viewer).toEqual(["live.draft", "live.published", "live.unpublished"]);
    }
    for (const viewer of ["anonymous", "outsider", "groupMember", "exMember", "siteModerator"] as const) {
      expect(await select(editableArticles(principal(viewer))), viewer).toEqual([]);
    }
  });

  it("a public note on a group reading is read by the group's members only", async () => {
    expect(await notesOn(noteReadableBy(users.groupMember.id))).toContain("live.published");
    for (const viewer of ["anonymous", "outsider", "exMember", "admin"] as const) {
      expect(await notesOn(noteReadableBy(principal(viewer)?.id ?? null)), viewer).not.toContain("live.published");
    }
  });

  it("who may create what", () => {
    const p = (viewer: ViewerName) => principal(viewer);
    expect(mayCreateArticle(null, null)).toBe(false);
    expect(mayCreateArticle(p("outsider"), null)).toBe(false);
    expect(mayCreateArticle(p("siteModerator"), null)).toBe(false);
    expect(mayCreateArticle(p("editor"), null)).toBe(true);
    expect(mayCreateArticle(p("admin"), null)).toBe(true);
    expect(mayCreateArticle(p("groupOwner"), "owner")).toBe(true);
    expect(mayCreateArticle(p("groupModerator"), "moderator")).toBe(true);
    expect(mayCreateArticle(p("groupMember"), "member")).toBe(false);
    expect(mayCreateArticle(null, "owner")).toBe(false);
    // A group owner is not an editor: a public article is not theirs to create.
    expect(mayCreateArticle(p("groupOwner"), null)).toBe(false);
    expect(mayPromoteArticle(p("groupOwner"))).toBe(false);
    expect(mayPromoteArticle(p("editor"))).toBe(true);
    expect(mayPromoteArticle(null)).toBe(false);
  });
});
