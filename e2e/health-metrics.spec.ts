import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort, startEmbeddedPostgres, type EmbeddedPg } from "../lib/db/embedded-postgres";
import { deployMigrations } from "../lib/db/migration-engine";
import { expect, SLUG, test } from "./fixtures";

// The production server (scripts/lib/next-server.mjs) on its own database, which this test stops
// and starts again: /api/ready follows the database, /metrics answers only to its token and
// counts what was just asked, and the proxy's request id comes back and is in the access log.
const root = path.resolve(import.meta.dirname, "..");
const TOKEN = "e2e-metrics-token-0123456789abcdef";

/** A sample's value from Prometheus text, or null when the series is absent. */
function sample(text: string, series: string): number | null {
  const line = text.split("\n").find((entry) => entry.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : null;
}

test.describe.configure({ mode: "serial", timeout: 150_000 });

test("readiness follows the database; /metrics behind its token; request ids in the access log", async ({ request }) => {
  const dataDir = await mkdtemp(path.join(tmpdir(), "taiyaku-ready-"));
  const pgPort = await freePort();
  // Workstream port range 3460–3479 (parallel test runs on this machine).
  const appPort = Number(process.env.E2E_HEALTH_PORT ?? 3462);
  let pg: EmbeddedPg | undefined = await startEmbeddedPostgres({ dataDir, port: pgPort, database: "taiyaku", persistent: true });
  let server: ChildProcess | undefined;
  let stream: AbortController | undefined;
  const logLines: Record<string, unknown>[] = [];
  try {
    await deployMigrations(pg.url);
    const seed = spawnSync("npx", ["tsx", "--conditions=react-server", "prisma/seed.ts"], { cwd: root, env: { ...process.env, DATABASE_URL: pg.url }, encoding: "utf8" });
    expect(seed.status, seed.stderr).toBe(0);
    // The production server as `npm start` runs it (scripts/lib/app-launcher.ts).
    server = spawn(process.execPath, ["--liftoff-only", "scripts/lib/next-server.mjs"], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: pg.url,
        PORT: String(appPort),
        BETTER_AUTH_SECRET: "e2e-health-metrics-secret-0123456789abcdef",
        TRUSTED_PROXY_HOPS: "1",
        METRICS_TOKEN: TOKEN,
        LOG_ACCESS: "1",
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "ignore"],
    });
    let pending = "";
    server.stdout!.on("data", (chunk: Buffer) => {
      const text = pending + chunk.toString("utf8");
      const lines = text.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        try {
          logLines.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          // Not a JSON line (Next's own start-up text).
        }
      }
    });
    const base = `http://127.0.0.1:${appPort}`;
    await expect.poll(async () => (await request.get(`${base}/api/health`).catch(() => null))?.status(), { timeout: 30_000 }).toBe(200);

    const ready = await request.get(`${base}/api/ready`);
    expect(ready.status()).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready", checks: { database: true, migrations: true, liveListener: true }, failed: [] });

    // The proxy's request id: passed to the app, answered, logged with the route pattern.
    const health = await request.get(`${base}/api/health`, { headers: { "x-request-id": "e2e-proxy-request-0001" } });
    expect(health.headers()["x-request-id"]).toBe("e2e-proxy-request-0001");
    const page = await request.get(`${base}/en/articles/${SLUG}`, { headers: { "x-request-id": "e2e-proxy-request-0002" } });
    expect(page.status()).toBe(200);
    expect(page.headers()["x-request-id"]).toBe("e2e-proxy-request-0002");
    await expect.poll(() => logLines.find((line) => line.requestId === "e2e-proxy-request-0001")).toMatchObject({ msg: "request", method: "GET", route: "/api/health", status: 200 });
    await expect.poll(() => logLines.find((line) => line.requestId === "e2e-proxy-request-0002")).toMatchObject({ route: "/[locale]/articles/[slug]", status: 200 });

    // One open live stream.
    stream = new AbortController();
    const events = await fetch(`${base}/api/articles/${SLUG}/events`, { signal: stream.signal });
    expect(events.status).toBe(200);
    const reader = events.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain("connected");

    // /metrics: refused without the token, and alike with a wrong one (nothing says it exists).
    expect((await request.get(`${base}/metrics`)).status()).toBe(404);
    expect((await request.get(`${base}/metrics`, { headers: { authorization: "Bearer not-the-token" } })).status()).toBe(404);
    const metrics = await request.get(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(metrics.status()).toBe(200);
    const text = await metrics.text();
    expect(sample(text, 'taiyaku_http_requests_total{route="/api/health",method="GET",status="2xx"}')).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'taiyaku_http_requests_total{route="/[locale]/articles/[slug]",method="GET",status="2xx"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, "taiyaku_sse_streams_open")).toBe(1);
    expect(sample(text, 'taiyaku_db_pool_connections{state="total"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, "taiyaku_db_query_duration_seconds_count")).toBeGreaterThan(0);
    expect(sample(text, "taiyaku_process_cpu_seconds_total")).toBeGreaterThan(0);
    expect(text).not.toContain(SLUG);

    // The stream ends: the gauge follows.
    stream.abort();
    await expect
      .poll(async () => sample(await (await request.get(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text(), "taiyaku_sse_streams_open"))
      .toBe(0);

    // PostgreSQL stops: not ready, and the answer says why.
    await pg.stop();
    pg = undefined;
    await expect.poll(async () => (await request.get(`${base}/api/ready`)).status(), { timeout: 15_000 }).toBe(503);
    const down = await (await request.get(`${base}/api/ready`)).json();
    expect(down.status).toBe("unavailable");
    expect(down.failed).toContain("database");
    expect(down.checks.migrations).toBeNull();

    // It returns: ready again, without a restart, once the LISTEN connection is back too.
    pg = await startEmbeddedPostgres({ dataDir, port: pgPort, database: "taiyaku", persistent: true });
    await expect.poll(async () => (await request.get(`${base}/api/ready`)).status(), { timeout: 40_000 }).toBe(200);
    const after = await (await request.get(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    expect(sample(after, 'taiyaku_listener_reconnects_total{listener="live"}')).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'taiyaku_http_requests_total{route="/api/ready",method="GET",status="5xx"}')).toBeGreaterThanOrEqual(1);
  } finally {
    stream?.abort();
    server?.kill("SIGTERM");
    await pg?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
});
