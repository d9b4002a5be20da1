import "server-only";
import { defineEndpoint } from "@/lib/http/endpoint";
import { REDIRECT, type RouteEntry } from "@/lib/http/openapi";
import { loadApiDescription } from "./loaders";

// The API description (ADR 0032): /api/openapi.json, generated from the pipeline, and /api/docs,
// the address people type, which sends them to the reference page in their language.

/** Shared caches may keep the description briefly: it is public and changes only with a deploy. */
const DESCRIPTION_CACHE_CONTROL = "public, max-age=300";

/** GET /api/openapi.json for the given route files (the generated registry in the route folder). */
export function openApiEndpoint(routes: RouteEntry[]) {
  return defineEndpoint(
    { summary: "This API's description: an OpenAPI 3.1 document generated from the request pipeline's own schemas.", messages: "ApiDocs", auth: "none" },
    async ({ request }) => {
      const { json, etag } = await loadApiDescription(routes);
      // Public and credential-free: any origin may read it (API explorers, code generators).
      const headers = { etag, "cache-control": DESCRIPTION_CACHE_CONTROL, "access-control-allow-origin": "*" };
      if (request.headers.get("if-none-match")?.split(/\s*,\s*/).includes(etag)) return new Response(null, { status: 304, headers });
      return new Response(json, { headers: { ...headers, "content-type": "application/json; charset=utf-8" } });
    },
  );
}

/** GET /api/docs → /{locale}/api-docs, the language negotiated like every API message. */
export const redirectToApiDocs = defineEndpoint(
  { summary: "The human-readable API reference, in the caller's language: a redirect to /{locale}/api-docs.", messages: "ApiDocs", auth: "none", produces: [REDIRECT] },
  ({ locale }) => new Response(null, { status: 302, headers: { location: `/${locale}/api-docs`, vary: "Accept-Language, Cookie, x-ui-locale", "cache-control": "no-store" } }),
);
