import pg from "pg";

// The proxy asks "is the database there?" before pages that need it. A check costs a round
// trip, so a healthy answer is reused for a short while and refreshed in the background, while
// an unhealthy answer is re-checked on the next request: the app recovers by itself as soon as
// the database is back, without a restart.
const HEALTHY_FOR_MS = 2_000;
const CHECK_TIMEOUT_MS = 1_500;

type State = { healthy: boolean; checkedAt: number; inFlight?: Promise<boolean> };
const globalState = globalThis as unknown as { taiyakuDbHealth?: State; taiyakuHealthPool?: pg.Pool };

function pool(url: string): pg.Pool {
  globalState.taiyakuHealthPool ??= new pg.Pool({
    connectionString: url,
    max: 1,
    connectionTimeoutMillis: CHECK_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    // An idle client whose server went away emits "error"; unhandled, it would crash the process.
  }).on("error", () => {});
  return globalState.taiyakuHealthPool;
}

async function check(url: string): Promise<boolean> {
  try {
    const client = await pool(url).connect();
    try {
      await client.query({ text: "SELECT 1", query_timeout: CHECK_TIMEOUT_MS } as pg.QueryConfig);
      return true;
    } finally {
      client.release();
    }
  } catch {
    return false;
  }
}

export async function isDatabaseHealthy(now = Date.now()): Promise<boolean> {
  const url = process.env.DATABASE_URL;
  if (!url) return false;
  const state = (globalState.taiyakuDbHealth ??= { healthy: false, checkedAt: 0 });
  const refresh = () => {
    state.inFlight ??= check(url).then((healthy) => {
      state.healthy = healthy;
      state.checkedAt = Date.now();
      state.inFlight = undefined;
      return healthy;
    });
    return state.inFlight;
  };
  if (state.healthy) {
    if (now - state.checkedAt > HEALTHY_FOR_MS) void refresh();
    return true;
  }
  return refresh();
}

/**
 * A fresh check, skipping the cached answer: an API request whose query just failed asks this to
 * tell an outage (503, try again) from a bug (500). Updates the shared state either way.
 */
export async function checkDatabaseNow(): Promise<boolean> {
  const url = process.env.DATABASE_URL;
  if (!url) return false;
  const healthy = await check(url);
  globalState.taiyakuDbHealth = { healthy, checkedAt: Date.now() };
  return healthy;
}
