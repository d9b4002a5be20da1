import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";

// One client per process: Next.js re-evaluates modules in development and would otherwise open
// a new pool on every reload.
const globalForPrisma = globalThis as unknown as { taiyakuPrisma?: PrismaClient };

export function createPrismaClient(databaseUrl: string): PrismaClient {
  // The adapter sends timestamps as UTC wall-clock values without an offset; a session in another
  // zone (an embedded cluster inherits the zone initdb ran in) would shift them by its offset.
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: 10, connectionTimeoutMillis: 3_000, options: "-c TimeZone=UTC" });
  return new PrismaClient({ adapter });
}

export function getPrisma(): PrismaClient {
  if (!globalForPrisma.taiyakuPrisma) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set; start the app with `npm start`.");
    globalForPrisma.taiyakuPrisma = createPrismaClient(url);
  }
  return globalForPrisma.taiyakuPrisma;
}
