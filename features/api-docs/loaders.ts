import "server-only";
import { createHash } from "node:crypto";
import { buildOpenApiDocument, type OpenApiDocument, type RouteEntry } from "@/lib/http/openapi";
import { siteUrl } from "@/lib/site-url";
import packageJson from "@/package.json";

// The API description is the same for every caller and only changes with the code: built once
// per process (and per server URL) for /api/openapi.json and the /{locale}/api-docs page.

export type ApiDescription = { document: OpenApiDocument; json: string; etag: string };

const built = new Map<string, Promise<ApiDescription>>();

/** The OpenAPI document of these route files, for this server's public URL. */
export function loadApiDescription(routes: RouteEntry[]): Promise<ApiDescription> {
  const serverUrl = siteUrl().origin;
  let description = built.get(serverUrl);
  if (!description) {
    description = buildOpenApiDocument(routes, { serverUrl, version: packageJson.version }).then((document) => {
      const json = JSON.stringify(document, null, 2);
      return { document, json, etag: `"${createHash("sha256").update(json).digest("base64url").slice(0, 27)}"` };
    });
    // A failed build is not kept: the next request tries again.
    description.catch(() => built.delete(serverUrl));
    built.set(serverUrl, description);
  }
  return description;
}
