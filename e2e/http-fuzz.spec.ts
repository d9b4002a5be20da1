import { readdirSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { signUp } from "./support/accounts";

// Malformed requests against the real production server, through its whole stack (our Node
// server, Next's router, the proxy, the pipeline): every one answers a 4xx — never a 500 — and
// API answers are JSON envelopes. Routes are read from app/api, so a new one is fuzzed too.

function apiRoutes(dir = path.join(process.cwd(), "app", "api"), prefix = "/api"): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isFile()) return entry.name === "route.ts" ? [prefix] : [];
    return apiRoutes(path.join(dir, entry.name), `${prefix}/${entry.name}`);
  });
}

// Raw path segments, already percent-encoded as a client would send them.
const BAD_SEGMENTS = ["%ED%A0%80", "%ZZ", "%00", "a%00b", "%C0%AF", "..%2F..%2Fetc", "x".repeat(3000), "%F0%9F%98", "null", "-1"];
const METHODS = ["GET", "POST", "PATCH", "PUT", "DELETE", "TRACE", "PROPFIND"];

test("every API route answers malformed ids and odd methods with a 4xx JSON envelope, never a 500", async ({ context }) => {
  test.setTimeout(120_000);
  await signUp(context);
  const origin = new URL(test.info().project.use.baseURL!).origin;
  const routes = apiRoutes();
  expect(routes.length).toBeGreaterThanOrEqual(30);
  const failures: string[] = [];
  for (const route of routes) {
    const targets = /\[/.test(route) ? BAD_SEGMENTS.map((bad) => route.replace(/\[\w+\]/g, bad)) : [route];
    for (const target of targets) {
      for (const method of METHODS) {
        const response = await context.request.fetch(target, {
          method,
          headers: { "content-type": "application/json", origin },
          data: method === "GET" ? undefined : '{"body":"x"}',
          failOnStatusCode: false,
          maxRedirects: 0,
        });
        const status = response.status();
        if (status >= 500) failures.push(`${method} ${target.slice(0, 80)} → ${status}`);
        if (status >= 400 && status !== 405 && !target.endsWith("/events")) {
          const type = response.headers()["content-type"] ?? "";
          if (!type.includes("application/json")) failures.push(`${method} ${target.slice(0, 80)} → ${status} ${type}`);
        }
      }
    }
  }
  expect(failures).toEqual([]);
});

test("pages with malformed addresses answer the localized 404, unknown methods 405", async ({ request }) => {
  for (const [target, status] of [
    ["/en/articles/%ED%A0%80", 404],
    ["/ja/invite/%ED%A0%80", 404],
    ["/en/groups/%ZZ", 404],
    ["/ja/articles/%00", 404],
  ] as const) {
    const response = await request.get(target, { failOnStatusCode: false });
    expect({ target, status: response.status() }).toEqual({ target, status });
    expect(await response.text()).toContain(target.startsWith("/ja") ? "ページが見つかりません" : "Page not found");
  }
  const trace = await request.fetch("/en", { method: "TRACE", failOnStatusCode: false });
  expect(trace.status()).toBe(405);
  expect(trace.headers()["allow"]).toContain("GET");
});
