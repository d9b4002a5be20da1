import { randomBytes, randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import en from "@/messages/en.json";
import { createAppTestDatabase } from "@/lib/testing/test-database";
import { signUpTestUser, type TestUser } from "@/lib/testing/test-users";

// Every route handler under app/api goes through the one pipeline (lib/http/endpoint.ts), and
// the pipeline refuses forged and malformed requests the same way everywhere. The routes are
// found on disk, so a new route that bypasses the pipeline fails here.

vi.mock("next/cache", () => ({ unstable_cache: <T>(fn: T) => fn, revalidateTag: vi.fn() }));
process.env.LOG_LEVEL = "silent";

const SLUG = "japan-patriot-missile-export";
const ROOT = path.resolve(import.meta.dirname, "../..");
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/**
 * Route handlers allowed to bypass the pipeline, each with its reason. The bench's static
 * baseline page must cost what a static file costs (it is what the reader page is compared with),
 * and answers 404 to everything unless the bench started the server.
 */
const OUTSIDE_PIPELINE = new Set(["[locale]/bench-baseline"]);
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Route = { file: string; urlPath: string; paramNames: string[]; methods: Record<string, Handler> };

let db: Awaited<ReturnType<typeof createAppTestDatabase>>;
let user: TestUser;
let pipelineMeta: typeof import("./endpoint").pipelineMeta;
const routes: Route[] = [];

function findRouteFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return findRouteFiles(full);
    return entry.name === "route.ts" ? [full] : [];
  });
}

beforeAll(async () => {
  db = await createAppTestDatabase("pipeline");
  pipelineMeta = (await import("./endpoint")).pipelineMeta;
  user = await signUpTestUser("pipeline");
  for (const file of findRouteFiles(path.join(ROOT, "app")).sort()) {
    const relative = path.relative(path.join(ROOT, "app"), path.dirname(file));
    if (OUTSIDE_PIPELINE.has(relative)) continue;
    const mod = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    const methods = Object.fromEntries(Object.entries(mod).filter(([name]) => /^(GET|HEAD|OPTIONS|POST|PUT|PATCH|DELETE)$/.test(name))) as Record<string, Handler>;
    routes.push({ file: relative, urlPath: `/${relative}`, paramNames: [...relative.matchAll(/\[(\w+)\]/g)].map((m) => m[1]!), methods });
  }
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

/** Plausible values for each path parameter name, so only the thing under test is wrong. */
function validParams(route: Route): Record<string, string> {
  const sample: Record<string, string> = { id: randomUUID(), inviteId: randomUUID(), slug: SLUG, userId: user.id, token: randomBytes(32).toString("base64url") };
  // /api/moderation/users/{id}/suspension takes a user id.
  if (route.file.includes("moderation/users")) sample.id = user.id;
  return Object.fromEntries(route.paramNames.map((name) => [name, sample[name]!]));
}

function call(route: Route, method: string, init: { headers?: Record<string, string>; body?: string; params?: Record<string, string>; query?: string } = {}) {
  const params = init.params ?? validParams(route);
  const url = `http://localhost${route.urlPath.replace(/\[(\w+)\]/g, (_, name: string) => safeEncode(params[name] ?? ""))}${init.query ?? ""}`;
  const request = new Request(url, { method, headers: { host: "localhost", ...init.headers }, body: init.body });
  return route.methods[method]!(request, { params: Promise.resolve(params) });
}

/** A lone surrogate cannot be percent-encoded; the handler gets the raw value through params anyway. */
function safeEncode(value: string): string {
  return value.isWellFormed() ? encodeURIComponent(value) : "x";
}

function eachHandler(filter: (method: string) => boolean = () => true): [string, string][] {
  return routes.flatMap((route) => Object.keys(route.methods).filter(filter).map((method) => [route.file, method] as [string, string]));
}
const byFile = (file: string) => routes.find((route) => route.file === file)!;

describe("the one pipeline", () => {
  it("serves every route handler under app/ (a handler that bypasses it fails here)", () => {
    expect(routes.length).toBeGreaterThanOrEqual(30);
    const bypassing = eachHandler().filter(([file, method]) => pipelineMeta(byFile(file).methods[method]) === null);
    expect(bypassing).toEqual([]);
    // The declared path parameters are exactly the route's dynamic segments, in order.
    for (const route of routes) {
      for (const handler of Object.values(route.methods)) expect(pipelineMeta(handler)!.paramNames).toEqual(route.paramNames);
    }
  });

  it("refuses cross-origin writes on every unsafe endpoint: foreign Origin, Origin: null, cross-site or same-site fetch metadata", async () => {
    const forged: Record<string, string>[] = [
      { origin: "http://evil.example", "sec-fetch-site": "cross-site" },
      { origin: "http://evil.example" },
      { origin: "null" },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
      { origin: "http://localhost.evil.example" },
    ];
    const unsafe = eachHandler((method) => UNSAFE.has(method));
    expect(unsafe.length).toBeGreaterThanOrEqual(20);
    for (const [file, method] of unsafe) {
      for (const headers of forged) {
        const response = await call(byFile(file), method, { headers: { ...headers, cookie: user.cookie, "content-type": "application/json", "x-ui-locale": "en" }, body: "{}" });
        expect({ file, method, headers, status: response.status }).toEqual({ file, method, headers, status: 403 });
        expect(await response.json()).toEqual({ ok: false, code: "cross_origin", message: en.Api.crossOrigin });
      }
    }
  });

  it("lets same-origin browsers and non-browser clients through the origin check", async () => {
    const route = byFile("api/notifications/read-all");
    const allowed: Record<string, string>[] = [{ origin: "http://localhost" }, { "sec-fetch-site": "same-origin" }, { "sec-fetch-site": "none" }, {}];
    for (const headers of allowed) {
      const response = await call(route, "POST", { headers: { ...headers, cookie: user.cookie } });
      expect(response.status).toBe(200);
    }
  });

  it("refuses bodies that are not JSON (415) or too large (413) on every unsafe endpoint", async () => {
    for (const [file, method] of eachHandler((m) => UNSAFE.has(m))) {
      const route = byFile(file);
      // RFC 8058 one-click unsubscribe endpoints take the mail client's form body (and ignore it).
      const oneClick = pipelineMeta(route.methods[method])!.oneClick;
      for (const contentType of oneClick ? ["text/plain", "application/jsonx"] : ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx"]) {
        const response = await call(route, method, { headers: { cookie: user.cookie, "content-type": contentType }, body: "{}" });
        expect({ file, method, contentType, status: response.status }).toEqual({ file, method, contentType, status: 415 });
      }
      // Beyond every endpoint's limit: 64 KB by default, 9 MB for the authoring endpoints (a whole
      // article), 20 MB for an import — whichever the endpoint declares, plus one.
      const limit = Math.max(10 * 1024 * 1024, (pipelineMeta(route.methods[method])?.maxBytes ?? 0) + 1);
      const big = await call(route, method, { headers: { cookie: user.cookie, "content-type": "application/json" }, body: JSON.stringify({ body: "x".repeat(limit) }) });
      expect({ file, method, status: big.status }).toEqual({ file, method, status: 413 });
    }
  });

  it("answers 404 for malformed path ids on every endpoint (NUL, lone surrogate, overlong, traversal), never 500", async () => {
    const bad = ["\u0000", "a\u0000b", "\ud800", "\udfff-x", "x".repeat(5_000), "../../etc/passwd", "%ZZ", " ", ""];
    for (const [file, method] of eachHandler()) {
      const route = byFile(file);
      for (const name of route.paramNames) {
        for (const value of bad) {
          const params = { ...validParams(route), [name]: value };
          const response = await call(route, method, { headers: { cookie: user.cookie, "content-type": "application/json" }, body: UNSAFE.has(method) ? "{}" : undefined, params });
          expect({ file, method, name, value: JSON.stringify(value).slice(0, 20), status: response.status }).toEqual({ file, method, name, value: JSON.stringify(value).slice(0, 20), status: 404 });
        }
      }
      if (route.paramNames.length) {
        // Next rejects the params promise for a segment that is not valid percent-encoded UTF-8.
        const request = new Request(`http://localhost${route.urlPath}`, { method, headers: { cookie: user.cookie } });
        const response = await route.methods[method]!(request, { params: Promise.reject(new URIError("URI malformed")) });
        expect({ file, method, status: response.status }).toEqual({ file, method, status: 404 });
      }
    }
  });

  it("refuses NUL and lone surrogates in any JSON string with 422 before they reach SQL", async () => {
    for (const [file, method] of eachHandler((m) => UNSAFE.has(m))) {
      const route = byFile(file);
      if (!pipelineMeta(route.methods[method])!.hasBody) continue;
      for (const body of [`{"name":"a\\u0000b"}`, `{"body":"\\ud800"}`, `{"details":["ok","\\udc00x"]}`, `{"a\\u0000":1}`]) {
        const response = await call(route, method, { headers: { cookie: user.cookie, "content-type": "application/json" }, body });
        expect({ file, method, body, status: response.status }).toEqual({ file, method, body, status: 422 });
        expect((await response.json()).message).toBe(en.Api.unstorableText);
      }
    }
  });

  it("answers every query-string fuzz with a 2xx or a 4xx, never a 500", async () => {
    const queries = [
      `?cursor=-271821-04-20T00:00:00.000Z_${randomUUID()}`,
      `?cursor=275760-09-13T00:00:00.001Z_${randomUUID()}`,
      "?cursor=%00",
      `?article=${SLUG}&paragraph=p-1&cursor=2026-02-31T00:00:00.000Z_${randomUUID()}`,
      `?article=${SLUG}&cursor=1970-01-01T00:00:00.000Z_not-a-uuid`,
      "?article=%00&paragraph=%00",
      "?page=1e400&status=%00&group=%ED%A0%80",
      "?q=%00&groupId=%00",
      "?paragraphs=%00,%ED%A0%80",
      "?since=-1e400",
      "?format=csv&action=%00",
      `?article=${"x".repeat(10_000)}`,
    ];
    for (const [file, method] of eachHandler((m) => m === "GET")) {
      if (file === "api/articles/[slug]/events") continue; // a stream: checked in features/live
      for (const query of queries) {
        const response = await call(byFile(file), method, { headers: { cookie: user.cookie }, query });
        expect({ file, query, status: response.status < 500 }).toEqual({ file, query, status: true });
      }
    }
  });

  it("gives every response a request id and a JSON envelope for errors", async () => {
    const response = await call(byFile("api/notes/[id]"), "GET", { headers: { "x-request-id": "proxy-id-12345678" } });
    expect(response.status).toBe(404);
    expect(response.headers.get("x-request-id")).toBe("proxy-id-12345678");
    expect(await response.json()).toEqual({ ok: false, code: "not_found", message: en.Notes.errors.notFound });
    const odd = await call(byFile("api/notes/[id]"), "GET", { headers: { "x-request-id": "<script>" } });
    expect(odd.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
