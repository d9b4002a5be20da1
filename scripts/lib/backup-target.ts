// Which database db:backup and db:restore work on: DIRECT_DATABASE_URL / DATABASE_URL when set
// (never a pooler: COPY and the restore's migrations want one session), otherwise the embedded
// one in .data/postgres — started for the task, or, when a running Taiyaku already holds it,
// reached through that Taiyaku's own cluster: two postmasters must never share a data folder.
import path from "node:path";
import { EmbeddedPgBusyError, runningEmbeddedUrl } from "../../lib/db/embedded-postgres";
import { embeddedDatabaseName, openProjectDatabase, UserFacingError } from "../../lib/db/project-database";

export type BackupTarget = { url: string; description: string; stop(): Promise<void> };

export async function openBackupTarget(log: (message: string) => void): Promise<BackupTarget> {
  try {
    const db = await openProjectDatabase({ mode: "project", log });
    const description = db.source === "env" ? (process.env.DIRECT_DATABASE_URL?.trim() ? "DIRECT_DATABASE_URL" : "DATABASE_URL") : "the embedded database";
    return { url: db.directUrl, description, stop: () => db.stop() };
  } catch (error) {
    if (!(error instanceof EmbeddedPgBusyError)) throw error;
    const url = runningEmbeddedUrl(error.dataDir, embeddedDatabaseName);
    if (!url) throw error;
    log(`Using the embedded database of the running Taiyaku (pid ${error.pid}).`);
    return { url, description: "the embedded database (in use by the running Taiyaku)", stop: async () => undefined };
  }
}

/** The file argument, relative to where the user typed the command (npm runs scripts from the project root). */
export function fileArgument(args: string[], usage: string, allowedFlags: string[] = []): { file: string; flags: Set<string> } {
  const flags = new Set(args.filter((arg) => arg.startsWith("--")));
  const positional = args.filter((arg) => !arg.startsWith("--"));
  const unknown = [...flags].filter((flag) => !allowedFlags.includes(flag));
  if (positional.length !== 1 || unknown.length > 0) throw new UserFacingError(unknown.length > 0 ? `Unknown option ${unknown[0]}. ${usage}` : usage);
  const base = process.env.INIT_CWD || process.cwd();
  return { file: path.resolve(base, positional[0]!), flags };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
