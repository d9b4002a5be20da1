// npm run db:status — prisma migrate status, offline: applied, pending and problems. Exits 1 when
// something is pending or wrong, so CI can use it as a gate.
import { migrationStatus } from "../lib/db/migration-engine";
import { openProjectDatabase, runDbScript } from "../lib/db/project-database";

runDbScript(async () => {
  const db = await openProjectDatabase({ mode: "project", log: console.log });
  const { applied, pending, problems } = await migrationStatus(db.directUrl);
  console.log(`Applied: ${applied.length ? applied.join(", ") : "none"}.`);
  console.log(`Pending: ${pending.length ? pending.join(", ") : "none"}.`);
  for (const problem of problems) console.log(`Problem: ${problem}`);
  if (problems.length === 0 && pending.length === 0) console.log("The database is up to date.");
  return problems.length > 0 || pending.length > 0 ? 1 : 0;
});
