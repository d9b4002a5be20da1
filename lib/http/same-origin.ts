import { siteUrl } from "@/lib/site-url";

/** Methods that change nothing; every other method must come from our own pages (ADR 0015). */
export const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * The origin this request was addressed to: its Host (the forwarded host when the production
 * server trusts a proxy — it drops client-sent X-Forwarded-* headers otherwise) and scheme.
 */
export function addressedOrigin(request: Request): string | null {
  const host = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim() || request.headers.get("host");
  if (!host) return null;
  const forwardedProto = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  const proto = forwardedProto === "https" || forwardedProto === "http" ? forwardedProto : new URL(request.url).protocol.slice(0, -1);
  try {
    return new URL(`${proto}://${host}`).origin;
  } catch {
    return null;
  }
}

/**
 * Whether an unsafe request may proceed. SameSite=Lax cookies stop most cross-site writes, but
 * not all: a sibling subdomain is "same-site", top-level POST navigations carry Lax cookies for
 * two minutes after sign-in in some browsers, and non-browser clients ignore SameSite. So:
 * - an `Origin` header must equal the origin the request was addressed to, or SITE_URL's;
 * - `Origin: null` (sandboxed frames, some redirects, file:// pages) is refused;
 * - without `Origin`, only requests whose browser says they are same-origin or user-initiated
 *   (`Sec-Fetch-Site: same-origin` / `none`) or that carry no fetch metadata at all (curl,
 *   scripts: no ambient browser cookies to abuse) pass.
 */
export function isSameOriginRequest(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (origin !== null) {
    if (origin === "null") return false;
    return origin === addressedOrigin(request) || origin === siteUrl().origin;
  }
  const site = request.headers.get("sec-fetch-site");
  return site === null || site === "same-origin" || site === "none";
}
