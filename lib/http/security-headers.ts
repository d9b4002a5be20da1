import {
  API_CONTENT_SECURITY_POLICY,
  CONSTANT_SECURITY_HEADERS,
  pageContentSecurityPolicy,
  STRICT_TRANSPORT_SECURITY,
} from "./security-policy.mjs";

export { API_CONTENT_SECURITY_POLICY, CONSTANT_SECURITY_HEADERS, STRICT_TRANSPORT_SECURITY };

/**
 * Whether the browser reached us over https: the URL Next saw, or the first hop a
 * TLS-terminating proxy reports in x-forwarded-proto. Browsers ignore HSTS received over plain
 * http, so a forged header cannot pin anything; keying on the request (not SITE_URL) keeps
 * http development and e2e free of it.
 */
export function isHttpsRequest(url: URL, headers: Headers): boolean {
  if (url.protocol === "https:") return true;
  const forwarded = headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return forwarded === "https";
}

/** 128 random bits, base64: unguessable for each response (CSP nonces must never repeat). */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/** The policy for a page rendered for this request: its inline scripts carry this nonce. */
export function noncePageContentSecurityPolicy(nonce: string, dev = process.env.NODE_ENV === "development"): string {
  return pageContentSecurityPolicy({ scriptSources: [`'nonce-${nonce}'`], dev });
}

/** A page (or the proxy's own 503 page) that has no inline script at all. */
export const SCRIPTLESS_PAGE_CONTENT_SECURITY_POLICY = pageContentSecurityPolicy({ scriptSources: [] });

/**
 * Sets the per-request security headers on a response the proxy passes on. The constant ones
 * come from next.config.js `headers()` for every path; `standalone` adds them too, for the
 * responses the proxy builds itself (the 503 page). `contentSecurityPolicy: null` leaves the
 * policy to whoever renders the page (cached pages carry their own, by hash —
 * lib/http/page-cache-handler.mjs).
 */
export function applySecurityHeaders(
  headers: Headers,
  { https, contentSecurityPolicy, standalone = false }: { https: boolean; contentSecurityPolicy: string | null; standalone?: boolean },
): void {
  if (standalone) for (const [name, value] of Object.entries(CONSTANT_SECURITY_HEADERS)) headers.set(name, value);
  if (https) headers.set("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
  if (contentSecurityPolicy) headers.set("Content-Security-Policy", contentSecurityPolicy);
}
