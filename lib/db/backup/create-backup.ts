// `npm run db:backup`: one consistent snapshot of the app's schema, streamed table by table into
// one gzip'd file (format in ./backup-file.ts, reasons in docs/decisions/0025).
import { createHash } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import {
  BACKUP_FORMAT_VERSION,
  BACKUP_MAGIC,
  ChunkedWriter,
  COPY_TERMINATOR,
  jsonLine,
  RowDigest,
  type BackupHeader,
  type BackupMigration,
  type BackupSequence,
  type BackupTrailer,
  type TableFooter,
} from "./backup-file";
import { columnList, connect, MIGRATIONS_TABLE, qualified, readSequenceNames, readTables } from "./catalog";
import { copyOut } from "./pg-copy";

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

export type BackupSummary = {
  file: string;
  bytes: number;
  ms: number;
  migrations: number;
  tables: { name: string; rows: number }[];
  rows: number;
};

export class BackupRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackupRefusedError";
  }
}

/**
 * Writes a backup of the database at `url` to `file`. The file appears only when complete: it is
 * written as `<file>.partial` and renamed at the end, so a failed or interrupted backup never
 * leaves a file that looks like a backup.
 */
export async function createBackup(url: string, file: string, options: { overwrite?: boolean } = {}): Promise<BackupSummary> {
  const t0 = performance.now();
  if (!options.overwrite && fs.existsSync(file)) {
    throw new BackupRefusedError(`${file} already exists; choose another name (or pass --force to replace it).`);
  }
  const partial = `${file}.partial`;
  await fsp.mkdir(path.dirname(file), { recursive: true });
  const { client, schema, label } = await connect(url);
  // Ctrl-C ends the process without unwinding (runDbScript exits after stopping the database).
  const removePartial = () => fs.rmSync(partial, { force: true });
  process.once("exit", removePartial);
  const gzip = zlib.createGzip({ level: 6 });
  const written = pipeline(gzip, fs.createWriteStream(partial, { mode: 0o600 }));
  // A failed write (disk full) surfaces through `written`; keep it from going unhandled meanwhile.
  written.catch(() => undefined);
  const out = ChunkedWriter.forStream(gzip);
  let committed = false;
  try {
    // REPEATABLE READ: every table is read from the same snapshot, while the app keeps running.
    // The ACCESS SHARE locks block nothing the app does, only a concurrent migration's DDL.
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const tables = await readTables(client, schema);
    if (!tables.some((table) => table.name === MIGRATIONS_TABLE)) {
      throw new BackupRefusedError(
        `The database ${label} (schema "${schema}") has no ${MIGRATIONS_TABLE} table: it is not a Taiyaku database, or its migrations never ran.`,
      );
    }
    await client.query("SET LOCAL lock_timeout = '60s'");
    for (const table of tables) await client.query(`LOCK TABLE ${qualified(client, schema, table.name)} IN ACCESS SHARE MODE`);
    await client.query("SET LOCAL lock_timeout = 0");

    const { rows: migrationRows } = await client.query<{ name: string; checksum: string; finished_at: string }>(
      `SELECT migration_name AS name, checksum, finished_at::text FROM ${qualified(client, schema, MIGRATIONS_TABLE)}
       WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
    );
    const migrations: BackupMigration[] = migrationRows.map((row) => ({ name: row.name, checksum: row.checksum, finishedAt: row.finished_at }));
    const sequences: BackupSequence[] = [];
    for (const name of await readSequenceNames(client, schema)) {
      const { rows } = await client.query<{ last_value: string; is_called: boolean }>(`SELECT last_value::text, is_called FROM ${qualified(client, schema, name)}`);
      sequences.push({ name, lastValue: rows[0]!.last_value, isCalled: rows[0]!.is_called });
    }
    const { rows: serverRows } = await client.query<{ version: string; database: string }>(
      "SELECT current_setting('server_version') AS version, current_database() AS database",
    );
    const header: BackupHeader = {
      format: "taiyaku-backup",
      version: BACKUP_FORMAT_VERSION,
      createdAt: new Date().toISOString(),
      app: await appVersion(),
      server: { version: serverRows[0]!.version, database: serverRows[0]!.database, schema },
      migrations,
      tables: tables.map(({ name, columns }) => ({ name, columns })),
      sequences,
    };
    await out.write(`${BACKUP_MAGIC}\n`);
    await out.write(jsonLine(header));

    const summary: BackupSummary["tables"] = [];
    let totalRows = 0;
    for (const table of tables) {
      await out.write(jsonLine({ table: table.name }));
      const sha = createHash("sha256");
      const digest = new RowDigest();
      const rows = copyOut(client, `COPY ${qualified(client, schema, table.name)} (${columnList(client, table.columns)}) TO STDOUT`);
      for await (const chunk of rows as AsyncIterable<Buffer>) {
        sha.update(chunk);
        digest.update(chunk);
        await out.write(chunk);
      }
      if (digest.rows !== rows.rowCount) throw new Error(`COPY of ${table.name} sent ${digest.rows} rows but reported ${rows.rowCount}.`);
      await out.write(`${COPY_TERMINATOR}\n`);
      const footer: TableFooter = { rows: digest.rows, sha256: sha.digest("hex"), digest: digest.hex() };
      await out.write(jsonLine(footer));
      summary.push({ name: table.name, rows: digest.rows });
      totalRows += digest.rows;
    }
    const trailer: BackupTrailer = { end: true, tables: tables.length, rows: totalRows };
    await out.write(jsonLine(trailer));
    await out.flush();
    await client.query("COMMIT");
    committed = true;
    gzip.end();
    await written;
    await fsp.rename(partial, file);
    const { size } = await fsp.stat(file);
    return { file, bytes: size, ms: Math.round(performance.now() - t0), migrations: migrations.length, tables: summary, rows: totalRows };
  } catch (error) {
    gzip.destroy();
    await written.catch(() => undefined);
    await fsp.rm(partial, { force: true });
    throw error;
  } finally {
    process.off("exit", removePartial);
    if (!committed) await client.query("ROLLBACK").catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

async function appVersion(): Promise<{ name: string; version: string }> {
  const pkg = JSON.parse(await fsp.readFile(path.join(projectRoot, "package.json"), "utf8")) as { name: string; version: string };
  return { name: pkg.name, version: pkg.version };
}
