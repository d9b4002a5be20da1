// npm run db:migrate — applies pending migrations (prisma migrate deploy, offline) to DATABASE_URL
// or, when it is unset, to the embedded database in .data/postgres.
import { deployMigrations } from "../lib/db/migration-engine";
import { openProjectDatabase, runDbScript } from "../lib/db/project-database";

runDbScript(async () => {
  const db = await openProjectDatabase({ mode: "project", log: console.log });
  const t0 = performance.now();
  const { applied } = await deployMigrations(db.url);
  const ms = Math.round(performance.now() - t0);
  console.log(applied.length ? `Applied ${applied.length} migration(s) in ${ms} ms: ${applied.join(", ")}.` : `No pending migrations (${ms} ms).`);
});
