import type { TestProject } from "vitest/node";
import { startThrowawayPostgres } from "@/lib/db/embedded-postgres";

// One throwaway PostgreSQL cluster per test run (or the server in TEST_PG_ADMIN_URL, e.g. CI's
// own); each test file then creates and drops its own databases in it.
export default async function setup(project: TestProject) {
  const external = process.env.TEST_PG_ADMIN_URL;
  if (external) {
    project.provide("pgAdminUrl", external);
    return;
  }
  const pg = await startThrowawayPostgres();
  process.env.TEST_PG_ADMIN_URL = pg.adminUrl;
  project.provide("pgAdminUrl", pg.adminUrl);
  return async () => {
    await pg.stop();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}
