import { PrismaPg } from "@prisma/adapter-pg";
import { databasePoolSize } from "@/lib/db/database-url";
import { measurePool } from "@/lib/db/pool-metrics";
import { PrismaClient } from "@/lib/generated/prisma/client";

// One client per process: Next.js re-evaluates modules in development and would otherwise open
// a new pool on every reload.
const globalForPrisma = globalThis as unknown as { taiyakuPrisma?: PrismaClient };

export function createPrismaClient(databaseUrl: string, poolSize = databasePoolSize()): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max: poolSize,
    connectionTimeoutMillis: 3_000,
    // The adapter sends timestamps as UTC wall-clock values without an offset; a session in
    // another zone (an embedded cluster inherits the zone initdb ran in) would shift them by its
    // offset. Set with SET on each new connection, not with the `options` startup parameter:
    // PgBouncer refuses `options`, while it tracks TimeZone per client and re-applies it to
    // whichever server connection the client gets next (ADR 0026).
    onConnect: (client) => client.query("SET TimeZone TO 'UTC'"),
  });
  return new PrismaClient({ adapter: measurePool(adapter) });
}

export function getPrisma(): PrismaClient {
  if (!globalForPrisma.taiyakuPrisma) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set; start the app with `npm start`.");
    globalForPrisma.taiyakuPrisma = createPrismaClient(url);
  }
  return globalForPrisma.taiyakuPrisma;
}
