// Which database the launchers and db:* scripts use: DATABASE_URL when it is set, otherwise the
// project's embedded cluster in .data/postgres (or, for commands that only need some Postgres
// server, a throwaway one). Also the shared "print one sentence and exit" error handling.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { checkDatabaseReachable, DatabaseUnreachableError, DatabaseUrlError, directDatabaseUrl, parseDatabaseUrl } from "./database-url";
import { EmbeddedPgBusyError, EmbeddedPgPortInUseError, startEmbeddedPostgres, startThrowawayPostgres } from "./embedded-postgres";

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const embeddedDataDir = path.join(projectRoot, ".data", "postgres");
export const embeddedDatabaseName = "taiyaku";
const defaultEmbeddedPort = 54329;

export type ProjectDatabase = {
  /** What the app's queries use: DATABASE_URL (possibly a pooler such as PgBouncer). */
  url: string;
  /**
   * A direct, session-keeping connection for migrations and the drift check (the migration
   * engine holds a session-level advisory lock): DIRECT_DATABASE_URL, else the same as url.
   */
  directUrl: string;
  /** env: DATABASE_URL; embedded: .data/postgres; throwaway: a temporary cluster. */
  source: "env" | "embedded" | "throwaway";
  stop(): Promise<void>;
};

/** An error whose message is already the whole story for the user: no stack trace needed. */
export class UserFacingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UserFacingError";
  }
}

const open = new Set<ProjectDatabase>();

/**
 * `project`: the database the app uses. `scratch`: any server we may create databases on (the
 * drift check and new migrations replay the migrations in a temporary database); a throwaway
 * cluster avoids colliding with a running `npm start` that holds .data/postgres.
 */
export async function openProjectDatabase(opts: {
  mode: "project" | "scratch";
  log: (msg: string) => void;
  /** The embedded cluster's folder (tests; default .data/postgres). */
  dataDir?: string;
}): Promise<ProjectDatabase> {
  const envUrl = process.env.DATABASE_URL?.trim();
  const directEnvUrl = process.env.DIRECT_DATABASE_URL?.trim();
  if (directEnvUrl && !envUrl) {
    throw new UserFacingError("DIRECT_DATABASE_URL is set but DATABASE_URL is not; set both (DATABASE_URL may point at a pooler such as PgBouncer, DIRECT_DATABASE_URL at PostgreSQL itself), or neither to use the embedded database.");
  }
  let db: Omit<ProjectDatabase, "directUrl"> & { directUrl?: string };
  if (envUrl) {
    parseDatabaseUrl(envUrl);
    const directUrl = directDatabaseUrl() ?? envUrl;
    await checkDatabaseReachable(envUrl, 5000);
    if (directUrl !== envUrl) await checkDatabaseReachable(directUrl, 5000, "DIRECT_DATABASE_URL");
    db = { url: envUrl, directUrl, source: "env", stop: async () => undefined };
  } else if (opts.mode === "scratch") {
    const pg = await startThrowawayPostgres();
    db = { url: pg.url, source: "throwaway", stop: () => pg.stop() };
  } else {
    const port = embeddedPort();
    const t0 = performance.now();
    const pg = await startEmbeddedPostgres({
      dataDir: opts.dataDir ?? embeddedDataDir,
      port,
      database: embeddedDatabaseName,
      persistent: true,
      // Only our own one-sentence notices (e.g. where the data went); postgres's chatter stays
      // hidden unless TAIYAKU_PG_LOG is set.
      log: process.env.TAIYAKU_PG_LOG ? (msg) => opts.log(`[postgres] ${msg}`) : (msg) => (msg.startsWith("The database is kept") ? opts.log(msg) : undefined),
    });
    const where = pg.dataDir.startsWith(projectRoot + path.sep) ? path.relative(projectRoot, pg.dataDir) : pg.dataDir;
    opts.log(`Embedded PostgreSQL ready on 127.0.0.1:${port} (data in ${where}, ${Math.round(performance.now() - t0)} ms).`);
    db = { url: pg.url, source: "embedded", stop: () => pg.stop() };
  }
  const tracked: ProjectDatabase = {
    ...db,
    directUrl: db.directUrl ?? db.url,
    stop: async () => {
      open.delete(tracked);
      await db.stop();
    },
  };
  open.add(tracked);
  return tracked;
}

export async function stopOpenDatabases(): Promise<void> {
  await Promise.all([...open].map((db) => db.stop().catch(() => undefined)));
}

function embeddedPort(): number {
  const raw = process.env.TAIYAKU_PG_PORT?.trim();
  if (!raw) return defaultEmbeddedPort;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UserFacingError(`TAIYAKU_PG_PORT must be a whole number between 1 and 65535 (got "${raw}").`);
  }
  return port;
}

/** The message to show for an error; known failures are one sentence, bugs keep their stack. */
export function describeError(error: unknown): string {
  if (error instanceof EmbeddedPgPortInUseError) {
    return `Port ${error.port} (the embedded database's) is already in use by another program; set TAIYAKU_PG_PORT to use another port.`;
  }
  if (
    error instanceof UserFacingError ||
    error instanceof DatabaseUrlError ||
    error instanceof DatabaseUnreachableError ||
    error instanceof EmbeddedPgBusyError
  ) {
    return error.message;
  }
  if (error instanceof Error) return process.env.TAIYAKU_DEBUG ? (error.stack ?? error.message) : error.message;
  return String(error);
}

/**
 * Runs a short command-line task: one-sentence errors, exit code, and on Ctrl-C or SIGTERM the
 * databases it opened are stopped before exiting (a killed script must not leave postgres behind).
 */
export function runDbScript(main: () => Promise<number | void>): void {
  const onSignal = (signal: NodeJS.Signals) => {
    void stopOpenDatabases().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  main().then(
    async (code) => {
      await stopOpenDatabases();
      process.exitCode = code ?? 0;
    },
    async (error: unknown) => {
      await stopOpenDatabases();
      console.error(describeError(error));
      process.exitCode = 1;
    },
  );
}
