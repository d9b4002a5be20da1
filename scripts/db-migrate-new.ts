// npm run db:migrate:new -- <name> — writes prisma/migrations/<timestamp>_<name>/migration.sql
// from the edits to prisma/schema.prisma (prisma migrate dev --create-only, offline). Review the
// SQL, then apply it with `npm run db:migrate` or `npm start`.
import path from "node:path";
import { createMigration } from "../lib/db/migration-engine";
import { openProjectDatabase, projectRoot, runDbScript, UserFacingError } from "../lib/db/project-database";

runDbScript(async () => {
  const name = process.argv.slice(2).join(" ").trim();
  if (!name) throw new UserFacingError('Name the migration: npm run db:migrate:new -- "add notes"');
  // A throwaway cluster (unless DATABASE_URL is set): the diff replays the migrations in a
  // temporary database anyway, and this works while `npm start` holds .data/postgres.
  const db = await openProjectDatabase({ mode: "scratch", log: console.log });
  const result = await createMigration(db.directUrl, name);
  if (result.dir === null) {
    console.log("prisma/schema.prisma has no changes that the migrations lack; no migration created.");
    return 0;
  }
  console.log(`Created ${path.relative(projectRoot, result.dir)}/migration.sql — review it, then run npm run db:migrate.`);
  return 0;
});
