// npm run db:check — fails when prisma/schema.prisma and prisma/migrations disagree, i.e. someone
// edited the schema without running `npm run db:migrate:new -- <name>`. Prints the missing SQL.
import { diffMigrationsToSchema } from "../lib/db/migration-engine";
import { openProjectDatabase, runDbScript } from "../lib/db/project-database";

runDbScript(async () => {
  // Any server will do: the migrations are replayed in a temporary database on it.
  const db = await openProjectDatabase({ mode: "scratch", log: console.log });
  const t0 = performance.now();
  const { inSync, sql } = await diffMigrationsToSchema(db.directUrl);
  const ms = Math.round(performance.now() - t0);
  if (inSync) {
    console.log(`prisma/schema.prisma and prisma/migrations agree (${ms} ms).`);
    return 0;
  }
  console.error("prisma/schema.prisma and prisma/migrations disagree. The migrations lack this SQL:\n");
  console.error(sql.trimEnd());
  console.error('\nCreate a migration for it: npm run db:migrate:new -- "<what changed>"');
  return 1;
});
