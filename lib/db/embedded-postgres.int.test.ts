import { chmod, mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmbeddedPgBusyError, EmbeddedPgPortInUseError, startEmbeddedPostgres, type EmbeddedPg } from "./embedded-postgres";

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** mkdtemp makes mode-700 folders, which the postgres user (we run as root) cannot enter. */
async function reachableTempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "taiyaku-busy-"));
  await chmod(dir, 0o755);
  return dir;
}

async function scalar(url: string, sql: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Object.values((await client.query(sql)).rows[0] ?? {})[0];
  } finally {
    await client.end();
  }
}

// Its own persistent cluster (not the shared throwaway one): what is tested is the folder lock.
describe("startEmbeddedPostgres on a data folder", () => {
  let root: string;
  let dataDir: string;
  let port: number;
  let first: EmbeddedPg | undefined;

  beforeAll(async () => {
    root = await reachableTempDir();
    dataDir = path.join(root, "postgres");
    port = await freePort();
    first = await startEmbeddedPostgres({ dataDir, port, database: "taiyaku" });
  });

  afterAll(async () => {
    await first?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it("creates the database and returns URLs for it and for the postgres database", async () => {
    expect(await scalar(first!.url, "SELECT current_database()")).toBe("taiyaku");
    expect(await scalar(first!.adminUrl, "SELECT current_database()")).toBe("postgres");
    expect(first!.url).toMatch(new RegExp(`^postgresql://postgres:[^@]+@127\\.0\\.0\\.1:${port}/taiyaku$`));
  });

  it("refuses a second start on the same folder and leaves the first one running", async () => {
    const second = startEmbeddedPostgres({ dataDir, port: await freePort(), database: "taiyaku" });
    await expect(second).rejects.toBeInstanceOf(EmbeddedPgBusyError);
    await expect(second).rejects.toThrow(/^The database folder .* is in use by another Taiyaku \(pid \d+\)\. Stop it first\.$/);
    expect(await scalar(first!.url, "SELECT 1 + 1")).toBe(2);
  });

  it("refuses a port that something else listens on", async () => {
    const otherRoot = await reachableTempDir();
    try {
      const attempt = startEmbeddedPostgres({ dataDir: path.join(otherRoot, "postgres"), port, database: "taiyaku" });
      await expect(attempt).rejects.toBeInstanceOf(EmbeddedPgPortInUseError);
    } finally {
      await rm(otherRoot, { recursive: true, force: true });
    }
    expect(await scalar(first!.url, "SELECT 1")).toBe(1);
  });

  it("keeps the data across a stop and a restart", async () => {
    const client = new pg.Client({ connectionString: first!.url });
    await client.connect();
    await client.query("CREATE TABLE kept (id int); INSERT INTO kept VALUES (42)");
    await client.end();
    await first!.stop();
    first = await startEmbeddedPostgres({ dataDir, port, database: "taiyaku" });
    expect(await scalar(first.url, "SELECT id FROM kept")).toBe(42);
  });
});

describe.skipIf(process.getuid?.() !== 0)("startEmbeddedPostgres as root, in a folder the postgres user cannot enter", () => {
  it("keeps the data in /var/tmp instead and says so", async () => {
    const locked = await mkdtemp(path.join(tmpdir(), "taiyaku-locked-"));
    const messages: string[] = [];
    let db: EmbeddedPg | undefined;
    try {
      db = await startEmbeddedPostgres({ dataDir: path.join(locked, "postgres"), port: await freePort(), database: "taiyaku", log: (m) => messages.push(m) });
      expect(db.dataDir).toMatch(/^\/var\/tmp\/taiyaku-[0-9a-f]{12}\/postgres$/);
      expect(messages).toContain(`The database is kept in ${db.dataDir} instead of ${path.join(locked, "postgres")}, because the postgres user cannot enter ${locked}.`);
      expect(await scalar(db.url, "SELECT 1")).toBe(1);
    } finally {
      await db?.stop();
      if (db) await rm(path.dirname(db.dataDir), { recursive: true, force: true });
      await rm(locked, { recursive: true, force: true });
    }
  });
});
