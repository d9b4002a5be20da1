import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";

// The e2e server writes its throwaway database URL under .next/ (scripts/e2e-server.ts). Specs
// use it for what no page offers on purpose, such as making someone a site admin.
const port = Number(process.env.E2E_PORT ?? 3100);

export async function withDatabase<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const url = readFileSync(path.join(".next", `e2e-database-url-${port}`), "utf8").trim();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function setSiteRole(userId: string, role: "member" | "moderator" | "editor" | "admin"): Promise<void> {
  await withDatabase((client) => client.query(`UPDATE "user" SET role = $1 WHERE id = $2`, [role, userId]));
}
