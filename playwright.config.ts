import { defineConfig, devices } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3100);
const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

export default defineConfig({
  testDir: "e2e",
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 7_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: chromiumArgs },
  },
  projects: [
    { name: "desktop", use: { ...devices["Desktop Chrome"], channel: undefined }, testIgnore: /cluster\.spec\.ts/ },
    { name: "phone", use: { ...devices["Pixel 7"], viewport: { width: 360, height: 740 } }, grep: /@phone/, testIgnore: /cluster\.spec\.ts/ },
    // Three instances, nginx and 50 writers load both cores by themselves: after the desktop
    // suite, never beside it (ADR 0023). Alone: `--project cluster --no-deps`.
    { name: "cluster", testMatch: /cluster\.spec\.ts/, dependencies: ["desktop"] },
  ],
  // E2E_SERVER_RUNNING=1: test a server started by hand on E2E_PORT (scripts/e2e-server.ts).
  webServer: process.env.E2E_SERVER_RUNNING ? undefined : {
    // A production build against its own throwaway database, seeded like `npm start` seeds.
    command: "npx tsx --conditions=react-server scripts/e2e-server.ts",
    url: `http://127.0.0.1:${port}/api/health`,
    // A second instance of the app on the same database listens on port + 1 (e2e/live.spec.ts).
    env: { PORT: String(port), E2E_SECOND_PORT: String(port + 1) },
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
  },
});
