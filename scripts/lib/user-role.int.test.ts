import { execFile } from "node:child_process";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startEmbeddedPostgres, type EmbeddedPg } from "@/lib/db/embedded-postgres";
import { query } from "@/lib/testing/test-database";

// `npm run user:role` while a server holds the embedded database: this file's cluster plays the
// running `npm start` (a persistent cluster on its own data folder), and the command runs in a
// process of its own, as from a second terminal, pointed at that folder. It must reach the running
// cluster through its lock file instead of refusing or starting a second postmaster.

const execFileAsync = promisify(execFile);
const projectRoot = path.resolve(import.meta.dirname, "../..");

let tmp: string;
let dataDir: string;
let cluster: EmbeddedPg;

beforeAll(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), "taiyaku-user-role-test-"));
  await fsp.chmod(tmp, 0o755);
  dataDir = path.join(tmp, "postgres");
  cluster = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: "taiyaku", persistent: true });
  const { deployMigrations } = await import("@/lib/db/migration-engine");
  await deployMigrations(cluster.url);
  for (const [id, role] of [
    ["user-role-member", "member"],
    ["user-role-admin", "admin"],
  ] as const) {
    await query(cluster.url, `INSERT INTO "user" (id, name, email, role, updated_at) VALUES ($1, $2, $3, $4, now())`, [id, `Name of ${id}`, `${id}@example.test`, role]);
  }
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
  if (tmp) await fsp.rm(tmp, { recursive: true, force: true });
});

/** The command in a process of its own (as `npm run user:role` runs it), against this file's data folder. */
async function userRole(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const program = `
    import { runDbScript } from "./lib/db/project-database.ts";
    import { runUserRole } from "./scripts/lib/user-role.ts";
    runDbScript(async () => { console.log(await runUserRole(JSON.parse(process.env.USER_ROLE_ARGS), { log: console.log, dataDir: process.env.USER_ROLE_DATA_DIR })); });
  `;
  const env: NodeJS.ProcessEnv = { ...process.env, USER_ROLE_ARGS: JSON.stringify(args), USER_ROLE_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  delete env.DIRECT_DATABASE_URL;
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, ["--conditions=react-server", "--import", "tsx", "--input-type=module", "-e", program], {
      cwd: projectRoot,
      env,
      timeout: 90_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === "number" ? failed.code : -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

describe("npm run user:role while the server runs", () => {
  it("changes the role in the running server's database and logs it without an actor", async () => {
    const result = await userRole("USER-ROLE-MEMBER@example.test", "moderator");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Using the embedded database of the running Taiyaku \(pid \d+\)\./);
    expect(result.stdout).toContain("user-role-member@example.test (Name of user-role-member) is now moderator (was member).");
    expect(await query(cluster.url, `SELECT role::text AS role FROM "user" WHERE id = 'user-role-member'`)).toEqual([{ role: "moderator" }]);
    expect(await query(cluster.url, `SELECT actor_id, old_status, new_status, internal_note FROM moderation_log WHERE target_user_id = 'user-role-member'`)).toEqual([
      { actor_id: null, old_status: "member", new_status: "moderator", internal_note: "npm run user:role" },
    ]);
    // The server's cluster is untouched: still the one postmaster, still answering.
    expect(await query(cluster.url, "SELECT 1 AS up")).toEqual([{ up: 1 }]);
  }, 120_000);

  it("refuses to demote the last admin, and unknown emails, with one sentence and exit code 1", async () => {
    const last = await userRole("user-role-admin@example.test", "member");
    expect(last.code).toBe(1);
    expect(last.stderr.trim()).toBe("user-role-admin@example.test is the last admin who is not suspended; make someone else an admin first.");
    expect(await query(cluster.url, `SELECT role::text AS role FROM "user" WHERE id = 'user-role-admin'`)).toEqual([{ role: "admin" }]);

    const unknown = await userRole("nobody@example.test", "admin");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe("No account has the email nobody@example.test.");
  }, 120_000);
});
