import { describe, expect, it } from "vitest";
import { createRouteLabeller, OTHER_ROUTE } from "@/scripts/lib/route-label.mjs";

// The metrics' route label (scripts/lib/route-label.mjs): every path maps to one of the build's
// route patterns or "other", so the number of time series is fixed by the app, not by traffic.

/** The shape of Next's routes-manifest.json, with routes of this app. */
const staticRoute = (page: string) => ({ page, regex: `^${page}(?:/)?$` });
const dynamicRoute = (page: string, namedRegex: string) => ({ page, regex: namedRegex.replace(/\?<[^>]+>/g, ""), namedRegex });
const manifest = {
  staticRoutes: ["/api/notes", "/api/health", "/api/ready", "/sitemap.xml", "/icon.svg"].map(staticRoute),
  dynamicRoutes: [
    dynamicRoute("/api/notes/[id]", "^/api/notes/(?<nxtPid>[^/]+?)(?:/)?$"),
    dynamicRoute("/api/notes/[id]/flag", "^/api/notes/(?<nxtPid>[^/]+?)/flag(?:/)?$"),
    dynamicRoute("/api/articles/[slug]/events", "^/api/articles/(?<nxtPslug>[^/]+?)/events(?:/)?$"),
    dynamicRoute("/[locale]", "^/(?<nxtPlocale>[^/]+?)(?:/)?$"),
    dynamicRoute("/[locale]/articles/[slug]/[mode]", "^/(?<nxtPlocale>[^/]+?)/articles/(?<nxtPslug>[^/]+?)/(?<nxtPmode>[^/]+?)(?:/)?$"),
    dynamicRoute("/[locale]/groups", "^/(?<nxtPlocale>[^/]+?)/groups(?:/)?$"),
    dynamicRoute("/[locale]/invite/[token]", "^/(?<nxtPlocale>[^/]+?)/invite/(?<nxtPtoken>[^/]+?)(?:/)?$"),
    dynamicRoute("/[locale]/[...rest]", "^/(?<nxtPlocale>[^/]+?)/(?<nxtPrest>.+?)(?:/)?$"),
  ],
};
const label = createRouteLabeller(manifest, { locales: ["en", "ja"] });

describe("route labels for metrics and the access log", () => {
  it("labels API paths by their route pattern, never by the ids in them", () => {
    expect(label("/api/notes")).toBe("/api/notes");
    expect(label("/api/notes/")).toBe("/api/notes");
    expect(label("/api/notes/4f1c2d3e-0000-4000-8000-000000000001")).toBe("/api/notes/[id]");
    expect(label("/api/notes/4f1c2d3e-0000-4000-8000-000000000001/flag")).toBe("/api/notes/[id]/flag");
    expect(label("/api/articles/some-slug/events")).toBe("/api/articles/[slug]/events");
    expect(label("/api/ready")).toBe("/api/ready");
  });

  it("labels the public reader address as the reader, though proxy.ts rewrites it to the [mode] route", () => {
    expect(label("/en/articles/japan-patriot-missile-export")).toBe("/[locale]/articles/[slug]");
    expect(label("/ja/articles/japan-patriot-missile-export/")).toBe("/[locale]/articles/[slug]");
    expect(label("/ja/articles/japan-patriot-missile-export/both")).toBe("/[locale]/articles/[slug]/[mode]");
  });

  it("matches [locale] only for the app's locales; the rest of the world is one label", () => {
    expect(label("/en")).toBe("/[locale]");
    expect(label("/ja/groups")).toBe("/[locale]/groups");
    expect(label("/en/invite/secret-token-value-123456")).toBe("/[locale]/invite/[token]");
    expect(label("/en/no/such/page")).toBe("/[locale]/[...rest]");
    for (const probe of ["/wp-login.php", "/fr/groups", "/.env", "/admin/config.php", "/api/unknown/thing/deep"]) {
      expect(label(probe)).toBe(OTHER_ROUTE);
    }
  });

  it("labels the root, Next's own files and React Server Components requests", () => {
    expect(label("/")).toBe("/");
    expect(label("/_next/static/chunks/app-1234.js")).toBe("/_next/static");
    expect(label("/_next/image")).toBe("/_next/image");
    expect(label("/_next/data/x.json")).toBe("/_next/other");
    expect(label("/en/groups.rsc")).toBe("/[locale]/groups");
    expect(label("/ja.segments/_tree.segment.rsc")).toBe("/[locale]");
    expect(label("/sitemap.xml")).toBe("/sitemap.xml");
  });

  it("keeps cardinality bounded: thousands of distinct paths give at most the build's patterns", () => {
    const patterns = new Set([...manifest.staticRoutes, ...manifest.dynamicRoutes].map((route) => route.page));
    const allowed = new Set([...patterns, "/", "/[locale]/articles/[slug]", "/_next/static", "/_next/image", "/_next/other", OTHER_ROUTE]);
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i += 1) {
      const random = Math.random().toString(36).slice(2);
      for (const path of [`/api/notes/${random}`, `/en/articles/${random}`, `/${random}`, `/${random}/${random}/x`, `/ja/${random}.rsc`]) seen.add(label(path));
    }
    for (const value of seen) expect(allowed.has(value), value).toBe(true);
    expect(seen.size).toBeLessThanOrEqual(6);
  });

  it("without a build, everything but the built-in addresses is \"other\"", () => {
    const bare = createRouteLabeller(null, { locales: ["en", "ja"] });
    expect(bare("/api/notes")).toBe(OTHER_ROUTE);
    expect(bare("/_next/static/x.js")).toBe("/_next/static");
    expect(bare("/")).toBe("/");
  });
});
