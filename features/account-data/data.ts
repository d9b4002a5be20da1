import "server-only";
import { getPrisma } from "@/lib/db/prisma";
import type { AccountExport, ExportedNote } from "@/lib/account-data/export-archive";
import type { DataExportDto } from "./types";

// Reads for "Download my data" and "Delete my account" (ADR 0036).

/** How many past requests the profile lists (the newest first). */
const LISTED_EXPORTS = 3;

type ExportRow = { id: string; status: DataExportDto["status"]; createdAt: Date; readyAt: Date | null; expiresAt: Date | null; byteSize: number | null };

export function dataExportDto(row: ExportRow, now = new Date()): DataExportDto {
  return {
    id: row.id,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    readyAt: row.readyAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    byteSize: row.byteSize,
    downloadable: row.status === "ready" && row.expiresAt !== null && row.expiresAt > now,
  };
}

const exportSelect = { id: true, status: true, createdAt: true, readyAt: true, expiresAt: true, byteSize: true } as const;

export async function listDataExports(userId: string): Promise<DataExportDto[]> {
  const rows = await getPrisma().dataExport.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, take: LISTED_EXPORTS, select: exportSelect });
  const now = new Date();
  return rows.map((row) => dataExportDto(row, now));
}

/** The archive of one of the user's exports (null: not theirs, or no such export). */
export async function findDataExportArchive(userId: string, id: string) {
  return getPrisma().dataExport.findFirst({ where: { id, userId }, select: { ...exportSelect, archive: true } });
}

/** What the export job needs about its request and the person who made it. */
export async function findDataExportRequest(id: string) {
  return getPrisma().dataExport.findUnique({
    where: { id },
    select: { id: true, status: true, locale: true, userId: true, user: { select: { name: true, email: true } } },
  });
}

/** The credential (email + password) account's hash: what "confirm with your password" checks. */
export async function findPasswordHash(userId: string): Promise<string | null> {
  const account = await getPrisma().account.findFirst({ where: { userId, providerId: "credential" }, select: { password: true } });
  return account?.password ?? null;
}

/** Whether the user is an admin and no other (live) admin exists: deleting them would lock the site out. */
export async function isLastAdmin(userId: string): Promise<boolean> {
  const prisma = getPrisma();
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { role: true } });
  if (user?.role !== "admin") return false;
  const others = await prisma.user.count({ where: { role: "admin", id: { not: userId }, deletedAt: null } });
  return others === 0;
}

const iso = (date: Date) => date.toISOString();
const isoOrNull = (date: Date | null) => date?.toISOString() ?? null;

/**
 * Everything the account holds, for the archive: its notes of every visibility (deleted ones
 * too, purged ones without their text) with their earlier bodies, reactions, flags made, group
 * memberships, notifications, reading positions and API tokens (never a token's hash).
 */
export async function loadAccountExport(userId: string, now = new Date()): Promise<AccountExport> {
  const prisma = getPrisma();
  const user = await prisma.user.findUniqueOrThrow({
    where: { id: userId },
    select: { id: true, name: true, email: true, emailVerified: true, role: true, preferredLocale: true, createdAt: true },
  });
  const [notes, reactions, flags, memberships, notifications, visits, tokens] = await Promise.all([
    prisma.note.findMany({
      where: { authorId: userId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      select: {
        id: true,
        locale: true,
        kind: true,
        visibility: true,
        parentId: true,
        rootId: true,
        body: true,
        tag: true,
        quoteExact: true,
        quotePrefix: true,
        quoteSuffix: true,
        status: true,
        createdAt: true,
        editedAt: true,
        deletedAt: true,
        purgedAt: true,
        paragraph: { select: { key: true } },
        group: { select: { id: true, name: true } },
        article: { select: { slug: true, translations: { select: { locale: true, title: true } } } },
        revisions: { orderBy: { version: "asc" }, select: { version: true, body: true, tag: true, createdAt: true } },
      },
    }),
    prisma.noteReaction.findMany({ where: { userId }, orderBy: { createdAt: "asc" }, select: { noteId: true, createdAt: true, note: { select: { article: { select: { slug: true } } } } } }),
    prisma.noteFlag.findMany({
      where: { userId },
      orderBy: { createdAt: "asc" },
      select: { noteId: true, reason: true, details: true, createdAt: true, resolvedAt: true, note: { select: { article: { select: { slug: true } } } } },
    }),
    prisma.groupMember.findMany({ where: { userId }, orderBy: { joinedAt: "asc" }, select: { groupId: true, role: true, joinedAt: true, group: { select: { name: true, deletedAt: true } } } }),
    prisma.notification.findMany({
      where: { userId },
      orderBy: { createdAt: "asc" },
      select: { kind: true, noteId: true, createdAt: true, readAt: true, note: { select: { article: { select: { slug: true } } } } },
    }),
    prisma.articleVisit.findMany({ where: { userId }, orderBy: { lastVisitedAt: "asc" }, select: { lastVisitedAt: true, paragraphKey: true, article: { select: { slug: true } } } }),
    prisma.apiToken.findMany({ where: { userId }, orderBy: { createdAt: "asc" }, select: { name: true, scopes: true, createdAt: true, expiresAt: true, lastUsedAt: true, revokedAt: true } }),
  ]);

  const exportedNotes: ExportedNote[] = notes.map((note) => {
    const title = note.article.translations.find((tr) => tr.locale === note.locale) ?? note.article.translations[0];
    const purged = note.purgedAt !== null;
    return {
      id: note.id,
      article: { slug: note.article.slug, title: title?.title ?? null },
      paragraphKey: note.paragraph.key,
      locale: note.locale,
      kind: note.kind,
      visibility: note.visibility,
      group: note.group,
      parentId: note.parentId,
      rootId: note.rootId,
      body: note.body,
      tag: note.tag,
      quote: note.quoteExact === null ? null : { exact: note.quoteExact, prefix: note.quotePrefix, suffix: note.quoteSuffix },
      status: note.status,
      createdAt: iso(note.createdAt),
      editedAt: isoOrNull(note.editedAt),
      deletedAt: isoOrNull(note.deletedAt),
      purged,
      // A purged note's earlier bodies were removed with its text (moderation); none are left to give.
      revisions: purged ? [] : note.revisions.map((r) => ({ version: r.version, body: r.body, tag: r.tag, createdAt: iso(r.createdAt) })),
    };
  });

  return {
    exportedAt: iso(now),
    account: { ...user, createdAt: iso(user.createdAt) },
    notes: exportedNotes,
    reactions: reactions.map((r) => ({ noteId: r.noteId, article: r.note.article.slug, createdAt: iso(r.createdAt) })),
    flags: flags.map((f) => ({ noteId: f.noteId, article: f.note.article.slug, reason: f.reason, details: f.details, createdAt: iso(f.createdAt), resolvedAt: isoOrNull(f.resolvedAt) })),
    groups: memberships.map((m) => ({ groupId: m.groupId, name: m.group.name, role: m.role, joinedAt: iso(m.joinedAt), groupDeleted: m.group.deletedAt !== null })),
    notifications: notifications.map((n) => ({ kind: n.kind, noteId: n.noteId, article: n.note.article.slug, createdAt: iso(n.createdAt), readAt: isoOrNull(n.readAt) })),
    reading: visits.map((v) => ({ article: v.article.slug, lastVisitedAt: iso(v.lastVisitedAt), paragraphKey: v.paragraphKey })),
    apiTokens: tokens.map((t) => ({ name: t.name, scopes: t.scopes, createdAt: iso(t.createdAt), expiresAt: isoOrNull(t.expiresAt), lastUsedAt: isoOrNull(t.lastUsedAt), revokedAt: isoOrNull(t.revokedAt) })),
  };
}
