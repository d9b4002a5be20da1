import pg from "pg";
import { dbPoolConnections, dbQueryDuration } from "@/lib/metrics/metrics.mjs";

// The app pool's figures for /metrics (ADR 0024): clients in use, idle and waited for, read when
// Prometheus scrapes (no work per query), and the time of every query the pool's clients send,
// transactions included — measured where the driver sends it, around pg's Client.query, so it
// is the database's answer time plus the network, without Prisma's own work.

type Measured = pg.Pool & { taiyakuObserved?: true };
const pools = new Set<pg.Pool>();

/** What a Prisma driver adapter factory hands back: the adapter exposes its pg.Pool. */
type AdapterFactory = { connect(): Promise<{ underlyingDriver(): unknown }> };

/** Wraps a PrismaPg factory so the pool it creates is measured. Returns the same factory. */
export function measurePool<F extends AdapterFactory>(factory: F): F {
  const connect = factory.connect.bind(factory);
  factory.connect = (async () => {
    const adapter = await connect();
    const pool = adapter.underlyingDriver();
    if (pool instanceof pg.Pool) observePool(pool);
    return adapter;
  }) as F["connect"];
  return factory;
}

export function observePool(pool: pg.Pool): void {
  const measured = pool as Measured;
  if (measured.taiyakuObserved) return;
  measured.taiyakuObserved = true;
  pools.add(pool);
  pool.on("connect", (client) => timeQueries(client));
  const gauge = dbPoolConnections() as unknown as { collect?: () => void };
  gauge.collect ??= collectPools;
}

function collectPools() {
  let total = 0;
  let idle = 0;
  let waiting = 0;
  for (const pool of pools) {
    if (pool.ended) {
      pools.delete(pool);
      continue;
    }
    total += pool.totalCount;
    idle += pool.idleCount;
    waiting += pool.waitingCount;
  }
  const gauge = dbPoolConnections();
  gauge.set({ state: "total" }, total);
  gauge.set({ state: "idle" }, idle);
  gauge.set({ state: "waiting" }, waiting);
}

type QueryFn = (...args: unknown[]) => unknown;

function timeQueries(client: pg.PoolClient) {
  const histogram = dbQueryDuration();
  const query = client.query as unknown as QueryFn;
  (client as unknown as { query: QueryFn }).query = function (this: unknown, ...args: unknown[]) {
    const started = performance.now();
    const done = () => histogram.observe((performance.now() - started) / 1000);
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === "function") {
      // pg-pool's own pool.query() uses the callback form.
      args[last] = (...result: unknown[]) => {
        done();
        return (callback as QueryFn)(...result);
      };
      return query.apply(this, args);
    }
    const result = query.apply(this, args);
    if (result && typeof (result as Promise<unknown>).then === "function") (result as Promise<unknown>).then(done, done);
    return result;
  };
}
