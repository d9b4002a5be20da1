import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort, startEmbeddedPostgres, type EmbeddedPg } from "../lib/db/embedded-postgres";
import { deployMigrations } from "../lib/db/migration-engine";
import { expect, test } from "./fixtures";

// A second production server on its own database, which this test stops and starts again:
// the app must answer 503 with a localized page while the database is gone, and recover by
// itself (no restart) when it returns.
const root = path.resolve(import.meta.dirname, "..");

test.describe.configure({ mode: "serial", timeout: 120_000 });

test("503 while the database is down, then recovery without a restart", async ({ request }) => {
  const dataDir = await mkdtemp(path.join(tmpdir(), "taiyaku-outage-"));
  const [pgPort, appPort] = [await freePort(), await freePort()];
  let pg: EmbeddedPg | undefined = await startEmbeddedPostgres({ dataDir, port: pgPort, database: "taiyaku", persistent: true });
  let server: ChildProcess | undefined;
  try {
    await deployMigrations(pg.url);
    const seed = spawnSync("npx", ["tsx", "--conditions=react-server", "prisma/seed.ts"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: pg.url },
      encoding: "utf8",
    });
    expect(seed.status, seed.stderr).toBe(0);
    server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(appPort)], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: pg.url, PORT: String(appPort) },
      stdio: "ignore",
    });
    const base = `http://127.0.0.1:${appPort}`;
    await expect.poll(async () => (await request.get(`${base}/api/health`).catch(() => null))?.status(), { timeout: 30_000 }).toBe(200);
    expect((await request.get(`${base}/en`)).status()).toBe(200);

    await pg.stop();
    pg = undefined;
    await expect.poll(async () => (await request.get(`${base}/ja`)).status(), { timeout: 10_000 }).toBe(503);
    const ja = await request.get(`${base}/ja`);
    expect(ja.headers()["retry-after"]).toBe("5");
    expect(await ja.text()).toContain("一時的に利用できません");
    // The proxy's own page carries the security headers too (ADR 0015): no script may run.
    expect(ja.headers()["x-frame-options"]).toBe("DENY");
    expect(ja.headers()["x-content-type-options"]).toBe("nosniff");
    expect(ja.headers()["content-security-policy"]).toContain("script-src 'self';");
    expect(ja.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    const en = await request.get(`${base}/en/articles/japan-patriot-missile-export`);
    expect(en.status()).toBe(503);
    expect(await en.text()).toContain("temporarily unavailable");
    expect((await request.get(`${base}/api/health`)).status()).toBe(503);

    pg = await startEmbeddedPostgres({ dataDir, port: pgPort, database: "taiyaku", persistent: true });
    await expect.poll(async () => (await request.get(`${base}/en`)).status(), { timeout: 15_000 }).toBe(200);
    const page = await request.get(`${base}/ja/articles/japan-patriot-missile-export?text=both`);
    expect(page.status()).toBe(200);
    expect(await page.text()).toContain("防衛省");
  } finally {
    server?.kill("SIGTERM");
    await pg?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});
