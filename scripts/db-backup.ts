// npm run db:backup -- <file> [--force] — a consistent snapshot of DATABASE_URL's database or
// the embedded one (running or not) into one gzip'd file. See README "Backups" and ADR 0025.
import fs from "node:fs";
import { BackupRefusedError, createBackup } from "../lib/db/backup/create-backup";
import { runDbScript, UserFacingError } from "../lib/db/project-database";
import { fileArgument, formatBytes, openBackupTarget } from "./lib/backup-target";

runDbScript(async () => {
  const { file, flags } = fileArgument(
    process.argv.slice(2),
    "Usage: npm run db:backup -- <file> [--force], e.g. npm run db:backup -- ~/taiyaku-backups/2026-11-29.backup.gz",
    ["--force"],
  );
  if (fs.existsSync(file) && !flags.has("--force")) {
    throw new UserFacingError(`${file} already exists; choose another name (or pass --force to replace it).`);
  }
  const target = await openBackupTarget(console.log);
  const summary = await createBackup(target.url, file, { overwrite: flags.has("--force") }).catch((error: unknown) => {
    throw error instanceof BackupRefusedError ? new UserFacingError(error.message) : error;
  });
  console.log(
    `Backed up ${target.description}: ${summary.tables.length} tables, ${summary.rows} rows, ${summary.migrations} migrations, ` +
      `into ${file} (${formatBytes(summary.bytes)}) in ${(summary.ms / 1000).toFixed(1)} s.`,
  );
});
