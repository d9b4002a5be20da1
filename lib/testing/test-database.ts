import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";

/** A fresh, empty database for one test file; drop() removes it (and any open connections). */
export async function createTestDatabase(prefix = "t"): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const adminUrl = inject("pgAdminUrl");
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * A migrated, seeded database for an integration test file that calls the app's own modules:
 * DATABASE_URL and BETTER_AUTH_SECRET are set for them (getPrisma and getAuth read both on first
 * use, so import those modules after this). drop() as above.
 */
export async function createAppTestDatabase(prefix: string): Promise<Awaited<ReturnType<typeof createTestDatabase>>> {
  const db = await createTestDatabase(prefix);
  const { deployMigrations } = await import("@/lib/db/migration-engine");
  const { seedContent } = await import("@/prisma/seed");
  await deployMigrations(db.url);
  await seedContent(db.url);
  process.env.DATABASE_URL = db.url;
  process.env.BETTER_AUTH_SECRET = `test-secret-for-${prefix}-integration-0123456789`;
  return db;
}

/** One statement on its own connection (tests that read or poke a database beside the app). */
export async function query<T extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}
