import { readdir } from "node:fs/promises";
import path from "node:path";
import { checkDatabaseNow } from "@/lib/db/health";
import { getPrisma } from "@/lib/db/prisma";
import { getLiveListener } from "@/lib/live/listener";

// Readiness (/api/ready, ADR 0024): may this instance take traffic? Liveness (/api/health) says
// the process answers; ready also needs the schema this build expects and the LISTEN connections
// that keep its live streams and caches in step with the other instances. A proxy or an
// orchestrator stops sending requests while this says no.

/** One check's outcome; null for a part this process does not run. */
export type ReadinessChecks = {
  database: boolean;
  /** Every folder in prisma/migrations is applied and finished (null: database unreachable, not checked). */
  migrations: boolean | null;
  /** The live-updates LISTEN connection (lib/live/listener.ts). */
  liveListener: boolean;
  /** The shared cache-tag LISTEN connection, when this process has one (lib/http/page-cache-handler.mjs). */
  cacheTags: boolean | null;
};
export type Readiness = { ready: boolean; checks: ReadinessChecks; failed: (keyof ReadinessChecks)[] };

/** The cache-tag store's state, published by the cache handler (contract of issue 12). */
const CACHE_TAGS = Symbol.for("taiyaku.cacheTags");
/** A current schema is remembered this long: it only changes with a deploy (or a restore). */
const MIGRATIONS_CURRENT_FOR_MS = 60_000;
/** How long a check waits for a LISTEN connection being opened (the first probe of a process). */
const LISTENER_WAIT_MS = 1_000;

type MigrationState = { names?: Promise<string[]>; currentAt?: number };
const globalState = globalThis as unknown as { taiyakuReadiness?: MigrationState };

/**
 * The migrations this build was made with: the folder names in prisma/migrations, read once.
 * next.config.js traces the folder into the standalone output (outputFileTracingIncludes).
 */
function expectedMigrations(state: MigrationState): Promise<string[]> {
  state.names ??= readdir(path.join(process.cwd(), "prisma", "migrations"), { withFileTypes: true }).then((entries) =>
    entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name),
  );
  state.names.catch(() => (state.names = undefined));
  return state.names;
}

async function migrationsCurrent(state: MigrationState): Promise<boolean> {
  if (state.currentAt !== undefined && Date.now() - state.currentAt < MIGRATIONS_CURRENT_FOR_MS) return true;
  const expected = await expectedMigrations(state).catch(() => null);
  if (!expected || expected.length === 0) return false;
  const rows = await getPrisma().$queryRaw<{ migration_name: string }[]>`
    SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
  const applied = new Set(rows.map((row) => row.migration_name));
  const current = expected.every((name) => applied.has(name));
  state.currentAt = current ? Date.now() : undefined;
  return current;
}

async function liveListenerConnected(): Promise<boolean> {
  const listener = getLiveListener();
  if (listener.connected) return true;
  // Opened on first use; an instance that has had no reader yet opens it now, since it must be
  // able to deliver live events before it takes traffic.
  await Promise.race([listener.start(), new Promise((resolve) => setTimeout(resolve, LISTENER_WAIT_MS).unref())]);
  return listener.connected;
}

export async function checkReadiness(): Promise<Readiness> {
  const state = (globalState.taiyakuReadiness ??= {});
  const [database, liveListener] = await Promise.all([checkDatabaseNow().catch(() => false), liveListenerConnected().catch(() => false)]);
  const migrations = database ? await migrationsCurrent(state).catch(() => false) : null;
  const cacheTagState = (globalThis as Record<symbol, { connected?: boolean } | undefined>)[CACHE_TAGS];
  const cacheTags = cacheTagState ? cacheTagState.connected === true : null;
  const checks: ReadinessChecks = { database, migrations, liveListener, cacheTags };
  // With the database down the migrations are not checked (null): "database" is the failure.
  const failed = (Object.keys(checks) as (keyof ReadinessChecks)[]).filter((key) => checks[key] === false);
  return { ready: failed.length === 0, checks, failed };
}
