// The work of `npm run user:role -- <email> <role>` (scripts/user-role.ts), here so a test can run
// it against a cluster of its own. The database: DATABASE_URL, else the project's embedded one —
// started for the task, or, while `npm start` holds it, reached through the running server's own
// cluster (its postmaster.pid names the port; two postmasters must never share a data folder).
// Nothing about a role is cached anywhere: every request reads the viewer's role in its one
// viewer statement (lib/auth/viewer.ts), so every instance sees the change on its next request.
import { EmbeddedPgBusyError, runningEmbeddedUrl } from "../../lib/db/embedded-postgres";
import { embeddedDatabaseName, openProjectDatabase, UserFacingError, type ProjectDatabase } from "../../lib/db/project-database";

export const USER_ROLE_USAGE = "Usage: npm run user:role -- <email> <member|moderator|editor|admin>";

type Options = { log: (message: string) => void; dataDir?: string };

/** Runs the command; returns the sentence to print (errors are UserFacingErrors). */
export async function runUserRole(args: string[], options: Options): Promise<string> {
  const [email, role, ...rest] = args;
  if (!email || !role || rest.length) throw new UserFacingError(USER_ROLE_USAGE);
  // Imported lazily: the role check needs no database, and getPrisma() reads DATABASE_URL.
  const { roleSchema, roles } = await import("../../features/accounts/schema");
  const parsedRole = roleSchema.safeParse(role);
  if (!parsedRole.success) throw new UserFacingError(`"${role}" is not a role; use one of ${roles.join(", ")}.`);

  const db = await openRoleDatabase(options);
  process.env.DATABASE_URL = db.url;
  const { changeUserRole } = await import("../../features/admin/mutations");
  const { getPrisma } = await import("../../lib/db/prisma");
  try {
    const result = await changeUserRole({ actor: null, target: { email }, role: parsedRole.data });
    if (!result.ok && result.code === "last_admin") {
      throw new UserFacingError(`${email.trim().toLowerCase()} is the last admin who is not suspended; make someone else an admin first.`);
    }
    if (!result.ok) throw new UserFacingError(`No account has the email ${email.trim().toLowerCase()}.`);
    return result.previousRole === result.role
      ? `${result.email} (${result.name}) is already ${result.role}; nothing changed.`
      : `${result.email} (${result.name}) is now ${result.role} (was ${result.previousRole}).`;
  } finally {
    await getPrisma().$disconnect();
  }
}

async function openRoleDatabase(options: Options): Promise<Pick<ProjectDatabase, "url">> {
  try {
    return await openProjectDatabase({ mode: "project", log: () => undefined, dataDir: options.dataDir });
  } catch (error) {
    if (!(error instanceof EmbeddedPgBusyError)) throw error;
    const url = runningEmbeddedUrl(error.dataDir, embeddedDatabaseName);
    if (!url) throw error;
    options.log(`Using the embedded database of the running Taiyaku (pid ${error.pid}).`);
    return { url };
  }
}
