import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkDatabaseReachable, databasePoolSize, DatabaseUnreachableError, DatabaseUrlError, directDatabaseUrl, parseDatabaseUrl } from "./database-url";

const secret = "s3cr3t-pa55";

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DatabaseUrlError);
    return (error as Error).message;
  }
  throw new Error("expected an error");
}

describe("parseDatabaseUrl", () => {
  it("explains a malformed URL in one sentence without echoing it", () => {
    const message = messageOf(() => parseDatabaseUrl(`not a url ${secret}`));
    expect(message).toBe("DATABASE_URL is not a valid URL; expected postgresql://USER:PASSWORD@HOST:PORT/DATABASE.");
    expect(message).not.toContain(secret);
  });

  it("rejects other protocols and names the one given", () => {
    const message = messageOf(() => parseDatabaseUrl(`mysql://root:${secret}@db:3306/app`));
    expect(message).toMatch(/must start with postgresql:\/\/ or postgres:\/\/.*"mysql:"/);
    expect(message).not.toContain(secret);
  });

  it("rejects an empty value and a missing database name", () => {
    expect(messageOf(() => parseDatabaseUrl("  "))).toMatch(/DATABASE_URL is empty/);
    const message = messageOf(() => parseDatabaseUrl(`postgresql://u:${secret}@db:5432/`));
    expect(message).toMatch(/names no database/);
    expect(message).not.toContain(secret);
  });

  it("reads a good URL, decoding the user, password and database", () => {
    expect(parseDatabaseUrl("postgres://app:p%40ss@db.example:6543/my%20db?schema=taiyaku&sslmode=require")).toEqual({
      host: "db.example",
      port: 6543,
      user: "app",
      password: "p@ss",
      database: "my db",
      schema: "taiyaku",
      ssl: { rejectUnauthorized: false },
      label: "db.example:6543/my db",
    });
    expect(parseDatabaseUrl("postgresql://u@localhost/taiyaku")).toMatchObject({ port: 5432, password: "", label: "localhost:5432/taiyaku" });
  });

});

describe("directDatabaseUrl", () => {
  const pooled = "postgresql://app:pw@pgbouncer:6432/taiyaku";
  const direct = "postgresql://app:pw@db:5432/taiyaku";

  it("prefers DIRECT_DATABASE_URL and falls back to DATABASE_URL", () => {
    expect(directDatabaseUrl({ DATABASE_URL: pooled, DIRECT_DATABASE_URL: ` ${direct} ` })).toBe(direct);
    expect(directDatabaseUrl({ DATABASE_URL: pooled, DIRECT_DATABASE_URL: "" })).toBe(pooled);
    expect(directDatabaseUrl({})).toBeUndefined();
  });

  it("validates it like DATABASE_URL, naming the variable that is wrong", () => {
    expect(messageOf(() => directDatabaseUrl({ DATABASE_URL: pooled, DIRECT_DATABASE_URL: "mysql://db/x" }))).toBe(
      'DIRECT_DATABASE_URL must start with postgresql:// or postgres:// (it starts with "mysql:").',
    );
    expect(messageOf(() => directDatabaseUrl({ DATABASE_URL: "postgresql://db:5432/" }))).toMatch(/^DATABASE_URL names no database/);
  });
});

describe("databasePoolSize", () => {
  it("defaults to 10 and reads a whole number", () => {
    expect(databasePoolSize({})).toBe(10);
    expect(databasePoolSize({ DATABASE_POOL_SIZE: " 25 " })).toBe(25);
  });

  it.each(["0", "-3", "2.5", "ten", "201", "1e2"])("refuses %j in one sentence", (raw) => {
    expect(messageOf(() => databasePoolSize({ DATABASE_POOL_SIZE: raw }))).toBe(
      `DATABASE_POOL_SIZE must be a whole number from 1 to 200 (got "${raw}"); it is the number of database connections each app instance opens for queries.`,
    );
  });
});

describe("checkDatabaseReachable", () => {
  // Only local sockets: a closed port and a server that accepts but never answers.
  let silent: net.Server;
  let silentPort: number;
  let closedPort: number;
  const sockets: net.Socket[] = [];

  beforeAll(async () => {
    silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    silentPort = (silent.address() as net.AddressInfo).port;
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    closedPort = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  async function failure(url: string, timeoutMs = 2000): Promise<DatabaseUnreachableError> {
    const error = await checkDatabaseReachable(url, timeoutMs).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatabaseUnreachableError);
    return error as DatabaseUnreachableError;
  }

  it("says nothing listens on a closed port, naming host:port but not the password", async () => {
    const error = await failure(`postgresql://u:${secret}@127.0.0.1:${closedPort}/db`);
    expect(error.reason).toBe("refused");
    expect(error.message).toContain(`127.0.0.1:${closedPort}`);
    expect(error.message).not.toContain(secret);
  });

  it("reports a timeout when the server never answers", async () => {
    const error = await failure(`postgresql://u:${secret}@127.0.0.1:${silentPort}/db`, 300);
    expect(error.reason).toBe("timeout");
    expect(error.message).toBe(`No answer from the database at 127.0.0.1:${silentPort}/db within 0.3 s; check the host, port and any firewall.`);
  });

  it("rejects an invalid URL before connecting", async () => {
    await expect(checkDatabaseReachable("garbage")).rejects.toBeInstanceOf(DatabaseUrlError);
  });
});
