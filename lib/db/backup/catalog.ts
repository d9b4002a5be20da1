// What a backup covers, read from PostgreSQL's catalog rather than listed by hand: every plain
// table of the app's schema (a table added by a later migration is backed up without touching
// this code), its stored columns, and the schema's sequences. Objects an extension owns (none
// today; pg_trgm has no tables) come back with the extension when the migrations run.
import pg from "pg";
import { parseDatabaseUrl, pgConnection } from "../database-url";
import { COPY_SESSION_SETTINGS, type BackupColumn, type BackupTable } from "./backup-file";

export const MIGRATIONS_TABLE = "_prisma_migrations";

export type CatalogTable = BackupTable & { oid: number };

/** A client on the URL's database, with the COPY session settings applied. */
export async function connect(url: string): Promise<{ client: pg.Client; schema: string; label: string }> {
  const target = parseDatabaseUrl(url);
  const client = new pg.Client({ ...pgConnection(target), application_name: "taiyaku-backup" });
  client.on("error", () => undefined);
  await client.connect();
  for (const [name, value] of COPY_SESSION_SETTINGS) await client.query(`SELECT set_config($1, $2, false)`, [name, value]);
  return { client, schema: target.schema ?? "public", label: target.label };
}

const notExtensionOwned = `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')`;

/**
 * The schema's tables with their stored columns (generated columns are recomputed on load, so
 * COPY may not name them), ordered so that every table comes after the tables its foreign keys
 * point at (self-references aside), then by name.
 */
export async function readTables(client: pg.Client, schema: string): Promise<CatalogTable[]> {
  const { rows: tables } = await client.query<{ oid: number; name: string }>(
    `SELECT c.oid::int AS oid, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind = 'r' AND ${notExtensionOwned} ORDER BY c.relname`,
    [schema],
  );
  const oids = tables.map((table) => table.oid);
  const { rows: columns } = await client.query<{ oid: number; name: string; type: string }>(
    `SELECT a.attrelid::int AS oid, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a
     WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' ORDER BY a.attrelid, a.attnum`,
    [oids],
  );
  const { rows: references } = await client.query<{ child: number; parent: number }>(
    `SELECT conrelid::int AS child, confrelid::int AS parent FROM pg_constraint
     WHERE contype = 'f' AND conrelid = ANY($1::oid[]) AND confrelid = ANY($1::oid[]) AND conrelid <> confrelid`,
    [oids],
  );
  const columnsOf = new Map<number, BackupColumn[]>();
  for (const column of columns) {
    const list = columnsOf.get(column.oid) ?? [];
    list.push({ name: column.name, type: column.type });
    columnsOf.set(column.oid, list);
  }
  const byOid = new Map(tables.map((table) => [table.oid, { ...table, columns: columnsOf.get(table.oid) ?? [] }]));
  return loadOrder([...byOid.values()], references);
}

/** Parents before children; a cycle of foreign keys (none in this schema) keeps name order for its members. */
function loadOrder(tables: CatalogTable[], references: { child: number; parent: number }[]): CatalogTable[] {
  const parents = new Map<number, Set<number>>();
  for (const { child, parent } of references) {
    const set = parents.get(child) ?? new Set<number>();
    set.add(parent);
    parents.set(child, set);
  }
  const ordered: CatalogTable[] = [];
  const placed = new Set<number>();
  let remaining = tables;
  while (remaining.length > 0) {
    const ready = remaining.filter((table) => [...(parents.get(table.oid) ?? [])].every((parent) => placed.has(parent)));
    const batch = ready.length > 0 ? ready : remaining;
    for (const table of batch) {
      ordered.push(table);
      placed.add(table.oid);
    }
    remaining = remaining.filter((table) => !placed.has(table.oid));
  }
  return ordered;
}

export async function readSequenceNames(client: pg.Client, schema: string): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind = 'S' AND ${notExtensionOwned} ORDER BY c.relname`,
    [schema],
  );
  return rows.map((row) => row.name);
}

export function qualified(client: pg.Client, schema: string, name: string): string {
  return `${client.escapeIdentifier(schema)}.${client.escapeIdentifier(name)}`;
}

export function columnList(client: pg.Client, columns: BackupColumn[]): string {
  return columns.map((column) => client.escapeIdentifier(column.name)).join(", ");
}
