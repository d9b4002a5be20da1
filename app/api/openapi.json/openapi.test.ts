import { readFileSync } from "node:fs";
import { Validator } from "@seriousme/openapi-schema-validator";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { ROUTE_MODULES } from "./route-modules";
import { findRouteFolders, pathOf, REGISTRY_FILE, registrySource } from "@/scripts/generate-openapi-routes";
import { defineEndpoint, PARAM_PATTERNS, pipelineMeta, route, type ParamKind } from "@/lib/http/endpoint";
import { buildOpenApiDocument, HTTP_METHODS, PARAM_SCHEMAS, routesWithoutSummary, toJsonSchema, type OpenApiDocument, type RouteEntry } from "@/lib/http/openapi";

// The API description (ADR 0032) is generated from the pipeline. These tests keep it complete
// (every route file listed, every endpoint summarised), valid OpenAPI 3.1, and equal to what the
// pipeline actually validates with.

vi.mock("next/cache", () => ({ unstable_cache: <T>(fn: T) => fn, revalidateTag: vi.fn() }));

type Operation = Record<string, unknown> & {
  operationId: string;
  summary: string;
  security: Record<string, string[]>[];
  parameters?: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[];
  requestBody?: { required: boolean; content: Record<string, { schema: unknown }> };
  responses: Record<string, unknown>;
};

let document: OpenApiDocument;
const operations: { path: string; method: string; operation: Operation }[] = [];

beforeAll(async () => {
  document = await buildOpenApiDocument(ROUTE_MODULES, { serverUrl: "https://taiyaku.example", version: "0.1.0" });
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) operations.push({ path, method: method.toUpperCase(), operation: operation as Operation });
  }
}, 120_000);

describe("the route registry", () => {
  it("lists every route file under app/ (run `npm run generate:openapi-routes` when this fails)", () => {
    const expected = registrySource(findRouteFolders());
    expect(readFileSync(REGISTRY_FILE, "utf8")).toBe(expected);
    expect(ROUTE_MODULES.map((entry) => entry.file)).toEqual(findRouteFolders());
    expect(ROUTE_MODULES.length).toBeGreaterThanOrEqual(45);
  });

  it("maps route folders to OpenAPI paths", () => {
    expect(pathOf("api/notes/[id]/history")).toBe("/api/notes/{id}/history");
    expect(pathOf("api/groups/[id]/members/[userId]")).toBe("/api/groups/{id}/members/{userId}");
    expect(pathOf("[locale]/feed.xml")).toBe("/{locale}/feed.xml");
    // The W3C container IRI keeps its trailing slash.
    expect(pathOf("api/annotations/[slug]")).toBe("/api/annotations/{slug}/");
  });

  it("gives every handler of every route a pipeline summary (a route without one fails here)", async () => {
    expect(await routesWithoutSummary(ROUTE_MODULES)).toEqual([]);
    for (const entry of ROUTE_MODULES) {
      const mod = await entry.load();
      for (const method of HTTP_METHODS) {
        if (method in mod) expect({ file: entry.file, method, piped: pipelineMeta(mod[method]) !== null }).toEqual({ file: entry.file, method, piped: true });
      }
    }
  });

  it("notices a handler without a summary", async () => {
    const bare = defineEndpoint({ messages: "Api", auth: "none" }, () => new Response(null));
    const described = defineEndpoint({ messages: "Api", auth: "none", summary: "Described." }, () => new Response(null));
    const fake: RouteEntry = { file: "api/fake", path: "/api/fake", load: async () => route({ GET: described, POST: bare }) };
    expect(await routesWithoutSummary([fake])).toEqual(["api/fake POST"]);
  });
});

describe("/api/openapi.json", () => {
  it("is a valid OpenAPI 3.1 document (the JSON Schemas of the OpenAPI Initiative)", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document) as never);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
    // The validator does refuse a broken document.
    const broken = structuredClone(document) as Record<string, unknown>;
    (broken.paths as Record<string, Record<string, Record<string, unknown>>>)["/api/notes"]!.get!.responses = "none";
    expect((await new Validator().validate(broken as never)).valid).toBe(false);
  });

  it("describes every route handler once, with a unique operationId and its summary", () => {
    for (const entry of ROUTE_MODULES) expect(Object.keys(document.paths)).toContain(entry.path);
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { operation } of operations) expect(operation.summary.length).toBeGreaterThan(10);
    expect(operations.find((o) => o.path === "/api/notes/{id}/history" && o.method === "GET")!.operation.summary).toMatch(/history/);
  });

  it("takes path parameters from the route folder and their formats from the pipeline", () => {
    for (const { path, operation } of operations) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      const declared = (operation.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name);
      expect({ path, declared }).toEqual({ path, declared: inPath });
    }
    const history = operations.find((o) => o.path === "/api/notes/{id}/history")!.operation;
    expect(history.parameters![0]).toEqual({ name: "id", in: "path", required: true, schema: PARAM_SCHEMAS.uuid });
  });

  it("documents path parameter patterns that accept exactly what the pipeline accepts", () => {
    const samples: Record<ParamKind, string[]> = {
      uuid: ["0b9c6f1e-4a59-4c1e-9b5e-3f2d7f0a1c22", "0B9C6F1E-4A59-4C1E-9B5E-3F2D7F0A1C22", "0b9c6f1e4a594c1e9b5e3f2d7f0a1c22", "x", ""],
      slug: ["japan-patriot-missile-export", "a", "a-", "-a", "A", "a".repeat(120), "a".repeat(121), "en"],
      userId: ["abcDEF123_-", "a".repeat(64), "a".repeat(65), "a b", ""],
      token: ["A".repeat(16), "A".repeat(15), "A".repeat(128), "A".repeat(129), "abc+/="],
    };
    for (const [kind, values] of Object.entries(samples) as [ParamKind, string[]][]) {
      const pattern = new RegExp(PARAM_SCHEMAS[kind].pattern);
      for (const value of values) expect({ kind, value, documented: pattern.test(value) }).toEqual({ kind, value, documented: PARAM_PATTERNS[kind](value) });
    }
  });

  it("takes query parameters and bodies from the pipeline's zod schemas (io: input)", async () => {
    for (const entry of ROUTE_MODULES) {
      const mod = await entry.load();
      for (const method of HTTP_METHODS) {
        const meta = pipelineMeta(mod[method]);
        if (!meta) continue;
        const operation = document.paths[entry.path]![method.toLowerCase()] as Operation;
        const where = `${method} ${entry.path}`;
        if (meta.documentedBody) {
          expect({ where, body: operation.requestBody!.content["application/json"]!.schema }).toEqual({ where, body: toJsonSchema(meta.documentedBody) });
          expect({ where, required: operation.requestBody!.required }).toEqual({ where, required: !meta.bodyOptional });
          if (meta.jsonLd) expect(operation.requestBody!.content["application/ld+json"]).toBeDefined();
        } else {
          expect({ where, body: operation.requestBody }).toEqual({ where, body: undefined });
        }
        const query = (operation.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name);
        const expected = meta.query ? Object.keys((toJsonSchema(meta.query).properties ?? {}) as object) : [];
        expect({ where, query }).toEqual({ where, query: expected });
      }
    }
    // Concretely: the token form, and a query parameter with its enum.
    const createToken = operations.find((o) => o.path === "/api/tokens" && o.method === "POST")!.operation;
    const tokenBody = createToken.requestBody!.content["application/json"]!.schema as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(tokenBody.properties).sort()).toEqual(["expiresInDays", "name", "scopes"]);
    const listNotes = operations.find((o) => o.path === "/api/notes" && o.method === "GET")!.operation;
    expect(listNotes.parameters!.find((p) => p.name === "article")).toMatchObject({ in: "query", required: true });
    expect(listNotes.parameters!.find((p) => p.name === "locale")!.schema).toMatchObject({ enum: ["en", "ja"] });
    // A note or a reply: the handler's own schemas, as alternatives.
    const postNote = operations.find((o) => o.path === "/api/notes" && o.method === "POST")!.operation;
    const forms = (postNote.requestBody!.content["application/json"]!.schema as { anyOf: { properties: object }[] }).anyOf;
    expect(forms.map((form) => Object.keys(form.properties))).toEqual([expect.arrayContaining(["paragraphId", "body"]), expect.arrayContaining(["parentId", "body"])]);
  });

  it("says who may call: session cookie, personal API token with its scope, or anyone", () => {
    const security = (path: string, method: string) => operations.find((o) => o.path === path && o.method === method)!.operation.security;
    expect(security("/api/notes", "GET")).toEqual([{}, { sessionCookie: [] }, { bearerToken: ["read"] }]);
    expect(security("/api/notes", "POST")).toEqual([{ sessionCookie: [] }, { bearerToken: ["write"] }]);
    expect(security("/api/tokens", "POST")).toEqual([{ sessionCookie: [] }]);
    expect(security("/api/health", "GET")).toEqual([]);
    // Token coverage of the notes API (ADR 0027, issue 13 part 2).
    const scopes = Object.fromEntries(
      operations.filter((o) => o.path.startsWith("/api/notes/{id}") && o.method !== "OPTIONS").map((o) => [`${o.method} ${o.path}`, o.operation["x-taiyaku-token-scope"]]),
    );
    expect(scopes).toEqual({
      "GET /api/notes/{id}": "read",
      "PATCH /api/notes/{id}": "write",
      "DELETE /api/notes/{id}": "write",
      "PUT /api/notes/{id}/answer": "write",
      "DELETE /api/notes/{id}/answer": "write",
      "POST /api/notes/{id}/flag": "write",
      "GET /api/notes/{id}/history": "read",
      "PUT /api/notes/{id}/reaction": "write",
      "DELETE /api/notes/{id}/reaction": "write",
    });
    const schemes = document.components.securitySchemes as Record<string, Record<string, string>>;
    expect(schemes.bearerToken).toMatchObject({ type: "http", scheme: "bearer" });
    expect(schemes.sessionCookie).toMatchObject({ type: "apiKey", in: "cookie", name: "taiyaku.session_token" });
  });

  it("shares the error envelope and lists the pipeline's refusals per operation", () => {
    const error = (document.components.schemas as Record<string, { required: string[] }>).Error!;
    expect(error.required).toEqual(["ok", "code", "message"]);
    const responses = (path: string, method: string) => Object.keys(operations.find((o) => o.path === path && o.method === method)!.operation.responses).sort();
    expect(responses("/api/notes", "POST")).toEqual(["2XX", "400", "401", "403", "404", "413", "415", "422", "429", "500", "503"]);
    expect(responses("/api/health", "GET")).toEqual(["2XX", "500", "503"]);
    expect(responses("/api/docs", "GET")).toEqual(["302", "500", "503"]);
    for (const { operation } of operations) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (/^[45]/.test(status)) expect(response).toMatchObject({ $ref: expect.stringMatching(/^#\/components\/responses\//) });
      }
    }
    const feed = operations.find((o) => o.path === "/{locale}/feed.xml")!.operation.responses["2XX"] as { content: object };
    expect(Object.keys(feed.content)).toEqual(["application/atom+xml"]);
  });

  it("converts zod to JSON Schema as a client sends it (before defaults and transforms)", () => {
    const schema = z.object({ page: z.coerce.number().int().min(1).default(1), q: z.string().trim().max(10).optional() });
    const json = toJsonSchema(schema);
    expect(json.$schema).toBeUndefined();
    expect(json.required ?? []).not.toContain("page");
    expect((json.properties as Record<string, unknown>).q).toEqual({ type: "string", maxLength: 10 });
  });
});

describe("the routes", () => {
  const call = async (file: string, headers: Record<string, string> = {}) => {
    const mod = await ROUTE_MODULES.find((entry) => entry.file === file)!.load();
    return (mod.GET as (request: Request, context: { params: Promise<object> }) => Promise<Response>)(
      new Request(`http://localhost/${file}`, { headers: { host: "localhost", ...headers } }),
      { params: Promise.resolve({}) },
    );
  };

  it("GET /api/openapi.json answers the document with an ETag, 304 when unchanged, readable from any origin", async () => {
    const response = await call("api/openapi.json");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    const body = (await response.json()) as OpenApiDocument;
    expect(body.openapi).toBe("3.1.0");
    expect(Object.keys(body.paths)).toEqual(Object.keys(document.paths));
    const etag = response.headers.get("etag")!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await call("api/openapi.json", { "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect((await call("api/openapi.json", { "if-none-match": '"other"' })).status).toBe(200);
  });

  it("GET /api/docs redirects to the reference page in the caller's language", async () => {
    for (const [headers, locale] of [
      [{ "accept-language": "ja-JP,ja;q=0.9,en;q=0.5" }, "ja"],
      [{ "accept-language": "fr, en;q=0.5" }, "en"],
      [{ "accept-language": "en", cookie: "NEXT_LOCALE=ja" }, "ja"],
      [{ "x-ui-locale": "en", "accept-language": "ja" }, "en"],
    ] as const) {
      const response = await call("api/docs", headers);
      expect({ headers, status: response.status, location: response.headers.get("location") }).toEqual({ headers, status: 302, location: `/${locale}/api-docs` });
      expect(response.headers.get("vary")).toMatch(/Accept-Language/);
    }
  });
});
