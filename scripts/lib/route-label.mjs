// The route pattern a request is counted under in the metrics and the access log: "/api/notes/[id]",
// never "/api/notes/4f1c…". A label per raw path would make one time series per note, invite
// token or probe a scanner sends (unbounded memory in this process and in Prometheus), so every
// path maps to one of Next's own route patterns, read from the build, or to "other".
import { readFileSync } from "node:fs";
import path from "node:path";

/** What any path outside the build's routes is counted as. */
export const OTHER_ROUTE = "other";

// Addresses Next answers that are not routes in the manifest, and the public reader address
// that proxy.ts rewrites to the internal /[locale]/articles/[slug]/[mode] route.
const BUILT_IN = [
  { pattern: "/_next/static", test: (p) => p.startsWith("/_next/static/") },
  { pattern: "/_next/image", test: (p) => p === "/_next/image" },
  { pattern: "/_next/other", test: (p) => p.startsWith("/_next/") },
];

/** Entries remembered per path; the map is cleared when full, so a scanner cannot grow it. */
const CACHE_LIMIT = 2_000;

/**
 * @param {{ staticRoutes?: { page: string }[], dynamicRoutes?: { page: string, namedRegex?: string, regex: string }[] } | null} manifest
 *   Next's routes-manifest.json (null when there is no build: everything but the built-ins is "other")
 * @param {{ locales: readonly string[] }} options
 * @returns {(pathname: string) => string}
 */
export function createRouteLabeller(manifest, { locales }) {
  const localeGroup = `(?:${locales.map(escapeRegExp).join("|")})`;
  const reader = new RegExp(`^/${localeGroup}/articles/[^/]+/?$`);
  const exact = new Map();
  for (const route of manifest?.staticRoutes ?? []) exact.set(route.page, route.page);
  // In the manifest's order: Next sorts dynamic routes most specific first (catch-alls last).
  const dynamic = (manifest?.dynamicRoutes ?? []).map((route) => ({
    page: route.page,
    // A [locale] segment matches only the app's locales: "/wp-login.php" is not "/[locale]".
    regex: new RegExp((route.namedRegex ?? route.regex).replace("(?<nxtPlocale>[^/]+?)", `(?<nxtPlocale>${localeGroup})`)),
  }));
  const cache = new Map();

  function resolve(pathname) {
    if (pathname === "/") return "/";
    for (const rule of BUILT_IN) if (rule.test(pathname)) return rule.pattern;
    // A client navigation fetches the same route as a React Server Components payload.
    let route = pathname;
    const segments = route.indexOf(".segments/");
    if (segments > 0) route = route.slice(0, segments);
    else if (route.endsWith(".rsc")) route = route.slice(0, -4);
    if (route.length > 1 && route.endsWith("/")) route = route.slice(0, -1);
    if (reader.test(route)) return "/[locale]/articles/[slug]";
    const known = exact.get(route);
    if (known) return known;
    for (const { page, regex } of dynamic) if (regex.test(route)) return page;
    return OTHER_ROUTE;
  }

  return (pathname) => {
    let label = cache.get(pathname);
    if (label === undefined) {
      label = resolve(pathname);
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(pathname, label);
    }
    return label;
  };
}

/**
 * The labeller for a production build folder (`<distDir>/routes-manifest.json`).
 * @param {string} distDir absolute path of the build folder
 * @param {{ locales: readonly string[] }} options
 */
export function routeLabellerForBuild(distDir, options) {
  let manifest = null;
  try {
    manifest = JSON.parse(readFileSync(path.join(distDir, "routes-manifest.json"), "utf8"));
  } catch {
    // No build (a unit test) or an unreadable one: only the built-in patterns are told apart.
  }
  return createRouteLabeller(manifest, options);
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
