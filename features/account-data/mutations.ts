import "server-only";
import { randomBytes } from "node:crypto";
import { createFormatter } from "next-intl";
import { APP_TIME_ZONE, type AppLocale } from "@/i18n/routing";
import { Prisma } from "@/lib/generated/prisma/client";
import { getPrisma } from "@/lib/db/prisma";
import { DELETED_USER_EMAIL_DOMAIN, DELETED_USER_ID_PREFIX, DELETED_USER_NAME } from "@/lib/account-data/deleted-user";
import { exportZip, JSON_FILES, type ArchiveWords } from "@/lib/account-data/export-archive";
import { translatorFor, isAppLocale } from "@/lib/i18n/translator";
import { enqueueJob } from "@/lib/jobs/queue";
import { signInAccountKey } from "@/lib/auth/sign-in-key";
import { queueMail } from "@/lib/mail/mailer";
import { renderMail } from "@/lib/mail/render";
import { siteUrl } from "@/lib/site-url";
import { dataExportDto, findDataExportRequest, loadAccountExport } from "./data";
import type { DataExportDto, KeptNotesChoice } from "./types";

// Writes of "Download my data" and "Delete my account" (ADR 0036).

export const DATA_EXPORT_JOB = "data-export";
export const DATA_EXPORT_EXPIRE_JOB = "data-export-expire";
/** An archive can be downloaded for a week, then its bytes are deleted. */
export const DATA_EXPORT_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Building an archive is retried this often; after the last failure the request shows as failed. */
export const DATA_EXPORT_ATTEMPTS = 3;

type Tx = Prisma.TransactionClient;

const exportSelect = { id: true, status: true, createdAt: true, readyAt: true, expiresAt: true, byteSize: true } as const;

/**
 * A new export request (and its job, in the same transaction), or the one already being
 * prepared: asking twice does not build two archives.
 */
export async function requestDataExport(userId: string, locale: AppLocale): Promise<{ created: boolean; dataExport: DataExportDto }> {
  return getPrisma().$transaction(async (tx) => {
    // Serializes two clicks of the same user: the second sees the first's pending row.
    await tx.$executeRaw`SELECT 1 FROM "user" WHERE id = ${userId} FOR UPDATE`;
    const pending = await tx.dataExport.findFirst({ where: { userId, status: "pending" }, select: exportSelect });
    if (pending) return { created: false, dataExport: dataExportDto(pending) };
    const row = await tx.dataExport.create({ data: { userId, locale }, select: exportSelect });
    await enqueueJob(DATA_EXPORT_JOB, { exportId: row.id }, { db: tx, dedupeKey: `data-export:${row.id}`, maxAttempts: DATA_EXPORT_ATTEMPTS });
    return { created: true, dataExport: dataExportDto(row) };
  });
}

function archiveWords(locale: AppLocale): ArchiveWords {
  const t = translatorFor(locale, "AccountData");
  const format = createFormatter({ locale, timeZone: APP_TIME_ZONE });
  const visibility = (value: string, group: string | null) =>
    value === "group" && group ? t("archive.visibilityGroup", { group }) : value === "public" ? t("archive.visibilityPublic") : value === "group" ? t("archive.visibilityGroupGone") : t("archive.visibilityPrivate");
  return {
    readmeTitle: t("archive.readmeTitle"),
    readmeIntro: (values) => t("archive.readmeIntro", values),
    fileDescriptions: Object.fromEntries(JSON_FILES.map((name) => [name, t(`archive.files.${name}`)])) as ArchiveWords["fileDescriptions"],
    notesTitle: t("archive.notesTitle"),
    noNotes: t("archive.noNotes"),
    noteHeading: (values) => t("archive.noteHeading", values),
    visibility,
    replyTo: t("archive.replyTo"),
    quote: t("archive.quote"),
    deleted: t("archive.deleted"),
    purged: t("archive.purged"),
    history: t("archive.history"),
    version: (values) => t("archive.version", values),
    formatDate: (value) => format.dateTime(new Date(value), { dateStyle: "medium", timeStyle: "short" }),
  };
}

/**
 * The job (E's queue, app/job-handlers.ts): builds the zip, stores it in the database (any
 * instance can then serve it), schedules its deletion and mails the link, all in one
 * transaction. A request that is gone (the account was deleted) or done is skipped.
 */
export async function buildDataExport(exportId: string, attempt: number, now = new Date()): Promise<void> {
  const request = await findDataExportRequest(exportId);
  if (!request || request.status !== "pending") return;
  const locale: AppLocale = isAppLocale(request.locale) ? request.locale : "en";
  try {
    const zip = exportZip(await loadAccountExport(request.userId, now), archiveWords(locale));
    const expiresAt = new Date(now.getTime() + DATA_EXPORT_TTL_MS);
    await getPrisma().$transaction(async (tx) => {
      const stored = await tx.dataExport.updateMany({
        where: { id: exportId, status: "pending" },
        data: { status: "ready", archive: Buffer.from(zip), byteSize: zip.byteLength, readyAt: now, expiresAt },
      });
      if (stored.count === 0) return;
      // Only the newest archive is kept: an older one is outdated and need not sit in the database.
      await tx.dataExport.deleteMany({ where: { userId: request.userId, id: { not: exportId }, status: { not: "pending" } } });
      await enqueueJob(DATA_EXPORT_EXPIRE_JOB, { exportId }, { db: tx, runAt: expiresAt, dedupeKey: `data-export-expire:${exportId}` });
      await queueReadyMail(tx, { userId: request.userId, email: request.user.email, name: request.user.name, locale, expiresAt });
    });
  } catch (error) {
    // The queue retries; after the last attempt the profile must say so instead of "preparing" forever.
    if (attempt >= DATA_EXPORT_ATTEMPTS) await getPrisma().dataExport.updateMany({ where: { id: exportId, status: "pending" }, data: { status: "failed" } });
    throw error;
  }
}

async function queueReadyMail(tx: Tx, to: { userId: string; email: string; name: string; locale: AppLocale; expiresAt: Date }): Promise<void> {
  const t = translatorFor(to.locale, "AccountData");
  // The profile, not the file: the download needs the session, and the page signs in first if needed.
  const url = new URL(`/${to.locale}/profile#your-data`, siteUrl()).href;
  const { text, html } = renderMail(to.locale, {
    heading: t("mail.heading"),
    paragraphs: [t("mail.ready", { name: to.name }), t("mail.expires", { date: to.expiresAt })],
    action: { label: t("mail.action"), url },
    footer: [t("mail.footer")],
  });
  await queueMail({ to: to.email, toName: to.name, locale: to.locale, subject: t("mail.subject"), text, html, kind: "data-export", userId: to.userId }, tx);
}

/** The expiry job: the archive's bytes go; the row stays so the profile can say it expired. */
export async function expireDataExport(exportId: string): Promise<void> {
  await getPrisma().dataExport.updateMany({ where: { id: exportId, archive: { not: null } }, data: { archive: null } });
}

// ---- deleting an account ------------------------------------------------------------------------

export type DeletedAccount = {
  /** The anonymous placeholder that now signs the kept notes and log rows. */
  placeholderId: string;
  /** Articles whose cached public notes showed the account (their caches must be expired). */
  publicArticleIds: string[];
  erasedNotes: number;
  keptNotes: number;
};

/** Texts written by others about the account keep their meaning but lose its name and address. */
const REDACTED = "[redacted]";
/** Shorter names are left alone in free text: "Al" would otherwise be cut out of every "Also". */
const MIN_REDACTED_NAME = 3;

function redactor(name: string, email: string): (text: string) => string {
  const escape = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const needles = [email, ...(name.trim().length >= MIN_REDACTED_NAME ? [name.trim()] : [])];
  const pattern = new RegExp(needles.map(escape).join("|"), "giu");
  return (text) => text.replace(pattern, REDACTED);
}

/** `column ILIKE` any of the needles (LIKE wildcards in a name are taken literally). */
function mentions(column: Prisma.Sql, name: string, email: string): Prisma.Sql {
  const like = (value: string) => `%${value.replace(/[\\%_]/g, "\\$&")}%`;
  const needles = [email, ...(name.trim().length >= MIN_REDACTED_NAME ? [name.trim()] : [])];
  return Prisma.join(
    needles.map((needle) => Prisma.sql`${column} ILIKE ${like(needle)}`),
    " OR ",
  );
}

/**
 * Deletes an account (the password was checked by the caller). In one transaction:
 * - an anonymous placeholder user ("deleted user", one per deleted account) is created;
 * - private notes go, and so do public and group notes when `notes` is "erase" (and any note the
 *   user had already deleted). A note that others replied to, or that the moderation log names,
 *   cannot go without breaking its thread or the log: it stays as an empty, purged placeholder;
 * - kept notes, groups they created, invites, suspensions they set and moderation log rows move to
 *   the placeholder; the log and suspension reasons lose the account's name and address;
 * - a group the user alone owned gets a new owner (its longest-standing moderator, else member),
 *   or is soft-deleted when nobody is left;
 * - the user row goes, and with it (ON DELETE CASCADE) sessions, password, API tokens, memberships,
 *   reactions, flags, mentions, notifications, reading positions, exports and their mail;
 *   rate-limit buckets, verification rows and queued jobs naming the account are removed too.
 * Returns null when there is no such (live) account.
 */
export async function deleteAccount(userId: string, notes: KeptNotesChoice, now = new Date()): Promise<DeletedAccount | null> {
  return getPrisma().$transaction(
    async (tx) => {
      const [user] = await tx.$queryRaw<{ name: string; email: string }[]>`
        SELECT name, email FROM "user" WHERE id = ${userId} AND deleted_at IS NULL FOR UPDATE`;
      if (!user) return null;
      const email = user.email.toLowerCase();
      // The one key that lets this transaction rewrite moderation_log rows naming this account
      // (the append-only trigger, migration account_data_export); local to the transaction.
      await tx.$executeRaw`SELECT set_config('taiyaku.erasing_user', ${userId}, true)`;

      const placeholderId = `${DELETED_USER_ID_PREFIX}${randomBytes(12).toString("hex")}`;
      await tx.user.create({
        data: { id: placeholderId, name: DELETED_USER_NAME, email: `${placeholderId}@${DELETED_USER_EMAIL_DOMAIN}`, deletedAt: now, role: "member" },
      });

      const publicArticleIds = (
        await tx.$queryRaw<{ article_id: string }[]>`
          SELECT DISTINCT article_id::text FROM note WHERE author_id = ${userId} AND visibility = 'public'`
      ).map((row) => row.article_id);

      const { erased, shells } = await eraseNotes(tx, userId, notes === "erase", placeholderId, now);
      const kept = await tx.note.updateMany({ where: { authorId: userId }, data: { authorId: placeholderId } });
      await tx.note.updateMany({ where: { deletedById: userId }, data: { deletedById: placeholderId } });

      await handOverGroups(tx, userId, placeholderId, now);
      await tx.groupInvite.updateMany({ where: { createdById: userId }, data: { createdById: placeholderId } });
      await tx.userSuspension.updateMany({ where: { createdById: userId }, data: { createdById: placeholderId } });
      await tx.moderationLog.updateMany({ where: { actorId: userId }, data: { actorId: placeholderId } });
      await tx.moderationLog.updateMany({ where: { targetUserId: userId }, data: { targetUserId: placeholderId } });
      await redactFreeText(tx, user.name, email);

      // Keys and rows that carry the address or the id in their text rather than in a foreign key.
      await tx.$executeRaw`DELETE FROM rate_limit_bucket WHERE strpos(lower(key), ${email}) > 0 OR strpos(key, ${userId}) > 0 OR key = ${signInAccountKey(email)}`;
      await tx.$executeRaw`
        DELETE FROM verification
        WHERE strpos(lower(identifier), ${email}) > 0 OR strpos(identifier, ${userId}) > 0
           OR strpos(lower(value), ${email}) > 0 OR strpos(value, ${userId}) > 0`;
      // Their queued mail and its sending jobs, and the jobs of their exports, go with them.
      const mails = await tx.$queryRaw<{ id: string }[]>`
        DELETE FROM mail_outbox WHERE user_id = ${userId} OR lower(to_address) = ${email} RETURNING id::text`;
      const exports = await tx.dataExport.findMany({ where: { userId }, select: { id: true } });
      const ids = [...mails.map((row) => row.id), ...exports.map((row) => row.id)];
      if (ids.length > 0) {
        await tx.$executeRaw`
          DELETE FROM job WHERE status <> 'running' AND (payload->>'mailId' = ANY(${ids}) OR payload->>'exportId' = ANY(${ids}))`;
      }
      // A running job is another transaction's; it finds the account gone and does nothing.
      await tx.$executeRaw`
        DELETE FROM job WHERE status <> 'running'
          AND (strpos(payload::text, ${userId}) > 0 OR strpos(lower(payload::text), ${email}) > 0)`;

      await tx.user.delete({ where: { id: userId } });
      return { placeholderId, publicArticleIds, erasedNotes: erased + shells, keptNotes: kept.count };
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}

/**
 * Erases the user's private notes, their already-deleted notes and (eraseShared) their public and
 * group notes. Hard-deletes what nothing else points at; a note with replies of others (or of a
 * reply that must stay), or named by the moderation log, is purged in place instead: its thread
 * keeps its shape and shows a deleted placeholder.
 */
async function eraseNotes(tx: Tx, userId: string, eraseShared: boolean, placeholderId: string, now: Date): Promise<{ erased: number; shells: number }> {
  const targets = await tx.$queryRaw<{ id: string; parent_id: string | null; depth: number }[]>`
    SELECT id::text, parent_id::text, depth FROM note
    WHERE author_id = ${userId} AND (visibility = 'private' OR deleted_at IS NOT NULL OR ${eraseShared})`;
  if (targets.length === 0) return { erased: 0, shells: 0 };
  const ids = targets.map((note) => note.id);
  const inSet = new Set(ids);
  const pinned = new Set<string>();
  // Parents of notes that stay (someone else's replies) and notes the log names must stay.
  for (const row of await tx.$queryRaw<{ parent_id: string }[]>`
    SELECT DISTINCT parent_id::text FROM note WHERE parent_id = ANY(${ids}::uuid[]) AND NOT (id = ANY(${ids}::uuid[]))`) {
    pinned.add(row.parent_id);
  }
  for (const row of await tx.$queryRaw<{ note_id: string }[]>`
    SELECT DISTINCT note_id::text FROM moderation_log WHERE note_id = ANY(${ids}::uuid[])`) {
    pinned.add(row.note_id);
  }
  // A pinned note's ancestors among the targets stay too (its parent link must still resolve).
  const parentOf = new Map(targets.map((note) => [note.id, note.parent_id]));
  for (const id of [...pinned]) {
    let parent = parentOf.get(id) ?? null;
    while (parent && inSet.has(parent) && !pinned.has(parent)) {
      pinned.add(parent);
      parent = parentOf.get(parent) ?? null;
    }
  }
  const shells = ids.filter((id) => pinned.has(id));
  const deletable = targets.filter((note) => !pinned.has(note.id));

  if (deletable.length > 0) {
    const deletableIds = deletable.map((note) => note.id);
    // A question answered by a reply that goes is simply unanswered again.
    await tx.$executeRaw`UPDATE note SET answered_by_id = NULL, answered_at = NULL WHERE answered_by_id = ANY(${deletableIds}::uuid[])`;
    // Deepest first: a reply goes before the note it answers (parent_id is ON DELETE RESTRICT).
    const depths = [...new Set(deletable.map((note) => note.depth))].sort((a, b) => b - a);
    for (const depth of depths) {
      const level = deletable.filter((note) => note.depth === depth).map((note) => note.id);
      await tx.$executeRaw`DELETE FROM note WHERE id = ANY(${level}::uuid[])`;
    }
  }
  if (shells.length > 0) {
    await tx.$executeRaw`DELETE FROM note_revision WHERE note_id = ANY(${shells}::uuid[])`;
    await tx.$executeRaw`
      UPDATE note SET body = '', tag = NULL, quote_exact = NULL, quote_prefix = NULL, quote_suffix = NULL, via = NULL, client_key = NULL,
        purged_at = COALESCE(purged_at, ${now}), deleted_at = COALESCE(deleted_at, ${now}), author_id = ${placeholderId}, updated_at = ${now}
      WHERE id = ANY(${shells}::uuid[])`;
  }
  return { erased: deletable.length, shells: shells.length };
}

/** Groups keep working without the user: created_by moves to the placeholder, ownership to someone else. */
async function handOverGroups(tx: Tx, userId: string, placeholderId: string, now: Date): Promise<void> {
  await tx.group.updateMany({ where: { createdById: userId }, data: { createdById: placeholderId } });
  // Not a visibility check (lib/permissions): who inherits a group, whether or not it is live.
  const owned = await tx.groupMember.findMany({ where: { userId, role: "owner" }, select: { groupId: true } });
  for (const { groupId } of owned) {
    if ((await tx.groupMember.count({ where: { groupId, role: "owner", userId: { not: userId } } })) > 0) continue;
    // GroupRole is declared owner, moderator, member: ascending puts the moderators first.
    const heir = await tx.groupMember.findFirst({
      where: { groupId, userId: { not: userId } },
      orderBy: [{ role: "asc" }, { joinedAt: "asc" }, { userId: "asc" }],
      select: { userId: true },
    });
    if (heir) await tx.groupMember.update({ where: { groupId_userId: { groupId, userId: heir.userId } }, data: { role: "owner" } });
    // Nobody left to own it: gone for everyone, its notes kept for an admin to restore.
    else await tx.$executeRaw`UPDATE "group" SET deleted_at = ${now}, version = version + 1 WHERE id = ${groupId}::uuid AND deleted_at IS NULL`;
  }
}

/** Moderators' reasons, suspension reasons and flag details that name the account. */
async function redactFreeText(tx: Tx, name: string, email: string): Promise<void> {
  const redact = redactor(name, email);
  const logRows = await tx.$queryRaw<{ id: string; public_reason: string; internal_note: string }[]>`
    SELECT id::text, public_reason, internal_note FROM moderation_log
    WHERE ${mentions(Prisma.sql`public_reason`, name, email)} OR ${mentions(Prisma.sql`internal_note`, name, email)}`;
  for (const row of logRows) {
    await tx.moderationLog.update({ where: { id: row.id }, data: { publicReason: redact(row.public_reason), internalNote: redact(row.internal_note) } });
  }
  const suspensions = await tx.$queryRaw<{ id: string; reason: string }[]>`
    SELECT id::text, reason FROM user_suspension WHERE ${mentions(Prisma.sql`reason`, name, email)}`;
  for (const row of suspensions) await tx.userSuspension.update({ where: { id: row.id }, data: { reason: redact(row.reason) } });
  const flags = await tx.$queryRaw<{ id: string; details: string }[]>`
    SELECT id::text, details FROM note_flag WHERE details IS NOT NULL AND (${mentions(Prisma.sql`details`, name, email)})`;
  for (const row of flags) await tx.noteFlag.update({ where: { id: row.id }, data: { details: redact(row.details) } });
}
