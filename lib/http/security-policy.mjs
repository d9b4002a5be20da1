// Plain JavaScript on purpose: next.config.js and the page cache handler are loaded by Node
// itself (no TypeScript, no bundler), and the proxy must build the same policy. Types live in
// security-policy.d.mts; lib/http/security-headers.ts is the typed entry point for app code.
import { createHash } from "node:crypto";

/** Headers with one value for every response (pages, API routes, static files). */
export const CONSTANT_SECURITY_HEADERS = Object.freeze({
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  // For browsers that predate CSP's frame-ancestors.
  "X-Frame-Options": "DENY",
});

/** One year; no includeSubDomains: other hosts under the same domain are not ours to pin. */
export const STRICT_TRANSPORT_SECURITY = "max-age=31536000";

/** API responses are data, never documents: nothing may load from or frame them. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/**
 * The page policy. Scripts: our own files plus exactly the inline scripts named by
 * `scriptSources` (a nonce for per-request pages, hashes for cached ones) — never
 * 'unsafe-inline'. Styles keep 'unsafe-inline': React writes style attributes (heat map
 * colours), which neither nonces nor hashes can allow.
 */
export function pageContentSecurityPolicy({ scriptSources, dev = false }) {
  const script = ["'self'", ...scriptSources, ...(dev ? ["'unsafe-eval'"] : [])];
  return [
    "default-src 'self'",
    `script-src ${script.join(" ")}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

const SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;
const SRC_ATTRIBUTE = /(?:^|\s)src\s*=/i;
const TYPE_ATTRIBUTE = /(?:^|\s)type\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i;
const JAVASCRIPT_TYPES = new Set(["", "module", "text/javascript", "application/javascript"]);

/**
 * CSP sources ('sha256-…') for every inline script the browser would run in `html`: Next's
 * RSC payload (`self.__next_f.push(…)`) and React's streaming helpers. Scripts with a src are
 * covered by 'self'; data blocks (JSON-LD) never run. The HTML parser turns CR and CRLF into
 * LF before the browser hashes a script, so we do too.
 */
export function inlineScriptHashes(html) {
  const hashes = new Set();
  for (const [, attributes = "", body = ""] of html.matchAll(SCRIPT)) {
    if (SRC_ATTRIBUTE.test(attributes)) continue;
    const type = TYPE_ATTRIBUTE.exec(attributes);
    const typeValue = (type?.[1] ?? type?.[2] ?? type?.[3] ?? "").trim().toLowerCase();
    if (!JAVASCRIPT_TYPES.has(typeValue)) continue;
    const text = body.replace(/\r\n?/g, "\n");
    hashes.add(`'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`);
  }
  return [...hashes];
}

/** The policy a cached page is served with: its own inline scripts, by hash. */
export function cachedPageContentSecurityPolicy(html, { dev = false } = {}) {
  return pageContentSecurityPolicy({ scriptSources: inlineScriptHashes(html), dev });
}
