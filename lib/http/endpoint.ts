import "server-only";
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { AppLocale } from "@/i18n/routing";
import { bearerTokenFrom, lookupTokenViewer, type ApiTokenScope } from "@/lib/auth/api-token";
import { lookupViewer, type Suspension, type Viewer, type ViewerLookup } from "@/lib/auth/viewer";
import { checkDatabaseNow } from "@/lib/db/health";
import { peekToken, takeToken, type Bucket } from "@/lib/db/rate-limit";
import { clientAddress, requestLocale } from "@/lib/http/request-context";
import { fail, MAX_JSON_BYTES } from "@/lib/http/responses";
import { isSameOriginRequest, SAFE_METHODS } from "@/lib/http/same-origin";
import { translatorFor, type MessageNamespace } from "@/lib/i18n/translator";
import { isUuid } from "@/lib/ids";
import { getLogger } from "@/lib/log";
import { findUnstorableText, isStorableText } from "@/lib/text/safe-text";

// The one way into the server (ADR 0017). Every route handler is an endpoint defined here, and
// every request goes through the same steps in the same order:
//   1. locale (x-ui-locale, NEXT_LOCALE cookie, Accept-Language with q-values)
//   2. unsafe methods: same origin (403)
//   3. path parameters: malformed ids are things that do not exist (404)
//      then, for unsafe methods: JSON content type (415), size (413), parse (400)
//   4. query and body: NUL and lone surrogates refused (422), then zod with translated errors
//   5. viewer: one statement reads the session, the user, an active suspension and — for
//      writers — spends a rate-limit token; a database failure is a 503, never "signed out"
//   6. auth: 401 without a session; writers: 403 when suspended, 429 when out of tokens
//   7. per-address / global limits (sign-up), then the handler
// Personal API tokens (ADR 0027): a request with `Authorization: Bearer …` is a token request.
// Only endpoints that opt in (`tokens: "read" | "write"`, the scope they need) accept one; the
// viewer then comes from the token and cookies are not looked at, so step 2 does not apply (a
// cross-site page cannot make a browser attach someone's token: no ambient credential, no CSRF).
// Token answers allow any origin (CORS) and are private to the token; cookie requests stay
// same-origin and get no CORS headers.
// Unexpected errors are logged with a request id and answer a 500 envelope without details.

export type AuthMode =
  /** No session lookup at all (health, sign-in, sign-up: they handle cookies themselves). */
  | "none"
  /** The viewer if signed in, else null. */
  | "optional"
  /** Signed in (401 otherwise). */
  | "required"
  /** Signed in, not suspended, and a token from the endpoint's per-user write bucket. */
  | "writer";

/** Path parameter formats; anything that does not match is answered like a missing thing (404). */
export type ParamKind = "uuid" | "slug" | "userId" | "token";

export const PARAM_PATTERNS: Record<ParamKind, (value: string) => boolean> = {
  uuid: isUuid,
  // Article slugs (lib/content/slug.ts): lowercase ASCII words joined by hyphens.
  slug: (value) => /^[a-z0-9](?:[a-z0-9-]{0,118}[a-z0-9])?$/.test(value),
  // better-auth user ids: 32 alphanumerics today; accept a little more, nothing exotic.
  userId: (value) => /^[A-Za-z0-9_-]{1,64}$/.test(value),
  // Invite tokens: 256 bits in base64url.
  token: (value) => /^[A-Za-z0-9_-]{16,128}$/.test(value),
};

/** A rate limit taken before the handler runs, on top of a writer's per-user bucket. */
export type AddressLimit = { key: string; bucket: Bucket; per: "address" | "global" };

type Translator<N extends MessageNamespace> = ReturnType<typeof translatorFor<N>>;

export type EndpointContext<N extends MessageNamespace, P extends string, Q, B, A extends AuthMode> = {
  request: Request;
  locale: AppLocale;
  /** The feature's messages. */
  t: Translator<N>;
  viewer: A extends "required" | "writer" ? Viewer : Viewer | null;
  suspension: Suspension | null;
  params: Record<P, string>;
  query: Q;
  body: B;
  requestId: string;
  /** The client address rate limits key on (TRUSTED_PROXY_HOPS, scripts/lib/client-address.mjs). */
  address: string;
  /** 404 in the caller's language: what they may not see does not exist. */
  notFound(): Response;
  /** Validates a value the handler picked a schema for itself (e.g. reply vs. new note), like the body. */
  validate<S extends z.ZodType>(schema: S, value: unknown): z.infer<S>;
};

export type EndpointConfig<N extends MessageNamespace, P extends string, QS extends z.ZodType | undefined, BS extends z.ZodType | undefined, A extends AuthMode> = {
  /** One sentence for the API description (/api/openapi.json): what the endpoint does, for whom. */
  summary?: string;
  /** The feature's message namespace: its `errors.*` keys translate schema messages. */
  messages: N;
  auth: A;
  params?: Record<P, ParamKind>;
  query?: QS;
  body?: BS;
  /**
   * The body as the API description shows it, when the handler validates it itself with
   * `ctx.validate` (e.g. a note or a reply): documentation only, never used to validate.
   */
  documentedBody?: z.ZodType;
  /** DELETE-style bodies: an empty body parses as `{}`. */
  bodyOptional?: boolean;
  /** Writers: the per-user bucket, spent in the viewer statement (key prefix, e.g. "notes"). */
  writeLimit?: { key: string; bucket: Bucket };
  /** Per client address or global limits, spent after validation (sign-up); a function is read per request. */
  limits?: AddressLimit[] | (() => AddressLimit[]);
  /** Largest body accepted, in bytes. */
  maxBytes?: number;
  /**
   * Also accept `application/ld+json` bodies (the W3C Web Annotation Protocol's type). Like
   * application/json it is not a CORS-safelisted type, so a cross-site form still cannot send it.
   */
  jsonLd?: boolean;
  /**
   * Accept `Authorization: Bearer <personal API token>` needing this scope (read for reads, write
   * for writes). Without it a Bearer request is 401: a script must not reach an endpoint nobody
   * reviewed for token use (account, token management: those need a session).
   */
  tokens?: ApiTokenScope;
  /**
   * Media types of a successful answer, for the API description only (default: the JSON
   * envelope), none (`[]`) for an answer without a body, or "redirect" for an endpoint that
   * sends the client elsewhere. The pipeline does not look at it: handlers build their own
   * responses.
   */
  produces?: string[];
  /**
   * RFC 8058 one-click unsubscribe: a mail client POSTs the List-Unsubscribe URL with the form
   * body `List-Unsubscribe=One-Click` (url-encoded or multipart). Such an endpoint accepts that
   * body (and an empty or JSON one) and ignores it; the URL carries the credential (a signed
   * token), so a cross-site form that could send this body still has nothing to forge. Only with
   * auth "none" and no body schema. The same-origin check still applies (mail clients send no Origin).
   */
  oneClick?: boolean;
};

/** A route handler as the integration tests call it: the request, then the path parameters in order. */
export type Endpoint = ((request: Request, ...params: string[]) => Promise<Response>) & { readonly [ENDPOINT]: EndpointMeta };
export type EndpointMeta = {
  paramNames: string[];
  auth: AuthMode;
  hasBody: boolean;
  bodyOptional: boolean;
  params: Record<string, ParamKind>;
  tokens: ApiTokenScope | null;
  summary: string | null;
  /** The zod schemas the pipeline validates with: the API description is generated from them. */
  query: z.ZodType | null;
  body: z.ZodType | null;
  /** What the description shows for the body (documentedBody, else body). */
  documentedBody: z.ZodType | null;
  jsonLd: boolean;
  maxBytes: number;
  /** Rate limits the pipeline applies: a writer's bucket and/or per-address or global limits. */
  rateLimited: boolean;
  produces: string[];
  /** Accepts RFC 8058 form bodies (and ignores them). */
  oneClick: boolean;
};

const ENDPOINT = Symbol.for("taiyaku.endpoint");
const ROUTE_HANDLER = Symbol.for("taiyaku.route-handler");

/** Retry-After for a database outage: the same as the pages' 503 (ADR 0005). */
const UNAVAILABLE_RETRY_SECONDS = 5;

class Refusal {
  constructor(readonly response: Response) {}
}

export function defineEndpoint<
  N extends MessageNamespace,
  A extends AuthMode,
  P extends string = never,
  QS extends z.ZodType | undefined = undefined,
  BS extends z.ZodType | undefined = undefined,
>(
  config: EndpointConfig<N, P, QS, BS, A>,
  handler: (
    ctx: EndpointContext<N, P, QS extends z.ZodType ? z.infer<QS> : undefined, BS extends z.ZodType ? z.infer<BS> : undefined, A>,
  ) => Promise<Response> | Response,
): Endpoint {
  const paramNames = Object.keys(config.params ?? {}) as P[];
  if (config.oneClick && (config.body !== undefined || config.auth !== "none")) throw new Error("oneClick endpoints take no body schema and no session");
  const tokenScope = config.tokens && config.auth !== "none" ? config.tokens : null;
  const run = async (request: Request, ...values: string[]): Promise<Response> => {
    const requestId = incomingRequestId(request) ?? randomUUID();
    const locale = requestLocale(request);
    const t = translatorFor(locale, config.messages);
    const api = pipelineMessages(locale, t);
    const notFound = () => fail("not_found", api("notFound"));
    const bearer = bearerTokenFrom(request);
    const response = await answer();
    try {
      response.headers.set("x-request-id", requestId);
      if (bearer !== null) markTokenAnswer(response.headers, tokenScope !== null);
    } catch {
      // A response with immutable headers (Response.redirect): the id is still in the log.
    }
    return response;

    async function answer(): Promise<Response> {
      try {
        const unsafe = !SAFE_METHODS.has(request.method);
        if (bearer !== null && tokenScope === null) return bearerRefusal(locale, "invalid_token", "notAccepted");
        // Token requests skip the origin check: the credential is not ambient (see the top).
        if (unsafe && bearer === null && !isSameOriginRequest(request)) return fail("cross_origin", api("crossOrigin"));
        const params = {} as Record<P, string>;
        for (const [index, name] of paramNames.entries()) {
          const value = values[index] ?? "";
          const kind = (config.params as Record<P, ParamKind>)[name];
          if (!isStorableText(value) || !PARAM_PATTERNS[kind](value)) return notFound();
          params[name] = value;
        }
        const rawBody = unsafe ? (config.oneClick ? await readOneClickBody(request, config, api) : await readBody(request, config, api)) : undefined;

        // Validated before the viewer statement, which spends a writer's rate-limit token: a
        // malformed request costs no token and no database round trip.
        let query: unknown = undefined;
        if (config.query) {
          const raw = Object.fromEntries(new URL(request.url).searchParams);
          query = validate(config.query, raw, loose(t), api);
        }
        let body: unknown = undefined;
        if (config.body) {
          if (!unsafe) throw new Error("an endpoint with a body must be called with an unsafe method");
          body = validate(config.body, rawBody === undefined ? {} : rawBody, loose(t), api);
        }

        let viewer: Viewer | null = null;
        let suspension: Suspension | null = null;
        if (config.auth !== "none") {
          const spend = config.auth === "writer" && config.writeLimit ? { key: `${config.writeLimit.key}:user:`, bucket: config.writeLimit.bucket } : undefined;
          let found: ViewerLookup;
          if (bearer !== null && tokenScope !== null) {
            // The scope is checked before anything else about the viewer; the statement spends a
            // rate-limit token only when the token holds the scope (lib/auth/api-token.ts).
            const byToken = await lookupTokenViewer(bearer, spend && { ...spend, scope: tokenScope });
            if (!byToken) return bearerRefusal(locale, "invalid_token", "invalid");
            if (!byToken.scopes.includes(tokenScope)) return bearerRefusal(locale, "insufficient_scope", "insufficientScope", tokenScope);
            found = byToken;
          } else {
            found = await lookupViewer(request, spend);
          }
          viewer = found?.viewer ?? null;
          suspension = found?.suspension ?? null;
          if (!viewer && (config.auth === "required" || config.auth === "writer")) {
            const refusal = fail("unauthenticated", api("unauthenticated"));
            // RFC 6750 §3: an endpoint a token could open says so to a client without credentials.
            if (tokenScope !== null) refusal.headers.set("www-authenticate", `Bearer realm="${BEARER_REALM}"`);
            return refusal;
          }
          if (viewer && config.auth === "writer") {
            if (suspension) return suspendedResponse(locale, suspension);
            if (spend && found?.spent === false) {
              const peek = await peekToken(`${spend.key}${viewer.id}`, spend.bucket);
              const seconds = peek.allowed ? 1 : peek.retryAfterSeconds;
              return fail("rate_limited", api("rateLimited", { seconds }), { retryAfterSeconds: seconds });
            }
          }
        }

        const address = clientAddress(request);
        const limits = typeof config.limits === "function" ? config.limits() : (config.limits ?? []);
        for (const limit of limits) {
          const key = limit.per === "address" ? `${limit.key}:ip:${address}` : `${limit.key}:global`;
          const taken = await takeToken(key, limit.bucket);
          if (!taken.allowed) {
            return fail("rate_limited", api("rateLimited", { seconds: taken.retryAfterSeconds }), { retryAfterSeconds: taken.retryAfterSeconds });
          }
        }

        const ctx = {
          request,
          locale,
          t,
          viewer,
          suspension,
          params,
          query,
          body,
          requestId,
          address,
          notFound,
          validate: <S extends z.ZodType>(schema: S, value: unknown) => validate(schema, value, loose(t), api),
        };
        return await handler(ctx as Parameters<typeof handler>[0]);
      } catch (error) {
        if (error instanceof Refusal) return error.response;
        if (!(await checkDatabaseNow().catch(() => false))) {
          return fail("unavailable", api("unavailable"), { retryAfterSeconds: UNAVAILABLE_RETRY_SECONDS });
        }
        getLogger().error({ err: error, requestId, method: request.method, path: new URL(request.url).pathname }, "request failed");
        return fail("internal", api("internal", { requestId }), { requestId });
      }
    }
  };
  const meta: EndpointMeta = {
    paramNames,
    auth: config.auth,
    hasBody: config.body !== undefined,
    bodyOptional: config.bodyOptional === true,
    params: { ...config.params },
    tokens: tokenScope,
    summary: config.summary ?? null,
    query: config.query ?? null,
    body: config.body ?? null,
    documentedBody: config.documentedBody ?? config.body ?? null,
    jsonLd: config.jsonLd === true,
    maxBytes: config.maxBytes ?? MAX_JSON_BYTES,
    rateLimited: (config.auth === "writer" && config.writeLimit !== undefined) || config.limits !== undefined,
    produces: config.produces ?? ["application/json"],
    oneClick: config.oneClick === true,
  };
  return Object.assign(run, { [ENDPOINT]: meta }) as Endpoint;
}

const BEARER_REALM = "taiyaku";

/** 401 (invalid_token) or 403 (insufficient_scope) for a token request, with its WWW-Authenticate (RFC 6750 §3.1). */
function bearerRefusal(locale: AppLocale, error: "invalid_token" | "insufficient_scope", key: "notAccepted" | "invalid" | "insufficientScope", scope?: ApiTokenScope): Response {
  const t = translatorFor(locale, "Tokens");
  const message = key === "insufficientScope" ? t("bearer.insufficientScope", { scope: scope ?? "" }) : t(`bearer.${key}`);
  const response = fail(error, message);
  const scopePart = scope ? `, scope="${scope}"` : "";
  response.headers.set("www-authenticate", `Bearer realm="${BEARER_REALM}", error="${error}"${scopePart}`);
  return response;
}

/**
 * Headers of every answer to a token request: private to the token (a shared cache must never
 * hand one script's answer to another), and readable from any origin where tokens are accepted.
 */
function markTokenAnswer(headers: Headers, corsAllowed: boolean): void {
  const cacheControl = headers.get("cache-control");
  if (!cacheControl) headers.set("cache-control", "private, no-store");
  else if (!/\bprivate\b/.test(cacheControl)) headers.set("cache-control", `private, ${cacheControl.replace(/\bpublic\b,?\s*/, "")}`);
  headers.append("vary", "Authorization");
  if (corsAllowed) {
    headers.set("access-control-allow-origin", "*");
    headers.set("access-control-expose-headers", "WWW-Authenticate, Retry-After, X-Request-Id, Location, ETag, Link, Content-Location, Content-Disposition, X-Export-Total, X-Export-Articles");
  }
}

/** How long a browser may reuse a preflight answer. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * The OPTIONS handler of a route: the CORS preflight a browser sends before a cross-origin token
 * request. It grants the methods whose endpoints accept tokens, with any origin and the
 * Authorization header; without such endpoints it grants nothing (same-origin only). It is an
 * endpoint like the others (malformed path ids are 404).
 */
function preflightEndpoint(endpoints: [string, Endpoint][]): Endpoint {
  const metas = endpoints.map(([method, endpoint]) => [method, endpoint[ENDPOINT]] as const);
  const params = metas[0]?.[1].params ?? {};
  const allow = ["OPTIONS", ...metas.map(([method]) => method), ...(metas.some(([method]) => method === "GET") ? ["HEAD"] : [])];
  const tokenMethods = metas.filter(([, meta]) => meta.tokens !== null).map(([method]) => method);
  return defineEndpoint({ messages: "Api", auth: "none", params, summary: "CORS preflight: the methods a script on another origin may call here with a personal API token." }, () => {
    const headers = new Headers({ allow: allow.join(", "), "cache-control": "no-store" });
    if (tokenMethods.length) {
      headers.set("access-control-allow-origin", "*");
      headers.set("access-control-allow-methods", [...tokenMethods, ...(tokenMethods.includes("GET") ? ["HEAD"] : [])].join(", "));
      headers.set("access-control-allow-headers", "Authorization, Content-Type");
      headers.set("access-control-max-age", String(PREFLIGHT_MAX_AGE_SECONDS));
    }
    return new Response(null, { status: 204, headers });
  });
}

type RouteContext = { params: Promise<Record<string, string | string[]>> };
type RouteHandler = (request: Request, context: RouteContext) => Promise<Response>;
type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * A route file's exports: `export const { GET, POST } = route({ GET: listNotes, POST: postNote })`.
 * Next hands the path parameters as a promise of an object; endpoints take them positionally in
 * the order they declared them.
 */
export function route<M extends Method>(endpoints: Record<M, Endpoint>): Record<M | "OPTIONS", RouteHandler> {
  const handlers = {} as Record<M | "OPTIONS", RouteHandler>;
  // OPTIONS is only served where the route file exports it (routes whose endpoints accept tokens).
  const all = { ...endpoints, OPTIONS: preflightEndpoint(Object.entries(endpoints) as [string, Endpoint][]) } as Record<M | "OPTIONS", Endpoint>;
  for (const [method, endpoint] of Object.entries(all) as [M | "OPTIONS", Endpoint][]) {
    const handler: RouteHandler = async (request, context) => {
      let params: Record<string, string | string[]>;
      try {
        params = (await context?.params) ?? {};
      } catch {
        // A path segment that is not valid percent-encoded UTF-8: nothing by that name exists.
        return endpoint(request, ...endpoint[ENDPOINT].paramNames.map(() => "\u0000"));
      }
      const values = endpoint[ENDPOINT].paramNames.map((name) => {
        const value = params[name];
        return typeof value === "string" ? value : "";
      });
      return endpoint(request, ...values);
    };
    handlers[method] = Object.assign(handler, { [ROUTE_HANDLER]: endpoint });
  }
  return handlers;
}

/** What the pipeline knows of a route handler, or null when it bypasses the pipeline (tests). */
export function pipelineMeta(value: unknown): EndpointMeta | null {
  if (typeof value !== "function" || !(ROUTE_HANDLER in value)) return null;
  const endpoint = (value as { [ROUTE_HANDLER]: Partial<Endpoint> })[ROUTE_HANDLER];
  return endpoint?.[ENDPOINT] ?? null;
}

// ---- steps ------------------------------------------------------------------------------------

function incomingRequestId(request: Request): string | null {
  const id = request.headers.get("x-request-id");
  // A proxy's id is kept so logs line up; anything odd is replaced, never echoed.
  return id && /^[A-Za-z0-9._-]{8,128}$/.test(id) ? id : null;
}

/**
 * An unsafe request's body: JSON only. An HTML form on another site can post text/plain or form
 * data (which may even parse as JSON), but cannot send application/json without a CORS
 * preflight we never grant. So a body in any other type is refused, whatever the endpoint.
 */
async function readBody(
  request: Request,
  config: { body?: unknown; bodyOptional?: boolean; maxBytes?: number; jsonLd?: boolean },
  api: PipelineMessages,
): Promise<unknown> {
  const contentType = request.headers.get("content-type");
  const jsonType = config.jsonLd ? /^application\/(?:ld\+)?json\s*(;|$)/i : /^application\/json\s*(;|$)/i;
  const isJson = contentType !== null && jsonType.test(contentType.trim());
  const declared = Number(request.headers.get("content-length") ?? "");
  const max = config.maxBytes ?? MAX_JSON_BYTES;
  if (Number.isFinite(declared) && declared > max) throw new Refusal(fail("too_large", api("tooLarge")));
  if (contentType !== null && !isJson) throw new Refusal(fail("unsupported_media_type", api("unsupportedMediaType")));
  const text = request.body ? await readLimited(request, max, api) : "";
  if (!text.trim()) {
    if (config.body && !config.bodyOptional) {
      throw new Refusal(fail(isJson ? "invalid_json" : "unsupported_media_type", isJson ? api("invalidJson") : api("unsupportedMediaType")));
    }
    return undefined;
  }
  if (!isJson) throw new Refusal(fail("unsupported_media_type", api("unsupportedMediaType")));
  try {
    return JSON.parse(text);
  } catch {
    throw new Refusal(fail("invalid_json", api("invalidJson")));
  }
}

/**
 * A one-click unsubscribe POST's body (RFC 8058 §3.1, `oneClick` endpoints): form-encoded,
 * multipart, JSON or none; read within the size limit and dropped — only the URL counts.
 */
async function readOneClickBody(request: Request, config: { maxBytes?: number }, api: PipelineMessages): Promise<undefined> {
  const contentType = request.headers.get("content-type");
  const accepted = /^(?:application\/x-www-form-urlencoded|multipart\/form-data|application\/json)\s*(;|$)/i;
  if (contentType !== null && !accepted.test(contentType.trim())) throw new Refusal(fail("unsupported_media_type", api("unsupportedMediaType")));
  const declared = Number(request.headers.get("content-length") ?? "");
  const max = config.maxBytes ?? MAX_JSON_BYTES;
  if (Number.isFinite(declared) && declared > max) throw new Refusal(fail("too_large", api("tooLarge")));
  if (request.body) await readLimited(request, max, api);
  return undefined;
}

/** Reads at most `max` bytes: a client that lies about (or omits) Content-Length gets 413 too. */
async function readLimited(request: Request, max: number, api: PipelineMessages): Promise<string> {
  const reader = request.body!.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read().catch(() => ({ done: true as const, value: undefined }));
    if (done || !value) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw new Refusal(fail("too_large", api("tooLarge")));
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** zod with translated messages; strings Postgres cannot store are refused first. */
function validate<S extends z.ZodType>(schema: S, raw: unknown, t: LooseTranslator, api: PipelineMessages): z.infer<S> {
  const bad = findUnstorableText(raw);
  if (bad) {
    const field = bad.length ? String(bad[0]) : ROOT_FIELD;
    const message = api("unstorableText");
    throw new Refusal(fail("validation", message, { fieldErrors: { [field]: [message] } }));
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const unexpected = parsed.error.issues.flatMap((issue) => (issue.code === "unrecognized_keys" ? issue.keys : []));
  if (unexpected.length) {
    throw new Refusal(fail("unexpected_field", api("unexpectedField", { fields: unexpected.join(", ") }), { fields: unexpected }));
  }
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path.length ? String(issue.path[0]) : ROOT_FIELD;
    const list = (fieldErrors[field] ??= []);
    const message = translateIssue(t, api, issue.message);
    if (!list.includes(message)) list.push(message);
  }
  throw new Refusal(fail("validation", Object.values(fieldErrors)[0]?.[0] ?? api("invalid"), { fieldErrors }));
}

type PipelineMessages = (key: keyof typeof import("@/messages/en.json")["Api"], values?: Record<string, string | number>) => string;

/**
 * The pipeline's own messages (lib/http/endpoint.ts refusals) in the caller's language. A
 * feature may word one for its readers ("Sign in to write notes" rather than "Please sign in
 * first") by defining `errors.<key>` in its namespace; otherwise the shared `Api` text is used.
 */
function pipelineMessages(locale: AppLocale, feature: unknown): PipelineMessages {
  const api = translatorFor(locale, "Api") as unknown as LooseTranslator & ((key: string, values?: Record<string, string | number>) => string);
  const own = feature as LooseTranslator & ((key: string, values?: Record<string, string | number>) => string);
  return (key, values) => (own.has(`errors.${key}`) ? own(`errors.${key}`, values) : api(key, values));
}

/** The field name of errors about the whole body, in every endpoint. */
export const ROOT_FIELD = "form";

/** Schema messages are catalogue keys of the feature (`errors.<key>`); anything else is generic. */
function translateIssue(t: LooseTranslator, api: PipelineMessages, key: string): string {
  const full = `errors.${key}`;
  return /^[A-Za-z]+$/.test(key) && t.has(full) ? t(full) : api("invalid");
}

/** A feature translator looked up by computed keys (schema messages are only known at run time). */
type LooseTranslator = { has(key: string): boolean; (key: string): string };
const loose = (t: unknown) => t as LooseTranslator;

/** 403 for a suspended writer, with the reason and end so the page can say why (ADR 0011). */
export function suspendedResponse(locale: AppLocale, suspension: Suspension): Response {
  const t = translatorFor(locale, "Moderation");
  const message = suspension.endsAt
    ? t("suspendedUntil", { reason: suspension.reason, date: new Date(suspension.endsAt) })
    : t("suspendedIndefinitely", { reason: suspension.reason });
  return fail("suspended", message, { suspension });
}


