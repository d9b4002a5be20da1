// The server the Playwright suite runs against: the production build (`next start`), on a
// throwaway PostgreSQL cluster migrated and seeded exactly as `npm start` does it. Playwright
// starts it and stops it with SIGTERM; the cluster and its folder go with it.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startThrowawayPostgres } from "../lib/db/embedded-postgres";
import { deployMigrations } from "../lib/db/migration-engine";
import { seedContent } from "../prisma/seed";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const port = process.env.PORT ?? "3100";

const pg = await startThrowawayPostgres();
await deployMigrations(pg.url);
await seedContent(pg.url);

if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
  console.log("e2e: no production build yet, building…");
  const build = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
    cwd: root,
    stdio: "inherit",
  });
  if (build.status !== 0) {
    await pg.stop();
    process.exit(build.status ?? 1);
  }
}

const next = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", port], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, DATABASE_URL: pg.url, PORT: port, NEXT_TELEMETRY_DISABLED: "1" },
});

let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  if (next.exitCode === null) {
    next.kill("SIGTERM");
    await new Promise((resolve) => next.once("exit", resolve));
  }
  await pg.stop();
  process.exit(code);
}

process.on("SIGTERM", () => void shutdown(0));
process.on("SIGINT", () => void shutdown(0));
next.on("exit", (code) => void shutdown(code ?? 1));
