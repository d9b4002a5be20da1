import path from "node:path";
import { defineConfig } from "vitest/config";

const root = import.meta.dirname;
// Tests run outside UTC and outside Japan so code that assumes the server's zone shows up.
process.env.TZ = "America/Los_Angeles";

export default defineConfig({
  resolve: {
    alias: {
      "@": root,
      // data.ts / mutations.ts import "server-only" to keep them out of client bundles; in tests
      // there is no bundle to protect.
      "server-only": path.join(root, "lib/testing/empty-module.ts"),
    },
  },
  test: {
    // next-intl imports "next/server" without an extension, which only a bundler resolves.
    server: { deps: { inline: ["next-intl"] } },
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["**/*.test.{ts,tsx}"],
          // .next-*: parallel build folders (NEXT_DIST_DIR) hold copies of packages with their own tests.
          exclude: ["**/*.int.test.{ts,tsx}", "node_modules/**", "e2e/**", ".next/**", ".next-*/**"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["**/*.int.test.{ts,tsx}"],
          exclude: ["node_modules/**", ".next/**", ".next-*/**"],
          globalSetup: ["lib/testing/postgres-global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
