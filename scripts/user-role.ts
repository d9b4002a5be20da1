// npm run user:role -- <email> <member|moderator|editor|admin>
// Promotes or demotes an account. Uses DATABASE_URL, or the project's embedded database like
// `npm start` does (stop `npm start` first in that case: the embedded cluster has one owner).
import { openProjectDatabase, runDbScript, UserFacingError } from "../lib/db/project-database";

const USAGE = "Usage: npm run user:role -- <email> <member|moderator|editor|admin>";

runDbScript(async () => {
  const [email, role, ...rest] = process.argv.slice(2);
  if (!email || !role || rest.length) throw new UserFacingError(USAGE);
  // Imported lazily: the schema check needs no database, and getPrisma() reads DATABASE_URL.
  const { roleSchema, roles } = await import("../features/accounts/schema");
  const parsedRole = roleSchema.safeParse(role);
  if (!parsedRole.success) throw new UserFacingError(`"${role}" is not a role; use one of ${roles.join(", ")}.`);

  const db = await openProjectDatabase({ mode: "project", log: () => undefined });
  process.env.DATABASE_URL = db.url;
  const { setUserRole } = await import("../features/accounts/mutations");
  const { getPrisma } = await import("../lib/db/prisma");
  try {
    const result = await setUserRole(email, parsedRole.data);
    if (!result) throw new UserFacingError(`No account has the email ${email.trim().toLowerCase()}.`);
    console.log(
      result.previousRole === result.role
        ? `${result.email} (${result.name}) is already ${result.role}; nothing changed.`
        : `${result.email} (${result.name}) is now ${result.role} (was ${result.previousRole}).`,
    );
  } finally {
    await getPrisma().$disconnect();
  }
});
