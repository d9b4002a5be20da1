// npm run db:restore -- <file> — a db:backup file into an EMPTY database (DATABASE_URL's, or the
// embedded one, which is created when .data/postgres does not exist). See README "Backups".
import { BackupFormatError } from "../lib/db/backup/backup-file";
import { restoreBackup, RestoreRefusedError } from "../lib/db/backup/restore-backup";
import { runDbScript, UserFacingError } from "../lib/db/project-database";
import { fileArgument, openBackupTarget } from "./lib/backup-target";

runDbScript(async () => {
  const { file } = fileArgument(process.argv.slice(2), "Usage: npm run db:restore -- <file>, a file made by npm run db:backup.");
  const target = await openBackupTarget(console.log);
  const summary = await restoreBackup(target.url, file, { log: console.log }).catch((error: unknown) => {
    throw error instanceof RestoreRefusedError || error instanceof BackupFormatError ? new UserFacingError(error.message) : error;
  });
  const largest = [...summary.tables].sort((a, b) => b.rows - a.rows).slice(0, 5);
  console.log(
    `Restored ${target.description} from ${file} (made ${summary.backup.createdAt} by Taiyaku ${summary.backup.appVersion}): ` +
      `${summary.migrations} migrations, ${summary.tables.length} tables, ${summary.rows} rows, every table verified, in ${(summary.ms / 1000).toFixed(1)} s.`,
  );
  console.log(`Largest tables: ${largest.map((table) => `${table.name} ${table.rows}`).join(", ")}.`);
  if (summary.mode === "owner") console.log("Triggers were disabled by name during the load (not a superuser) and are enabled again.");
});
