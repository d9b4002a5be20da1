// npm run user:role -- <email> <member|moderator|editor|admin>
// Promotes or demotes an account, also while `npm start` runs (scripts/lib/user-role.ts). Never
// takes the admin role from the last admin who is not suspended. Logged in the audit log.
import { runDbScript } from "../lib/db/project-database";
import { runUserRole } from "./lib/user-role";

runDbScript(async () => {
  console.log(await runUserRole(process.argv.slice(2), { log: console.log }));
});
