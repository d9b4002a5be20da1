import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createAppTestDatabase, createTestDatabase, query } from "@/lib/testing/test-database";
import { signUpTestUser, type TestUser } from "@/lib/testing/test-users";
import { EmbeddedPgBusyError, runningEmbeddedUrl, startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { BackupFormatError, type BackupHeader } from "./backup-file";
import { createBackup } from "./create-backup";
import { restoreBackup, RestoreRefusedError } from "./restore-backup";

// Backup → restore round trips against real databases: a source filled through the app's own
// data layer (accounts, notes, groups, moderation, revisions) and by SQL for the awkward values,
// restored into fresh databases and compared table by table, row by row.

vi.mock("next/cache", () => ({ unstable_cache: <T>(fn: T) => fn, revalidateTag: vi.fn(), updateTag: vi.fn() }));

const execFileAsync = promisify(execFile);
const projectRoot = path.resolve(import.meta.dirname, "../../..");
const SLUG = "japan-patriot-missile-export";
const PASSWORD = "correct horse battery staple";
// Every character COPY's text format has to escape, plus text outside the BMP and Japanese.
const AWKWARD = "tab\there, newline\nhere, CR\rhere, backslash \\ and \\N and \\. 「日本語」 🎌 end";

type Db = Awaited<ReturnType<typeof createTestDatabase>>;

let source: Db;
const extraDatabases: Db[] = [];
const extraRoles: string[] = [];
let tmp: string;
let backupFile: string;
let author: TestUser;
let moderator: TestUser;
let paragraphId: string;


async function emptyDatabase(prefix: string): Promise<Db> {
  const db = await createTestDatabase(prefix);
  extraDatabases.push(db);
  return db;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Per table: row count and an md5 over the rows' text forms in a fixed order. */
async function fingerprint(url: string): Promise<Record<string, { rows: number; md5: string | null }>> {
  const tables = await query<{ name: string }>(
    url,
    "SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1",
  );
  const result: Record<string, { rows: number; md5: string | null }> = {};
  for (const { name } of tables) {
    const [row] = await query<{ rows: number; md5: string | null }>(
      url,
      `SELECT count(*)::int AS rows, md5(string_agg(t::text, E'\\n' ORDER BY t::text)) AS md5 FROM "${name}" t`,
    );
    result[name] = row!;
  }
  return result;
}

beforeAll(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), "taiyaku-backup-test-"));
  backupFile = path.join(tmp, "source.backup.gz");
  source = await createAppTestDatabase("backup_src");
  const prisma = (await import("@/lib/db/prisma")).getPrisma();
  const { createNote, createReply } = await import("@/features/notes/mutations");
  const { createGroup } = await import("@/features/groups/mutations");
  const { actOnNote } = await import("@/features/moderation/mutations");

  author = await signUpTestUser("Backup Author");
  moderator = await signUpTestUser("Backup Moderator");
  await prisma.user.update({ where: { id: moderator.id }, data: { role: "moderator" } });
  const article = await prisma.article.findUniqueOrThrow({
    where: { slug: SLUG },
    select: { id: true, paragraphs: { where: { position: { gt: 0 } }, select: { id: true }, orderBy: { position: "asc" } } },
  });
  paragraphId = article.paragraphs[0]!.id;

  const group = await createGroup(author, { name: "Backup readers", description: AWKWARD, languageFocus: null });
  const notes = [];
  for (let i = 0; i < 6; i += 1) {
    const created = await createNote(author, {
      paragraphId: article.paragraphs[i % article.paragraphs.length]!.id,
      locale: i % 2 ? "ja" : "en",
      kind: "comment",
      visibility: i === 5 ? "group" : "public",
      groupId: i === 5 ? group.group.id : undefined,
      body: `${AWKWARD} #${i}`,
      tag: i === 0 ? "question" : null,
      idempotencyKey: `backup-note-${i}-${randomUUID().slice(0, 8)}`,
    });
    if (!created.ok) throw new Error(`createNote: ${created.code}`);
    notes.push(created.note);
  }
  const reply = await createReply(moderator, { parentId: notes[0]!.id, locale: "en", body: "a reply", idempotencyKey: `backup-reply-${randomUUID().slice(0, 8)}` });
  if (!reply.ok) throw new Error(`createReply: ${reply.code}`);
  const hidden = await actOnNote({ id: moderator.id, role: "moderator" }, { site: true, admin: false, groupIds: [] }, notes[1]!.id, {
    action: "hide",
    version: notes[1]!.version,
    publicReason: AWKWARD,
    internalNote: "internal",
  } as never);
  if (!hidden.ok) throw new Error(`actOnNote: ${hidden.code}`);
  // A second revision of the article, as the authoring flow appends it (the seed wrote the first).
  await prisma.$executeRaw`
    INSERT INTO article_revision (id, article_id, number, summary, snapshot, created_at)
    SELECT gen_random_uuid(), article_id, number + 1, ${AWKWARD}, snapshot, now() FROM article_revision WHERE article_id = ${article.id}::uuid AND number = 1`;
});

afterAll(async () => {
  const prisma = (await import("@/lib/db/prisma")).getPrisma();
  await prisma.$disconnect();
  for (const db of extraDatabases) await db.drop().catch(() => undefined);
  if (source && extraRoles.length > 0) {
    const admin = new URL(source.url);
    admin.pathname = "/postgres";
    for (const role of extraRoles) await query(admin.toString(), `DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
  }
  await source?.drop();
  if (tmp) await fsp.rm(tmp, { recursive: true, force: true });
});

describe("db:backup / db:restore", () => {
  it("writes one gzip'd file whose header lists the migrations, tables and row counts", async () => {
    const summary = await createBackup(source.url, backupFile);
    expect(fs.existsSync(`${backupFile}.partial`)).toBe(false);
    expect(summary.bytes).toBe((await fsp.stat(backupFile)).size);

    const lines = zlib.gunzipSync(await fsp.readFile(backupFile)).toString("utf8").split("\n");
    expect(lines[0]).toBe("TAIYAKU-BACKUP 1");
    const header = JSON.parse(lines[1]!) as BackupHeader;
    const applied = await query<{ migration_name: string; checksum: string }>(source.url, "SELECT migration_name, checksum FROM _prisma_migrations ORDER BY 1");
    expect(header.migrations.map((m) => [m.name, m.checksum])).toEqual(applied.map((m) => [m.migration_name, m.checksum]));
    // Tables come from the catalog: every table of the schema, the migration history included.
    const expected = Object.keys(await fingerprint(source.url)).sort();
    expect(header.tables.map((t) => t.name).sort()).toEqual(expected);
    // Parents before children, so an owner-mode restore can keep the foreign keys checked.
    const order = header.tables.map((t) => t.name);
    expect(order.indexOf("article")).toBeLessThan(order.indexOf("paragraph"));
    expect(order.indexOf("user")).toBeLessThan(order.indexOf("note"));
    expect(order.indexOf("note")).toBeLessThan(order.indexOf("moderation_log"));

    const counts = Object.fromEntries(summary.tables.map((t) => [t.name, t.rows]));
    expect(counts.moderation_log).toBe(1);
    expect(counts.article_revision).toBe(2);
    expect(counts.note).toBe(7);
    expect(counts.user).toBe(2);
    expect(summary.rows).toBe(Object.values(counts).reduce((a, b) => a + b, 0));
    expect(lines.at(-2)).toBe(JSON.stringify({ end: true, tables: header.tables.length, rows: summary.rows }));
  });

  it("refuses to overwrite an existing file unless asked", async () => {
    await expect(createBackup(source.url, backupFile)).rejects.toThrow(/already exists/);
  });

  it("restores into an empty database with identical rows in every table, and the guards active again", async () => {
    const target = await emptyDatabase("backup_dst");
    const summary = await restoreBackup(target.url, backupFile);
    expect(summary.mode).toBe("replica");

    const before = await fingerprint(source.url);
    const after = await fingerprint(target.url);
    expect(Object.keys(after)).toEqual(Object.keys(before));
    for (const name of Object.keys(before)) expect({ name, ...after[name] }).toEqual({ name, ...before[name] });
    expect(after.moderation_log!.rows).toBe(1);
    expect(after.note!.rows).toBe(7);

    // The awkward text survived COPY's escaping byte for byte.
    const [group] = await query<{ description: string }>(target.url, `SELECT description FROM "group" WHERE name = 'Backup readers'`);
    expect(group!.description).toBe(AWKWARD);

    // Append-only tables: still append-only after the restore.
    await expect(query(target.url, "UPDATE moderation_log SET public_reason = 'rewritten'")).rejects.toThrow(/append-only/);
    await expect(query(target.url, "DELETE FROM moderation_log")).rejects.toThrow(/append-only/);
    await expect(query(target.url, "UPDATE article_revision SET summary = 'rewritten'")).rejects.toThrow(/append-only/);
    const disabled = await query(target.url, "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled = 'D'");
    expect(disabled).toEqual([]);
  });

  it("refuses a database that is not empty, and changes nothing in it", async () => {
    const before = await fingerprint(source.url);
    const error = await restoreBackup(source.url, backupFile).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RestoreRefusedError);
    expect((error as Error).message).toMatch(/is not empty \(rows in .*\)\. db:restore only restores into an empty database/);
    expect(await fingerprint(source.url)).toEqual(before);
  });

  it("refuses a backup that needs a migration this checkout does not have", async () => {
    const migrations = path.join(tmp, "older-checkout");
    const all = (await fsp.readdir(path.join(projectRoot, "prisma", "migrations"), { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    await fsp.mkdir(migrations);
    for (const name of all.slice(0, -1)) await fsp.cp(path.join(projectRoot, "prisma", "migrations", name), path.join(migrations, name), { recursive: true });
    const target = await emptyDatabase("backup_old");
    await expect(restoreBackup(target.url, backupFile, { migrationsDir: migrations })).rejects.toThrow(
      new RegExp(`needs 1 migration\\(s\\) this checkout does not have \\(${all.at(-1)}\\)`),
    );
    expect(await query(target.url, "SELECT 1 FROM pg_tables WHERE schemaname = 'public'")).toEqual([]);
  });

  it("covers tables a later migration adds: sequences, identity and generated columns included", async () => {
    // A checkout with one more migration than the committed ones, as a future feature would add.
    const migrations = path.join(tmp, "newer-checkout");
    await fsp.cp(path.join(projectRoot, "prisma", "migrations"), migrations, { recursive: true });
    await fsp.mkdir(path.join(migrations, "99991231000000_backup_test_counters"));
    await fsp.writeFile(
      path.join(migrations, "99991231000000_backup_test_counters", "migration.sql"),
      `CREATE SEQUENCE backup_test_ticket START 100;
       CREATE TABLE backup_test_counter (
         id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
         ticket bigint NOT NULL DEFAULT nextval('backup_test_ticket'),
         label text NOT NULL,
         shout text GENERATED ALWAYS AS (upper(label)) STORED,
         payload bytea,
         ratio double precision,
         span interval,
         tags text[]
       );`,
    );
    const { deployMigrations } = await import("@/lib/db/migration-engine");
    const from = await emptyDatabase("backup_newer_src");
    await deployMigrations(from.url, { migrationsDir: migrations });
    await query(
      from.url,
      `INSERT INTO backup_test_counter (label, payload, ratio, span, tags) VALUES
         ('one', '\\x00ff0a5c'::bytea, 0.1 + 0.2, '1 day 02:03:04.5', ARRAY['a', 'b c', NULL]),
         ($1, NULL, 'NaN', '-1 mon', '{}'),
         ('three', '\\x', 1e-300, NULL, NULL)`,
      [AWKWARD],
    );
    await query(from.url, "SELECT nextval('backup_test_ticket'), nextval('backup_test_ticket')");
    const file = path.join(tmp, "newer.backup.gz");
    const summary = await createBackup(from.url, file);
    expect(summary.tables.find((t) => t.name === "backup_test_counter")?.rows).toBe(3);

    const to = await emptyDatabase("backup_newer_dst");
    await restoreBackup(to.url, file, { migrationsDir: migrations });
    expect(await fingerprint(to.url)).toEqual(await fingerprint(from.url));
    const sequences = `SELECT (SELECT last_value FROM backup_test_ticket)::int AS ticket,
      (SELECT last_value FROM pg_sequences WHERE sequencename LIKE 'backup_test_counter_id_seq')::int AS identity`;
    expect(await query(to.url, sequences)).toEqual(await query(from.url, sequences));
    // The next row continues both sequences instead of colliding with restored ids.
    const [next] = await query<{ id: string; ticket: string; shout: string }>(to.url, "INSERT INTO backup_test_counter (label) VALUES ('four') RETURNING id, ticket, shout");
    expect(next).toEqual({ id: "4", ticket: "105", shout: "FOUR" });
    // This checkout (without that migration) refuses the backup and says why.
    await expect(restoreBackup((await emptyDatabase("backup_newer_old")).url, file)).rejects.toThrow(/99991231000000_backup_test_counters/);
  });

  it("refuses a truncated file and leaves the database restorable", async () => {
    const whole = zlib.gunzipSync(await fsp.readFile(backupFile));
    // Cut inside the note table's rows: the migrations run, the load fails and rolls back.
    const cut = whole.subarray(0, whole.indexOf(Buffer.from('{"table":"note"}')) + 40);
    const truncated = path.join(tmp, "truncated.backup.gz");
    await fsp.writeFile(truncated, zlib.gzipSync(cut));
    const target = await emptyDatabase("backup_cut");
    const error = await restoreBackup(target.url, truncated).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupFormatError);
    expect((error as Error).message).toMatch(/truncated.*Nothing was loaded.*can be run again/);
    const [row] = await query<{ n: number }>(target.url, "SELECT count(*)::int AS n FROM note");
    expect(row!.n).toBe(0);
    // …and the same database then takes the good file.
    await restoreBackup(target.url, backupFile);
    expect((await fingerprint(target.url)).note).toEqual((await fingerprint(source.url)).note);

    const garbage = path.join(tmp, "garbage.backup.gz");
    await fsp.writeFile(garbage, "not a backup at all\n");
    await expect(restoreBackup((await emptyDatabase("backup_garbage")).url, garbage)).rejects.toThrow(/not a readable Taiyaku backup/);
  });

  it("restores as a non-superuser that owns the database, disabling only the user triggers", async () => {
    const role = `backup_owner_${randomUUID().slice(0, 8)}`;
    const admin = new URL(source.url);
    admin.pathname = "/postgres";
    await query(admin.toString(), `CREATE ROLE ${role} LOGIN PASSWORD 'owner-password'`);
    extraRoles.push(role);
    const target = await emptyDatabase("backup_owner");
    await query(admin.toString(), `ALTER DATABASE "${target.name}" OWNER TO ${role}`);
    await query(target.url, `ALTER SCHEMA public OWNER TO ${role}`);
    const url = new URL(target.url);
    url.username = role;
    url.password = "owner-password";

    const summary = await restoreBackup(url.toString(), backupFile);
    expect(summary.mode).toBe("owner");
    expect(await fingerprint(target.url)).toEqual(await fingerprint(source.url));
    const disabled = await query(target.url, "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled = 'D'");
    expect(disabled).toEqual([]);
    await expect(query(target.url, "DELETE FROM moderation_log")).rejects.toThrow(/append-only/);
  });

  it("takes one consistent snapshot while the app keeps writing", async () => {
    const { createNote } = await import("@/features/notes/mutations");
    const [{ n: notesBefore }] = (await query<{ n: number }>(source.url, "SELECT count(*)::int AS n FROM note")) as [{ n: number }];
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        const created = await createNote(author, {
          paragraphId,
          locale: "en",
          kind: "comment",
          visibility: "public",
          body: `during the backup ${written}`,
          tag: written % 3 === 0 ? "question" : null,
          idempotencyKey: `during-backup-${randomUUID()}`,
        });
        if (!created.ok) throw new Error(`createNote: ${created.code}`);
        written += 1;
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const file = path.join(tmp, "during-writes.backup.gz");
    const summary = await createBackup(source.url, file);
    writing = false;
    await writer;
    expect(written).toBeGreaterThan(2);

    const target = await emptyDatabase("backup_live");
    await restoreBackup(target.url, file);
    const [{ n: restoredNotes }] = (await query<{ n: number }>(target.url, "SELECT count(*)::int AS n FROM note")) as [{ n: number }];
    expect(restoredNotes).toBe(summary.tables.find((t) => t.name === "note")!.rows);
    expect(restoredNotes).toBeGreaterThan(notesBefore);
    expect(restoredNotes).toBeLessThanOrEqual(notesBefore + written);
    // note and its derived counters were read from the same instant: they agree exactly.
    const mismatched = await query(
      target.url,
      `SELECT s.paragraph_id FROM paragraph_note_stats s
       FULL JOIN (SELECT paragraph_id, count(*)::int AS n FROM note WHERE visibility = 'public' AND status = 'visible' AND deleted_at IS NULL GROUP BY 1) c
         ON c.paragraph_id = s.paragraph_id
       WHERE coalesce(s.public_count, 0) <> coalesce(c.n, 0)`,
    );
    expect(mismatched).toEqual([]);
  });

  it("reaches a running embedded cluster through its lock file instead of starting a second one", async () => {
    const dataDir = path.join(tmp, "embedded");
    const cluster = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: "taiyaku", persistent: true });
    try {
      await expect(startEmbeddedPostgres({ dataDir, port: await freePort(), database: "taiyaku" })).rejects.toBeInstanceOf(EmbeddedPgBusyError);
      const url = runningEmbeddedUrl(cluster.dataDir, "taiyaku");
      expect(url).toBe(cluster.url);
      expect(await query<{ db: string }>(url!, "SELECT current_database() AS db")).toEqual([{ db: "taiyaku" }]);
    } finally {
      await cluster.stop();
    }
    expect(runningEmbeddedUrl(cluster.dataDir, "taiyaku")).toBeNull();
  });

  it("gives a working app on the restored database: sign-in, reads, writes and their triggers", async () => {
    const target = await emptyDatabase("backup_app");
    await restoreBackup(target.url, backupFile);

    // Point the app's modules at the restored database: its Prisma client and auth are
    // created from DATABASE_URL on first use.
    const globals = globalThis as unknown as { taiyakuPrisma?: { $disconnect(): Promise<void> }; taiyakuAuth?: unknown };
    await globals.taiyakuPrisma?.$disconnect();
    delete globals.taiyakuPrisma;
    delete globals.taiyakuAuth;
    process.env.DATABASE_URL = target.url;
    const { getAuth } = await import("@/lib/auth/better-auth");
    const signIn = await getAuth().api.signInEmail({ body: { email: author.email, password: PASSWORD }, asResponse: true });
    expect(signIn.status).toBe(200);
    // The session cookie made on the source database is valid on the restored one.
    const session = await getAuth().api.getSession({ headers: new Headers({ cookie: author.cookie }) });
    expect(session?.user.id).toBe(author.id);

    const { getParagraphThreads } = await import("@/features/notes/data");
    const { createNote } = await import("@/features/notes/mutations");
    const threads = await getParagraphThreads(paragraphId, author.id);
    // The question (and its reply) written on the source database, read through the data layer.
    expect(JSON.stringify(threads)).toContain("a reply");
    const created = await createNote(author, {
      paragraphId,
      locale: "en",
      kind: "comment",
      visibility: "public",
      body: "written after the restore",
      tag: null,
      idempotencyKey: `after-restore-${randomUUID().slice(0, 8)}`,
    });
    expect(created.ok).toBe(true);
    // The stats triggers were off for the load (no double counting) and are on again (the new note counts).
    const mismatched = await query(
      target.url,
      `SELECT s.paragraph_id FROM paragraph_note_stats s
       LEFT JOIN (SELECT paragraph_id, count(*)::int AS n FROM note WHERE visibility = 'public' AND status = 'visible' AND deleted_at IS NULL GROUP BY 1) c
         ON c.paragraph_id = s.paragraph_id
       WHERE s.public_count <> coalesce(c.n, 0)`,
    );
    expect(mismatched).toEqual([]);
    const [stats] = await query<{ public_count: number }>(target.url, "SELECT public_count FROM paragraph_note_stats WHERE paragraph_id = $1", [paragraphId]);
    expect(stats!.public_count).toBeGreaterThanOrEqual(2);
  });

  it("works as npm scripts: db:backup and db:restore against DATABASE_URL", async () => {
    const file = path.join(tmp, "cli.backup.gz");
    const target = await emptyDatabase("backup_cli");
    const tsx = path.join(projectRoot, "node_modules", ".bin", "tsx");
    const run = (script: string, args: string[], url: string) =>
      execFileAsync(tsx, [path.join(projectRoot, "scripts", script), ...args], {
        cwd: projectRoot,
        env: { ...process.env, DATABASE_URL: url, DIRECT_DATABASE_URL: "", INIT_CWD: tmp },
      });

    const backup = await run("db-backup.ts", ["cli.backup.gz"], source.url);
    expect(backup.stdout).toMatch(/^Backed up DATABASE_URL: \d+ tables, \d+ rows, \d+ migrations, into .*cli\.backup\.gz \([\d.]+ KiB\)/m);
    expect(fs.existsSync(file)).toBe(true);

    const restore = await run("db-restore.ts", [file], target.url);
    expect(restore.stdout).toMatch(/Restored DATABASE_URL from .* every table verified/);
    expect(await fingerprint(target.url)).toEqual(await fingerprint(source.url));

    const refused = await run("db-restore.ts", [file], target.url).catch((error: { code: number; stderr: string }) => error);
    expect(refused).toMatchObject({ code: 1 });
    expect((refused as { stderr: string }).stderr.trim()).toMatch(/^The database .* is not empty/);
  });
});
