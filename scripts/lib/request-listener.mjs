// What the production server does with each request before Next sees it (next-server.mjs):
// refuse what Next cannot route (request-guard.mjs), then resolve the client address from the
// socket and TRUSTED_PROXY_HOPS into a header route handlers read (client-address.mjs, ADR 0017).
// Before all that, `observe` gives the request its id and counts and logs it (ADR 0024).
import { CLIENT_ADDRESS_HEADER, resolveClientAddress } from "./client-address.mjs";
import { API_CONTENT_SECURITY_POLICY, CONSTANT_SECURITY_HEADERS } from "../../lib/http/security-policy.mjs";
import { ALLOWED_METHODS, refuseUnroutable } from "./request-guard.mjs";

// Answers written here skip next.config.js headers(): they carry the same ones themselves.
const SECURITY_HEADERS = { ...CONSTANT_SECURITY_HEADERS, "content-security-policy": API_CONTENT_SECURITY_POLICY };

/**
 * @param {{ handle: (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => Promise<void>, hops: number, apiMessages: Record<"en" | "ja", Record<string, string>>, observe?: (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => boolean }} options
 *   `observe` (observability.mjs): request id, access log, metrics; true when it answered itself (/metrics)
 * @returns {(req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => void}
 */
export function createRequestListener({ handle, hops, apiMessages, observe }) {
  function refuse(req, res, refusal) {
    if (refusal.api) {
      const headerLocale = req.headers["x-ui-locale"];
      const locale = headerLocale === "ja" || headerLocale === "en" ? headerLocale : /^ja\b/i.test(req.headers["accept-language"] ?? "") ? "ja" : "en";
      const code = refusal.status === 405 ? "method_not_allowed" : "not_found";
      const message = apiMessages[locale][refusal.status === 405 ? "methodNotAllowed" : "notFound"];
      res.writeHead(refusal.status, { ...SECURITY_HEADERS, "content-type": "application/json", "cache-control": "no-store", ...(refusal.status === 405 ? { allow: ALLOWED_METHODS } : {}) });
      res.end(JSON.stringify({ ok: false, code, message }));
      return;
    }
    if (refusal.status === 405) {
      res.writeHead(405, { ...SECURITY_HEADERS, "content-type": "text/plain; charset=utf-8", allow: ALLOWED_METHODS });
      res.end("Method Not Allowed");
      return;
    }
    // A page address that cannot exist: Next renders the localized not-found page (404).
    req.url = `/${refusal.locale}/not-found`;
    return handle(req, res);
  }

  return (req, res) => {
    if (observe?.(req, res)) return;
    const refusal = refuseUnroutable(req.method ?? "", req.url ?? "/");
    if (refusal) return void Promise.resolve(refuse(req, res, refusal)).catch(() => res.destroy());
    req.headers[CLIENT_ADDRESS_HEADER] = resolveClientAddress(req.headers["x-forwarded-for"], req.socket.remoteAddress, hops);
    if (hops === 0) {
      // Nothing in front of us is trusted: what a client claims about itself must not reach the app.
      delete req.headers["x-forwarded-for"];
      delete req.headers["x-forwarded-host"];
      delete req.headers["x-forwarded-proto"];
    }
    handle(req, res).catch((error) => {
      console.error(error);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end('{"ok":false,"code":"internal","message":"Internal error"}');
    });
  };
}
