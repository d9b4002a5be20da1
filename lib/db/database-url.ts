// DATABASE_URL checks with one-sentence answers: people paste these URLs by hand, and a bad one
// should say what is wrong in words, not as a driver stack trace. Messages name host:port/database
// and the user, never the password.
import pg from "pg";
import { z } from "zod";

export type DatabaseTarget = {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** Postgres schema from `?schema=` (Prisma's convention), if any. */
  schema?: string;
  ssl?: boolean | { rejectUnauthorized: boolean };
  /** host:port/database, for messages. */
  label: string;
};

export class DatabaseUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DatabaseUrlError";
  }
}

export type UnreachableReason = "refused" | "host-not-found" | "auth-failed" | "database-missing" | "timeout" | "other";

export class DatabaseUnreachableError extends Error {
  constructor(
    readonly reason: UnreachableReason,
    message: string,
  ) {
    super(message);
    this.name = "DatabaseUnreachableError";
  }
}

const expected = "expected postgresql://USER:PASSWORD@HOST:PORT/DATABASE";

const partsSchema = z.object({
  protocol: z.enum(["postgres:", "postgresql:"], {
    error: (issue) => `DATABASE_URL must start with postgresql:// or postgres:// (it starts with "${String(issue.input)}").`,
  }),
  hostname: z.string().min(1, `DATABASE_URL has no host name; ${expected}.`),
  port: z.coerce
    .number({ error: `DATABASE_URL has an invalid port; ${expected}.` })
    .int(`DATABASE_URL has an invalid port; ${expected}.`)
    .min(1, `DATABASE_URL has an invalid port; ${expected}.`)
    .max(65535, `DATABASE_URL has an invalid port (above 65535); ${expected}.`),
  database: z.string().min(1, `DATABASE_URL names no database (the part after the last "/"); ${expected}.`),
});

/**
 * Parses and validates a DATABASE_URL; throws a DatabaseUrlError whose message is one sentence.
 * `name` is the variable the URL came from, so a bad DIRECT_DATABASE_URL is called that.
 */
export function parseDatabaseUrl(raw: string, name = "DATABASE_URL"): DatabaseTarget {
  try {
    return parseUrl(raw);
  } catch (error) {
    if (error instanceof DatabaseUrlError && name !== "DATABASE_URL") throw new DatabaseUrlError(error.message.replaceAll("DATABASE_URL", name));
    throw error;
  }
}

/** process.env, or a plain object in tests. */
type Env = Readonly<Record<string, string | undefined>>;

/**
 * The URL for connections that must stay on one PostgreSQL session: LISTEN (a transaction-mode
 * pooler such as PgBouncer hands the server connection to someone else after every
 * transaction, and the notifications with it) and migrations (the engine holds a session-level
 * advisory lock). DIRECT_DATABASE_URL when set, else DATABASE_URL; undefined when neither is.
 * Validated like DATABASE_URL (throws DatabaseUrlError naming the variable).
 */
export function directDatabaseUrl(env: Env = process.env): string | undefined {
  const direct = env.DIRECT_DATABASE_URL?.trim();
  if (direct) {
    parseDatabaseUrl(direct, "DIRECT_DATABASE_URL");
    return direct;
  }
  const url = env.DATABASE_URL?.trim();
  if (url) parseDatabaseUrl(url);
  return url || undefined;
}

export const DEFAULT_POOL_SIZE = 10;
// Far above what one Node process can use (it runs one query at a time per connection and is
// CPU-bound well before 100 are busy); a larger number is almost certainly a typo.
const MAX_POOL_SIZE = 200;

/**
 * DATABASE_POOL_SIZE: the app's own connections per instance (the Prisma pool). The rest of an
 * instance's budget is fixed: the health check's pool (1), the cache-tag store's pool (2) and
 * two LISTEN connections (live updates, cache tags); see
 * docs/decisions/0026-connection-budget-pgbouncer.md.
 */
export function databasePoolSize(env: Env = process.env): number {
  const raw = env.DATABASE_POOL_SIZE?.trim();
  if (!raw) return DEFAULT_POOL_SIZE;
  const size = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(size) || size < 1 || size > MAX_POOL_SIZE) {
    throw new DatabaseUrlError(`DATABASE_POOL_SIZE must be a whole number from 1 to ${MAX_POOL_SIZE} (got "${raw}"); it is the number of database connections each app instance opens for queries.`);
  }
  return size;
}

function parseUrl(raw: string): DatabaseTarget {
  const text = raw.trim();
  if (!text) throw new DatabaseUrlError(`DATABASE_URL is empty; ${expected}.`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // The text itself is not echoed: it may contain a password.
    throw new DatabaseUrlError(`DATABASE_URL is not a valid URL; ${expected}.`);
  }
  const parsed = partsSchema.safeParse({
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port || "5432",
    database: safeDecode(url.pathname.replace(/^\//, "")),
  });
  if (!parsed.success) throw new DatabaseUrlError(parsed.error.issues[0]?.message ?? `DATABASE_URL is invalid; ${expected}.`);

  const { hostname, port, database } = parsed.data;
  // IPv6 literals come back bracketed from URL; pg wants them bare.
  const host = hostname.replace(/^\[(.*)\]$/, "$1");
  const sslmode = url.searchParams.get("sslmode");
  const ssl =
    sslmode === "require" || sslmode === "prefer" || sslmode === "no-verify"
      ? { rejectUnauthorized: false }
      : sslmode === "verify-ca" || sslmode === "verify-full"
        ? true
        : url.searchParams.get("ssl") === "true"
          ? true
          : undefined;
  return {
    host,
    port,
    user: safeDecode(url.username) || "postgres",
    password: safeDecode(url.password),
    database,
    schema: url.searchParams.get("schema") ?? undefined,
    ssl,
    label: `${hostname}:${port}/${database}`,
  };
}

/** node-postgres connection settings for a parsed URL (libpq knows no `?schema=`, so not the raw URL). */
export function pgConnection(target: DatabaseTarget): Pick<pg.ClientConfig, "host" | "port" | "user" | "password" | "database" | "ssl"> {
  return { host: target.host, port: target.port, user: target.user, password: target.password, database: target.database, ssl: target.ssl };
}

/**
 * Connects once and maps the usual failures to one sentence each. Resolves when the server
 * accepted the login to the named database.
 */
export async function checkDatabaseReachable(url: string, timeoutMs = 5000, name = "DATABASE_URL"): Promise<void> {
  const target = parseDatabaseUrl(url, name);
  const client = new pg.Client({ ...pgConnection(target), connectionTimeoutMillis: timeoutMs });
  // A failed connect may also emit 'error'; without a listener that would crash the process.
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (error) {
    const unreachable = toUnreachableError(error, target, timeoutMs);
    if (name !== "DATABASE_URL") unreachable.message = unreachable.message.replaceAll("DATABASE_URL", name);
    throw unreachable;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function toUnreachableError(error: unknown, target: DatabaseTarget, timeoutMs: number): DatabaseUnreachableError {
  const e = error as { code?: string; message?: string };
  const at = `${target.host}:${target.port}`;
  switch (e.code) {
    case "ECONNREFUSED":
      return new DatabaseUnreachableError("refused", `Nothing accepts connections at ${at} (connection refused): is PostgreSQL running there, and is DATABASE_URL's port right?`);
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new DatabaseUnreachableError("host-not-found", `The database host "${target.host}" cannot be found (DNS lookup failed); check the host name in DATABASE_URL.`);
    case "28P01":
    case "28000":
      return new DatabaseUnreachableError("auth-failed", `PostgreSQL at ${at} rejected user "${target.user}" (wrong password or unknown user); check DATABASE_URL.`);
    case "3D000":
      return new DatabaseUnreachableError("database-missing", `The database "${target.database}" does not exist on ${at}; create it first or fix the name in DATABASE_URL.`);
    case "ETIMEDOUT":
      return timeout(target, timeoutMs);
  }
  if (/timeout/i.test(e.message ?? "")) return timeout(target, timeoutMs);
  const detail = scrub(e.message ?? String(error), target.password);
  return new DatabaseUnreachableError("other", `Cannot connect to the database at ${target.label}: ${detail.replace(/\.$/, "")}.`);
}

function timeout(target: DatabaseTarget, timeoutMs: number): DatabaseUnreachableError {
  return new DatabaseUnreachableError("timeout", `No answer from the database at ${target.label} within ${formatSeconds(timeoutMs)}; check the host, port and any firewall.`);
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function scrub(text: string, password: string): string {
  return password ? text.split(password).join("***") : text;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
