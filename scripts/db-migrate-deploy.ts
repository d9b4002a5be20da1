// npm run db:migrate — applies pending migrations (prisma migrate deploy, offline) to DATABASE_URL
// or, when it is unset, to the embedded database in .data/postgres. Through DIRECT_DATABASE_URL
// when that is set: never through a pooler (ADR 0026).
import { deployMigrations } from "../lib/db/migration-engine";
import { openProjectDatabase, runDbScript } from "../lib/db/project-database";

runDbScript(async () => {
  const db = await openProjectDatabase({ mode: "project", log: console.log });
  const t0 = performance.now();
  const { applied } = await deployMigrations(db.directUrl);
  const ms = Math.round(performance.now() - t0);
  console.log(applied.length ? `Applied ${applied.length} migration(s) in ${ms} ms: ${applied.join(", ")}.` : `No pending migrations (${ms} ms).`);
});
