// TEMPORARY (helper E): a throwaway cluster with the 1,000-article library, kept running for EXPLAIN ANALYZE.
import { writeFileSync } from "node:fs";
import pg from "pg";
import { startThrowawayPostgres } from "../lib/db/embedded-postgres";
import { deployMigrations } from "../lib/db/migration-engine";
import { seedContent } from "../prisma/seed";
import { buildLibrary, insertLibrary } from "./lib/bench-library";

const db = await startThrowawayPostgres();
await deployMigrations(db.url);
await seedContent(db.url);
const pool = new pg.Pool({ connectionString: db.url, max: 4 });
const t0 = Date.now();
console.log(await insertLibrary(pool, buildLibrary(999)), Date.now() - t0, "ms");
await pool.end();
writeFileSync("/work/.scratch/E/pg-url", db.url);
console.log("READY", db.url);
process.on("SIGTERM", async () => { await db.stop(); process.exit(0); });
setInterval(() => {}, 1 << 30);
