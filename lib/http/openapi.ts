import "server-only";
import { z } from "zod";
import { pipelineMeta, type AuthMode, type EndpointMeta, type ParamKind } from "@/lib/http/endpoint";

// The API description (OpenAPI 3.1, ADR 0032), generated from what the one pipeline
// (lib/http/endpoint.ts) itself validates with: each route file's endpoints carry their path
// parameter kinds, auth mode, token scope, summary and the zod schemas of their query and body.
// Nothing here is written by hand per endpoint, so the description cannot drift from the code:
// a changed schema changes the document, and a route without a summary fails a test
// (app/api/openapi.json/openapi.test.ts). The route files are listed in a generated registry
// (app/api/openapi.json/route-modules.ts, `npm run generate:openapi-routes`): a production build
// has no file system to walk.

/** A route file as the registry lists it: its folder under app/ and a lazy import of it. */
export type RouteEntry = { file: string; path: string; load: () => Promise<Record<string, unknown>> };

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Media type marker (EndpointConfig.produces) for an endpoint that answers with a redirect. */
export const REDIRECT = "redirect";

/**
 * The path parameter kinds as JSON Schema: the same formats the pipeline checks
 * (PARAM_PATTERNS in lib/http/endpoint.ts; a unit test feeds both the same values).
 */
export const PARAM_SCHEMAS: Record<ParamKind, { type: "string"; pattern: string; format?: string; description: string }> = {
  uuid: { type: "string", format: "uuid", pattern: "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", description: "A UUID." },
  slug: { type: "string", pattern: "^[a-z0-9](?:[a-z0-9-]{0,118}[a-z0-9])?$", description: "An article slug: lowercase ASCII words joined by hyphens." },
  userId: { type: "string", pattern: "^[A-Za-z0-9_-]{1,64}$", description: "A user id." },
  token: { type: "string", pattern: "^[A-Za-z0-9_-]{16,128}$", description: "An invite token (base64url)." },
};

type JsonSchema = Record<string, unknown>;
type Operation = Record<string, unknown>;
export type OpenApiDocument = {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  jsonSchemaDialect: string;
  servers: { url: string }[];
  tags: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, unknown>>;
};

/** Converts a pipeline zod schema to JSON Schema as a client sends it (before transforms and defaults). */
export function toJsonSchema(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, { io: "input", target: "draft-2020-12", unrepresentable: "any" }) as JsonSchema;
  delete json.$schema;
  return json;
}

const SUCCESS_DESCRIPTION: Record<string, string> = {
  "application/json": "Success: the JSON envelope `{ok: true, …}`.",
  "application/ld+json": "Success: a JSON-LD document.",
  "text/csv": "Success: a CSV file.",
  "application/zip": "Success: a zip file.",
  "text/markdown": "Success: a Markdown file.",
  "text/plain": "Success: a text file.",
  "text/event-stream": "Success: a stream of Server-Sent Events.",
  "application/atom+xml": "Success: an Atom feed.",
};

/** The success answer's content for the media types an endpoint produces. */
function successContent(produces: string[]): Record<string, { schema: JsonSchema }> {
  return Object.fromEntries(
    produces.map((type) => {
      if (type === "application/json") return [type, { schema: { $ref: "#/components/schemas/Success" } }];
      if (/json/.test(type)) return [type, { schema: { type: "object" } }];
      if (/zip|octet-stream/.test(type)) return [type, { schema: { type: "string", contentMediaType: type, contentEncoding: "binary" } }];
      return [type, { schema: { type: "string" } }];
    }),
  );
}

const ref = (name: string) => ({ $ref: `#/components/responses/${name}` });
const UNSAFE = new Set<HttpMethod>(["POST", "PUT", "PATCH", "DELETE"]);

/** Who may call an endpoint, as OpenAPI security requirements (an empty object: anyone). */
function securityFor(auth: AuthMode, tokens: EndpointMeta["tokens"]): Record<string, string[]>[] {
  if (auth === "none") return [];
  const token = tokens ? [{ bearerToken: [tokens] }] : [];
  const signedIn = [{ sessionCookie: [] }, ...token];
  return auth === "optional" ? [{}, ...signedIn] : signedIn;
}

const AUTH_TEXT: Record<AuthMode, string> = {
  none: "No authentication.",
  optional: "Anyone; a signed-in caller sees what they may see.",
  required: "Signed in (401 otherwise).",
  writer: "Signed in and not suspended (403 `suspended`); spends a token of the caller's write rate limit.",
};

/** The generated part of an operation's description: the pipeline's rules for this endpoint. */
function describe(method: HttpMethod, meta: EndpointMeta): string {
  const lines = [`**Who:** ${AUTH_TEXT[meta.auth]}`];
  if (meta.tokens) lines.push(`**Personal API token:** accepted with the \`${meta.tokens}\` scope (\`Authorization: Bearer tyk_…\`); CORS allowed for token requests.`);
  else if (meta.auth !== "none") lines.push("**Personal API token:** not accepted (a Bearer request is 401).");
  if (UNSAFE.has(method) && method !== "OPTIONS") {
    const types = meta.jsonLd ? "`application/json` or `application/ld+json`" : "`application/json`";
    lines.push(`**Body:** ${types}, at most ${meta.maxBytes.toLocaleString("en")} bytes; cookie requests must come from this origin.`);
  }
  if (meta.rateLimited) lines.push("**Rate limit:** 429 with `Retry-After` when spent.");
  return lines.join("\n\n");
}

function operationFor(method: HttpMethod, path: string, meta: EndpointMeta): Operation {
  const parameters: Record<string, unknown>[] = Object.entries(meta.params).map(([name, kind]) => ({
    name,
    in: "path",
    required: true,
    schema: PARAM_SCHEMAS[kind],
  }));
  if (meta.query) {
    const query = toJsonSchema(meta.query);
    const properties = (query.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((query.required ?? []) as string[]);
    for (const [name, schema] of Object.entries(properties)) {
      const { description, ...rest } = schema;
      parameters.push({ name, in: "query", required: required.has(name), ...(typeof description === "string" ? { description } : {}), schema: rest });
    }
  }

  const operation: Operation = {
    operationId: operationId(method, path),
    tags: [tagFor(path)],
    summary: meta.summary ?? "",
    description: describe(method, meta),
    security: securityFor(meta.auth, meta.tokens),
    "x-taiyaku-auth": meta.auth,
  };
  if (meta.tokens) operation["x-taiyaku-token-scope"] = meta.tokens;
  if (parameters.length) operation.parameters = parameters;
  if (meta.body) {
    const schema = toJsonSchema(meta.documentedBody ?? meta.body);
    const types = meta.jsonLd ? ["application/json", "application/ld+json"] : ["application/json"];
    operation.requestBody = { required: !meta.bodyOptional, content: Object.fromEntries(types.map((type) => [type, { schema }])) };
  }

  const responses: Record<string, unknown> = {};
  if (method === "OPTIONS") {
    responses["204"] = { description: "The allowed methods (`Allow`) and, where tokens are accepted, the CORS grant.", headers: { Allow: { schema: { type: "string" } } } };
  } else if (meta.produces.includes(REDIRECT)) {
    responses["302"] = { description: "A redirect.", headers: { Location: { schema: { type: "string", format: "uri-reference" } } } };
  } else if (meta.produces.length === 0) {
    responses["2XX"] = { description: "Success, without a body." };
  } else {
    const types = meta.produces;
    responses["2XX"] = { description: types.map((type) => SUCCESS_DESCRIPTION[type] ?? `Success: \`${type}\`.`).join(" "), content: successContent(types) };
  }
  const unsafe = UNSAFE.has(method);
  if (unsafe && meta.hasBody) responses["400"] = ref("InvalidJson");
  if (meta.auth === "required" || meta.auth === "writer" || meta.tokens) responses["401"] = ref("Unauthenticated");
  if (unsafe || meta.auth === "writer" || meta.tokens) responses["403"] = ref("Forbidden");
  if (Object.keys(meta.params).length || meta.auth !== "none") responses["404"] = ref("NotFound");
  if (unsafe) {
    responses["413"] = ref("TooLarge");
    responses["415"] = ref("UnsupportedMediaType");
  }
  if (meta.query || meta.body) responses["422"] = ref("Validation");
  if (meta.rateLimited) responses["429"] = ref("RateLimited");
  responses["500"] = ref("Internal");
  responses["503"] = ref("Unavailable");
  operation.responses = responses;
  return operation;
}

/** `getApiNotesIdHistory`: unique because (method, path) is. */
function operationId(method: HttpMethod, path: string): string {
  const words = path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return method.toLowerCase() + words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join("");
}

/** Operations are grouped by their first path segment after /api (`notes`, `groups`, …). */
function tagFor(path: string): string {
  const segments = path.split("/").filter((segment) => segment && !segment.startsWith("{"));
  if (segments[0] !== "api") return "feeds";
  return segments[1] ?? "api";
}

const TAG_DESCRIPTIONS: Record<string, string> = {
  notes: "Notes, replies, reactions, answers, history and flags.",
  annotations: "The W3C Web Annotation Protocol: one container per article.",
  export: "Export of notes (W3C JSON-LD, Markdown, CSV).",
  import: "Import of W3C JSON-LD annotations.",
  articles: "Articles: search, the reader's state, live events, export.",
  auth: "Sign-up, sign-in, sign-out.",
  tokens: "Personal API tokens (session only).",
  groups: "Study groups, members, invites, activity.",
  moderation: "Moderation queue, actions, suspensions and log.",
  authoring: "Writing and publishing articles.",
  feeds: "Atom feeds.",
};

const ERROR_RESPONSES: Record<string, { description: string; codes: string[]; headers?: Record<string, unknown> }> = {
  InvalidJson: { description: "The body is not JSON.", codes: ["invalid_json"] },
  Unauthenticated: {
    description: "No session (or no valid token): sign in, or send a valid personal API token. Token refusals carry `WWW-Authenticate: Bearer` (RFC 6750).",
    codes: ["unauthenticated", "invalid_token"],
    headers: { "WWW-Authenticate": { schema: { type: "string" } } },
  },
  Forbidden: {
    description: "A cookie request from another origin (`cross_origin`), a suspended writer (`suspended`), or a token without the needed scope (`insufficient_scope`).",
    codes: ["cross_origin", "suspended", "insufficient_scope"],
  },
  NotFound: { description: "Nothing by that name the caller may see (malformed ids too).", codes: ["not_found"] },
  TooLarge: { description: "The body is larger than the endpoint accepts.", codes: ["too_large"] },
  UnsupportedMediaType: { description: "The body is not of a JSON media type.", codes: ["unsupported_media_type"] },
  Validation: {
    description: "The query or body does not validate: `fieldErrors` per field (`form` for the whole body), or `unexpected_field`; NUL and lone surrogates are refused.",
    codes: ["validation", "unexpected_field"],
  },
  RateLimited: { description: "Rate limit spent: retry after `Retry-After` seconds.", codes: ["rate_limited"], headers: { "Retry-After": { schema: { type: "integer" } } } },
  Internal: { description: "An unexpected error; the message names the request id for the logs.", codes: ["internal"] },
  Unavailable: { description: "The database is unreachable: retry after `Retry-After` seconds.", codes: ["unavailable"], headers: { "Retry-After": { schema: { type: "integer" } } } },
};

function components(): OpenApiDocument["components"] {
  const requestId = { $ref: "#/components/headers/RequestId" };
  return {
    securitySchemes: {
      sessionCookie: {
        type: "apiKey",
        in: "cookie",
        name: "taiyaku.session_token",
        description: "The browser session (sign in with `POST /api/auth/sign-in`). Unsafe methods must come from this origin (`Origin`/`Sec-Fetch-Site`); no CORS.",
      },
      bearerToken: {
        type: "http",
        scheme: "bearer",
        description: "A personal API token (`tyk_…`) made on the profile page, with the scopes `read` and/or `write`. Accepted only where an operation lists it; cookies are then ignored, and any origin may call (CORS).",
      },
    },
    schemas: {
      Success: {
        type: "object",
        description: "Every JSON answer: `ok: true` and the endpoint's data.",
        required: ["ok"],
        properties: { ok: { const: true } },
        additionalProperties: true,
      },
      Error: {
        type: "object",
        description: "Every refusal: a machine-readable `code` and a `message` in the caller's language (`x-ui-locale`, the `NEXT_LOCALE` cookie, then `Accept-Language`).",
        required: ["ok", "code", "message"],
        properties: {
          ok: { const: false },
          code: { type: "string", examples: ["validation", "not_found"] },
          message: { type: "string" },
          fieldErrors: { type: "object", additionalProperties: { type: "array", items: { type: "string" } } },
          retryAfterSeconds: { type: "integer", minimum: 0 },
          requestId: { type: "string" },
        },
        additionalProperties: true,
      },
    },
    headers: {
      RequestId: { description: "The request's id (a proxy's own `X-Request-Id` is kept), also in the server's logs.", schema: { type: "string" } },
    },
    responses: Object.fromEntries(
      Object.entries(ERROR_RESPONSES).map(([name, { description, codes, headers }]) => [
        name,
        {
          description: `${description} Codes: ${codes.map((code) => `\`${code}\``).join(", ")}.`,
          headers: { "X-Request-Id": requestId, ...headers },
          content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
        },
      ]),
    ),
  };
}

const DESCRIPTION = [
  "The HTTP API of Taiyaku, a bilingual (English/Japanese) article reader with shared notes.",
  "",
  "Generated from the request pipeline (`lib/http/endpoint.ts`): every operation below is a route handler of that pipeline, and its parameters and bodies are the JSON Schema of the zod schemas it validates with.",
  "",
  "- **Answers** are JSON: `{ok: true, …}` or `{ok: false, code, message, fieldErrors?}` (the `Error` schema), unless an operation says otherwise. Messages come in the caller's language: `x-ui-locale` (`en`/`ja`), then the `NEXT_LOCALE` cookie, then `Accept-Language`.",
  "- **Authentication**: the browser session cookie, or — where an operation lists it — a personal API token as `Authorization: Bearer tyk_…` with the `read` or `write` scope.",
  "- **Forged requests**: unsafe methods with a cookie must come from this origin; token requests may come from anywhere (CORS).",
  "- **Ids** that are malformed answer 404, like things that do not exist or that the caller may not see.",
  "- Every answer carries `X-Request-Id`.",
].join("\n");

export type DocumentOptions = { serverUrl: string; version: string };

/** The OpenAPI 3.1 document of the given route files. */
export async function buildOpenApiDocument(routes: RouteEntry[], options: DocumentOptions): Promise<OpenApiDocument> {
  const paths: OpenApiDocument["paths"] = {};
  const used = new Set<string>();
  for (const route of [...routes].sort((a, b) => a.path.localeCompare(b.path))) {
    const mod = await route.load();
    const item: Record<string, Operation> = {};
    for (const method of HTTP_METHODS) {
      const meta = pipelineMeta(mod[method]);
      if (!meta) continue;
      item[method.toLowerCase()] = operationFor(method, route.path, meta);
      used.add(tagFor(route.path));
    }
    if (Object.keys(item).length) paths[route.path] = item;
  }
  return {
    openapi: "3.1.0",
    info: { title: "Taiyaku API", version: options.version, description: DESCRIPTION },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    servers: [{ url: options.serverUrl }],
    tags: [...used].sort().map((name) => (TAG_DESCRIPTIONS[name] ? { name, description: TAG_DESCRIPTIONS[name] } : { name })),
    paths,
    components: components(),
  };
}

/** Route files whose handlers lack a pipeline summary: `file METHOD` each (a test keeps this empty). */
export async function routesWithoutSummary(routes: RouteEntry[]): Promise<string[]> {
  const missing: string[] = [];
  for (const route of routes) {
    const mod = await route.load();
    for (const method of HTTP_METHODS) {
      const meta = pipelineMeta(mod[method]);
      if (meta && !meta.summary?.trim()) missing.push(`${route.file} ${method}`);
    }
  }
  return missing;
}
