// `npm run db:restore`: a backup made by ./create-backup.ts into an empty database. The schema
// comes from this checkout's migrations (exactly those the backup's database had applied), the
// rows from the file; one transaction loads and verifies them, so a failed restore leaves the
// schema without data and can simply be run again. Reasons in docs/decisions/0025.
import { createHash } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import type pg from "pg";
import { deployMigrations } from "../migration-engine";
import {
  BACKUP_FORMAT_VERSION,
  BACKUP_MAGIC,
  BackupFormatError,
  ChunkedWriter,
  COPY_TERMINATOR,
  LineReader,
  RowDigest,
  type BackupHeader,
  type BackupTable,
  type BackupTrailer,
  type TableFooter,
} from "./backup-file";
import { columnList, connect, MIGRATIONS_TABLE, qualified, readSequenceNames, readTables } from "./catalog";
import { copyIn, copyOut } from "./pg-copy";

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const defaultMigrationsDir = path.join(projectRoot, "prisma", "migrations");

export type RestoreSummary = {
  ms: number;
  migrations: number;
  tables: { name: string; rows: number }[];
  rows: number;
  /** "replica": triggers and foreign keys off for the load (superuser); "owner": user triggers disabled by name, tables in foreign-key order. */
  mode: "replica" | "owner";
  backup: { createdAt: string; appVersion: string };
};

export class RestoreRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RestoreRefusedError";
  }
}

type Options = { migrationsDir?: string; log?: (message: string) => void };

export async function restoreBackup(url: string, file: string, options: Options = {}): Promise<RestoreSummary> {
  const t0 = performance.now();
  const log = options.log ?? (() => undefined);
  const migrationsDir = options.migrationsDir ?? defaultMigrationsDir;
  if (!fs.existsSync(file)) throw new RestoreRefusedError(`${file} does not exist.`);

  const source = fs.createReadStream(file);
  const gunzip = zlib.createGunzip();
  source.on("error", (error) => gunzip.destroy(error));
  source.pipe(gunzip);
  const reader = new LineReader(gunzip);
  try {
    const header = await readHeader(reader, file);
    await checkLocalMigrations(header, migrationsDir);

    const { client, schema, label } = await connect(url);
    try {
      await checkEmpty(client, schema, label, header);
      log(`Applying the backup's ${header.migrations.length} migration(s)…`);
      await applyBackupMigrations(url, header, migrationsDir);
      await checkSchemaMatches(client, schema, header);
      const loaded = await load(client, schema, header, reader, log);
      return {
        ms: Math.round(performance.now() - t0),
        migrations: header.migrations.length,
        tables: loaded.tables,
        rows: loaded.tables.reduce((sum, table) => sum + table.rows, 0),
        mode: loaded.mode,
        backup: { createdAt: header.createdAt, appVersion: header.app.version },
      };
    } finally {
      await client.end().catch(() => undefined);
    }
  } catch (error) {
    if ((error as { code?: string }).code === "Z_DATA_ERROR" || (error as { code?: string }).code === "Z_BUF_ERROR") {
      throw new BackupFormatError("it is not gzip data, or it is damaged or truncated");
    }
    throw error;
  } finally {
    source.destroy();
    gunzip.destroy();
  }
}

async function readHeader(reader: LineReader, file: string): Promise<BackupHeader> {
  const magic = await reader.next();
  if (magic === null || magic.toString("utf8") !== BACKUP_MAGIC) {
    const text = magic?.toString("utf8") ?? "";
    if (text.startsWith("TAIYAKU-BACKUP ")) {
      throw new RestoreRefusedError(`${file} is a backup of a newer format (${text}); restore it with the Taiyaku version that made it or a newer one.`);
    }
    throw new BackupFormatError(`${file} does not start with "${BACKUP_MAGIC}"`);
  }
  const header = await reader.nextJson<BackupHeader>("the header");
  if (header.format !== "taiyaku-backup" || header.version !== BACKUP_FORMAT_VERSION || !Array.isArray(header.tables) || !Array.isArray(header.migrations)) {
    throw new BackupFormatError("its header is not one this version understands");
  }
  return header;
}

/** Every migration the backup's database had must exist here, byte for byte (Prisma's sha256 checksum). */
async function checkLocalMigrations(header: BackupHeader, migrationsDir: string): Promise<void> {
  const missing: string[] = [];
  const changed: string[] = [];
  for (const migration of header.migrations) {
    const sql = await fsp.readFile(path.join(migrationsDir, migration.name, "migration.sql")).catch(() => null);
    if (sql === null) missing.push(migration.name);
    else if (createHash("sha256").update(sql).digest("hex") !== migration.checksum) changed.push(migration.name);
  }
  const made = `the backup was made by Taiyaku ${header.app.version}`;
  if (missing.length > 0) {
    throw new RestoreRefusedError(
      `The backup needs ${missing.length} migration(s) this checkout does not have (${missing.join(", ")}); ${made}: restore it with that version or a newer one.`,
    );
  }
  if (changed.length > 0) {
    throw new RestoreRefusedError(
      `Migration(s) ${changed.join(", ")} in this checkout differ from the ones the backed-up database ran (their checksums differ); ${made}: restore it with that version.`,
    );
  }
}

/** Empty: no table holds a row (the migration history aside) and nothing is applied that the backup lacks. */
async function checkEmpty(client: pg.Client, schema: string, label: string, header: BackupHeader): Promise<void> {
  const tables = await readTables(client, schema);
  const withRows: string[] = [];
  for (const table of tables) {
    if (table.name === MIGRATIONS_TABLE) continue;
    const { rows } = await client.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${qualified(client, schema, table.name)}) AS any`);
    if (rows[0]!.any) withRows.push(table.name);
  }
  const howTo =
    "db:restore only restores into an empty database. For the embedded database: stop Taiyaku, move .data/postgres aside " +
    "(e.g. mv .data/postgres .data/postgres.old) and run db:restore again; for another PostgreSQL: create a new database and point DATABASE_URL at it.";
  if (withRows.length > 0) {
    const shown = withRows.slice(0, 5).join(", ") + (withRows.length > 5 ? ` and ${withRows.length - 5} more` : "");
    throw new RestoreRefusedError(`The database ${label} is not empty (rows in ${shown}). ${howTo}`);
  }
  if (!tables.some((table) => table.name === MIGRATIONS_TABLE)) return;
  const { rows } = await client.query<{ name: string }>(
    `SELECT migration_name AS name FROM ${qualified(client, schema, MIGRATIONS_TABLE)} WHERE rolled_back_at IS NULL ORDER BY migration_name`,
  );
  const wanted = new Set(header.migrations.map((migration) => migration.name));
  const extra = rows.map((row) => row.name).filter((name) => !wanted.has(name));
  if (extra.length > 0) {
    throw new RestoreRefusedError(
      `The database ${label} already has migration(s) the backup's database did not (${extra.join(", ")}), so the backup's rows would not fit its tables. ${howTo}`,
    );
  }
}

/** Runs exactly the backup's migrations, not any newer ones: the rows fit that schema (npm start applies the rest on real data afterwards). */
async function applyBackupMigrations(url: string, header: BackupHeader, migrationsDir: string): Promise<void> {
  const subset = await fsp.mkdtemp(path.join(os.tmpdir(), "taiyaku-restore-migrations-"));
  try {
    await fsp.copyFile(path.join(migrationsDir, "migration_lock.toml"), path.join(subset, "migration_lock.toml")).catch(() => undefined);
    for (const migration of header.migrations) {
      await fsp.mkdir(path.join(subset, migration.name));
      await fsp.copyFile(path.join(migrationsDir, migration.name, "migration.sql"), path.join(subset, migration.name, "migration.sql"));
    }
    await deployMigrations(url, { migrationsDir: subset });
  } finally {
    await fsp.rm(subset, { recursive: true, force: true });
  }
}

async function checkSchemaMatches(client: pg.Client, schema: string, header: BackupHeader): Promise<void> {
  const here = new Map((await readTables(client, schema)).map((table) => [table.name, table]));
  const problems: string[] = [];
  for (const table of header.tables) {
    const local = here.get(table.name);
    if (!local) {
      problems.push(`table ${table.name} is missing`);
      continue;
    }
    const describe = (t: BackupTable) => t.columns.map((column) => `${column.name} ${column.type}`).join(", ");
    if (describe(local) !== describe(table)) problems.push(`table ${table.name} has columns (${describe(local)}), the backup (${describe(table)})`);
    here.delete(table.name);
  }
  for (const name of here.keys()) problems.push(`table ${name} is not in the backup`);
  const sequences = new Set(await readSequenceNames(client, schema));
  for (const sequence of header.sequences) if (!sequences.has(sequence.name)) problems.push(`sequence ${sequence.name} is missing`);
  if (problems.length > 0) {
    throw new RestoreRefusedError(`After running the backup's migrations the schema differs from the backed-up one: ${problems.join("; ")}.`);
  }
}

async function load(
  client: pg.Client,
  schema: string,
  header: BackupHeader,
  reader: LineReader,
  log: (message: string) => void,
): Promise<{ tables: { name: string; rows: number }[]; mode: RestoreSummary["mode"] }> {
  const byName = new Map(header.tables.map((table) => [table.name, table]));
  const footers = new Map<string, TableFooter>();
  const loaded: { name: string; rows: number }[] = [];
  let committed = false;
  await client.query("BEGIN");
  try {
    const { mode, reenable } = await bypassTriggers(client, schema);
    // The migrations just wrote their own history rows; the backup's (original dates, any
    // rolled-back attempts) replace them, so this table too comes back as it was.
    await client.query(`DELETE FROM ${qualified(client, schema, MIGRATIONS_TABLE)}`);

    for (;;) {
      const marker = await reader.nextJson<{ table?: string } & Partial<BackupTrailer>>("a table or the end marker");
      if (marker.end) {
        if (marker.tables !== footers.size) throw new BackupFormatError(`it announces ${marker.tables} tables but holds ${footers.size}`);
        break;
      }
      const table = marker.table ? byName.get(marker.table) : undefined;
      if (!table || footers.has(table.name)) throw new BackupFormatError(`it holds an unexpected section "${marker.table}"`);
      const footer = await loadTable(client, schema, table, reader);
      footers.set(table.name, footer);
      loaded.push({ name: table.name, rows: footer.rows });
      if (footer.rows >= 10_000) log(`Loaded ${footer.rows} rows into ${table.name}.`);
    }
    const absent = header.tables.filter((table) => !footers.has(table.name)).map((table) => table.name);
    if (absent.length > 0) throw new BackupFormatError(`it has no rows section for ${absent.join(", ")}`);

    for (const sequence of header.sequences) {
      await client.query(`SELECT setval($1::regclass, $2::bigint, $3)`, [qualified(client, schema, sequence.name), sequence.lastValue, sequence.isCalled]);
    }
    // Read every table back: proves the rows in the database are the backed-up ones (not only
    // that the file arrived intact), in whatever order the database stores them.
    for (const table of header.tables) {
      const digest = new RowDigest();
      const rows = copyOut(client, `COPY ${qualified(client, schema, table.name)} (${columnList(client, table.columns)}) TO STDOUT`);
      for await (const chunk of rows as AsyncIterable<Buffer>) digest.update(chunk);
      const footer = footers.get(table.name)!;
      if (digest.rows !== footer.rows || digest.hex() !== footer.digest) {
        throw new Error(`Verification failed for ${table.name}: the database holds ${digest.rows} rows, the backup ${footer.rows}, and their contents differ.`);
      }
    }
    await reenable();
    await client.query("COMMIT");
    committed = true;
    // Fresh statistics, so the first queries after a restore plan as they did before it.
    await client.query("ANALYZE");
    return { tables: loaded, mode };
  } catch (error) {
    if (error instanceof Error) error.message = `${error.message.replace(/\.?$/, ".")} Nothing was loaded (the database has the schema only); db:restore can be run again.`;
    throw error;
  } finally {
    if (!committed) await client.query("ROLLBACK").catch(() => undefined);
  }
}

/**
 * Rows are loaded as they were, so nothing may act on them: not the append-only guards (which
 * only refuse UPDATE/DELETE, but the history table's own rows are replaced), not the triggers
 * that keep derived tables (note_public_stats would count every note twice: its table is in the
 * backup too), not NOTIFY. `session_replication_role = replica` turns all of them and the
 * foreign-key checks off for this transaction only; it needs a superuser (the embedded database
 * is one) or, on PostgreSQL 15+, `GRANT SET ON PARAMETER session_replication_role`. Otherwise the
 * tables' owner (who just ran the migrations) disables each enabled user trigger by name, inside
 * the transaction, and enables it again before COMMIT; foreign keys stay checked, which the
 * file's parent-first table order satisfies.
 */
async function bypassTriggers(client: pg.Client, schema: string): Promise<{ mode: RestoreSummary["mode"]; reenable: () => Promise<void> }> {
  await client.query("SAVEPOINT replica_role");
  try {
    await client.query("SET LOCAL session_replication_role = replica");
    await client.query("RELEASE SAVEPOINT replica_role");
    return { mode: "replica", reenable: async () => undefined };
  } catch (error) {
    if ((error as { code?: string }).code !== "42501") throw error;
    await client.query("ROLLBACK TO SAVEPOINT replica_role");
  }
  const { rows: triggers } = await client.query<{ table_name: string; trigger_name: string }>(
    `SELECT c.relname AS table_name, t.tgname AS trigger_name FROM pg_trigger t
     JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND NOT t.tgisinternal AND t.tgenabled <> 'D' ORDER BY 1, 2`,
    [schema],
  );
  const alter = async (action: "DISABLE" | "ENABLE") => {
    for (const { table_name, trigger_name } of triggers) {
      await client.query(`ALTER TABLE ${qualified(client, schema, table_name)} ${action} TRIGGER ${client.escapeIdentifier(trigger_name)}`);
    }
  };
  await alter("DISABLE");
  return { mode: "owner", reenable: () => alter("ENABLE") };
}

const newline = Buffer.from("\n");

async function loadTable(client: pg.Client, schema: string, table: BackupTable, reader: LineReader): Promise<TableFooter> {
  const copy = await copyIn(client, `COPY ${qualified(client, schema, table.name)} (${columnList(client, table.columns)}) FROM STDIN`);
  const out = new ChunkedWriter((chunk) => copy.write(chunk));
  const sha = createHash("sha256");
  let rows = 0;
  try {
    for (;;) {
      const line = await reader.next();
      if (line === null) throw new BackupFormatError(`the file ends inside the rows of ${table.name} (it is truncated)`);
      if (line.length === 2 && line.toString("latin1") === COPY_TERMINATOR) break;
      sha.update(line);
      sha.update(newline);
      rows += 1;
      await out.write(line);
      await out.write(newline);
    }
    await out.flush();
  } catch (error) {
    await copy.fail(error instanceof Error ? error.message : String(error));
    throw error;
  }
  const footer = await reader.nextJson<TableFooter>(`the row count of ${table.name}`);
  if (footer.rows !== rows || footer.sha256 !== sha.digest("hex")) {
    await copy.fail("checksum mismatch");
    throw new BackupFormatError(`the rows of ${table.name} do not match their checksum (the file is damaged)`);
  }
  const loaded = await copy.end().catch((error: Error) => {
    throw new Error(`Loading ${table.name} failed: ${error.message}`);
  });
  if (loaded !== rows) throw new Error(`Loading ${table.name}: the file holds ${rows} rows but the database took ${loaded}.`);
  return footer;
}
