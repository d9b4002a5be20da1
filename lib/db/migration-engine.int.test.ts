import { createHash } from "node:crypto";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, query } from "@/lib/testing/test-database";
import { createMigration, deployMigrations, diffMigrationsToSchema, migrationStatus } from "./migration-engine";

const projectRoot = path.resolve(import.meta.dirname, "../..");
const migrationsDir = path.join(projectRoot, "prisma", "migrations");
const schemaPath = path.join(projectRoot, "prisma", "schema.prisma");


async function committedMigrations(): Promise<string[]> {
  return (await readdir(migrationsDir, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
}

/** The committed schema plus one nullable column, as a developer's edit would be. */
async function editedSchema(): Promise<string> {
  const schema = await readFile(schemaPath, "utf8");
  const edited = schema.replace(/(model Article \{\n)/, "$1  subtitle       String?              @db.VarChar(300)\n");
  expect(edited).not.toBe(schema);
  return edited;
}

describe("deployMigrations / migrationStatus", () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    db = await createTestDatabase("migrate");
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("reports every committed migration as pending on an empty database", async () => {
    const status = await migrationStatus(db.url);
    expect(status).toEqual({ pending: await committedMigrations(), applied: [], problems: [] });
  });

  it("applies all migrations to an empty database, recording sha256 checksums like Prisma", async () => {
    const names = await committedMigrations();
    expect(names.length).toBeGreaterThan(0);
    expect(await deployMigrations(db.url)).toEqual({ applied: names });

    const tables = await query<{ table_name: string }>(db.url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
    // Containing, not equal: each feature's migration adds tables and this test is about the engine.
    expect(tables.map((row) => row.table_name)).toEqual(
      expect.arrayContaining(["_prisma_migrations", "article", "article_translation", "paragraph", "paragraph_text", "user", "session", "account"]),
    );

    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      db.url,
      "SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY migration_name",
    );
    const expected = await Promise.all(
      names.map(async (name) => ({
        migration_name: name,
        checksum: createHash("sha256").update(await readFile(path.join(migrationsDir, name, "migration.sql"))).digest("hex"),
      })),
    );
    expect(rows.map(({ migration_name, checksum }) => ({ migration_name, checksum }))).toEqual(expected);
    expect(rows.every((row) => row.finished_at !== null)).toBe(true);
  });

  it("applies nothing the second time and reports the database up to date", async () => {
    expect(await deployMigrations(db.url)).toEqual({ applied: [] });
    expect(await migrationStatus(db.url)).toEqual({ pending: [], applied: await committedMigrations(), problems: [] });
  });

  it("reports a migration edited after it was applied", async () => {
    const copy = await mkdtemp(path.join(tmpdir(), "taiyaku-migrations-"));
    try {
      await cp(migrationsDir, copy, { recursive: true });
      const first = (await committedMigrations())[0]!;
      await writeFile(path.join(copy, first, "migration.sql"), `${await readFile(path.join(copy, first, "migration.sql"), "utf8")}\n-- edited\n`);
      const status = await migrationStatus(db.url, { migrationsDir: copy });
      expect(status.problems).toEqual([expect.stringContaining(`Migration ${first} was changed after it was applied`)]);
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });
});

describe("diffMigrationsToSchema (drift check)", () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    db = await createTestDatabase("drift");
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("finds the committed schema and migrations in sync", async () => {
    expect(await diffMigrationsToSchema(db.url)).toEqual({ sql: "", inSync: true });
  });

  it("finds an edited schema out of sync and shows the missing SQL", async () => {
    const result = await diffMigrationsToSchema(db.url, { schema: await editedSchema() });
    expect(result.inSync).toBe(false);
    expect(result.sql).toContain('ALTER TABLE "article" ADD COLUMN     "subtitle" VARCHAR(300);');
  });

  it("leaves no shadow database behind", async () => {
    await diffMigrationsToSchema(db.url);
    // The name prefix is cluster-wide; no other test file diffs, so any leftover would be ours.
    const leftovers = await query(db.url, "SELECT datname FROM pg_database WHERE datname LIKE 'prisma_migrate_shadow_db_%'");
    expect(leftovers).toEqual([]);
  });
});

describe("createMigration", () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let copy: string;

  beforeAll(async () => {
    db = await createTestDatabase("create");
    copy = await mkdtemp(path.join(tmpdir(), "taiyaku-migrations-"));
    await cp(migrationsDir, copy, { recursive: true });
  });
  afterAll(async () => {
    await db?.drop();
    await rm(copy, { recursive: true, force: true });
  });

  it("writes nothing when the schema has no changes", async () => {
    expect(await createMigration(db.url, "nothing", { migrationsDir: copy })).toEqual({ dir: null, reason: "no-changes" });
    expect(await readdir(copy)).toEqual(await readdir(migrationsDir));
  });

  it("writes <UTC timestamp>_<snake name>/migration.sql that brings the migrations to the schema", async () => {
    const schema = await editedSchema();
    // 09:04:05 in Tokyo on Jan 2 is 00:04:05 UTC: the folder name must use UTC.
    const now = new Date("2099-01-02T09:04:05+09:00");
    const result = await createMigration(db.url, "Add article subtitle", { migrationsDir: copy, schema, now });
    expect(result.dir).toBe(path.join(copy, "20990102000405_add_article_subtitle"));
    const sql = await readFile(path.join(result.dir!, "migration.sql"), "utf8");
    expect(sql).toBe('-- AlterTable\nALTER TABLE "article" ADD COLUMN     "subtitle" VARCHAR(300);\n');

    // The new folder completes the history: no drift left, and it deploys after the others.
    expect(await diffMigrationsToSchema(db.url, { migrationsDir: copy, schema })).toEqual({ sql: "", inSync: true });
    const { applied } = await deployMigrations(db.url, { migrationsDir: copy });
    expect(applied.at(-1)).toBe("20990102000405_add_article_subtitle");
    const columns = await query(db.url, "SELECT column_name FROM information_schema.columns WHERE table_name = 'article' AND column_name = 'subtitle'");
    expect(columns).toHaveLength(1);
  });

  it("writes migration_lock.toml when starting from no migrations", async () => {
    const empty = await mkdtemp(path.join(tmpdir(), "taiyaku-migrations-"));
    try {
      const result = await createMigration(db.url, "init", { migrationsDir: empty, now: new Date("2099-01-01T00:00:00Z") });
      expect(result.dir).toBe(path.join(empty, "20990101000000_init"));
      expect(await readFile(path.join(empty, "migration_lock.toml"), "utf8")).toContain('provider = "postgresql"');
      expect(await readFile(path.join(result.dir!, "migration.sql"), "utf8")).toContain('CREATE TABLE "article"');
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

describe("migration scripts", () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let copy: string;

  beforeAll(async () => {
    db = await createTestDatabase("script");
    copy = await mkdtemp(path.join(tmpdir(), "taiyaku-migrations-"));
    await cp(migrationsDir, copy, { recursive: true });
  });
  afterAll(async () => {
    await db?.drop();
    await rm(copy, { recursive: true, force: true });
  });

  it("runs a migration whose SQL has a semicolon inside a string (upstream splits on every ';')", async () => {
    const dir = path.join(copy, "20990101000000_comment");
    await mkdir(dir);
    await writeFile(path.join(dir, "migration.sql"), `COMMENT ON TABLE "article" IS 'one; two';\n`);
    await deployMigrations(db.url, { migrationsDir: copy });
    const [row] = await query<{ comment: string }>(db.url, `SELECT obj_description('"article"'::regclass, 'pg_class') AS comment`);
    expect(row?.comment).toBe("one; two");
  });
});
