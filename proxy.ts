import { NextRequest, NextResponse } from "next/server";
import createMiddleware from "next-intl/middleware";
import { routing } from "@/i18n/routing";
import { isDatabaseHealthy } from "@/lib/db/health";
import { unavailablePageHtml } from "@/lib/unavailable-page";
import { FURIGANA_COOKIE, furiganaChoice, readerRewritePath } from "@/lib/reader-rewrite";
import {
  applySecurityHeaders,
  isHttpsRequest,
  newNonce,
  noncePageContentSecurityPolicy,
  SCRIPTLESS_PAGE_CONTENT_SECURITY_POLICY,
} from "@/lib/http/security-headers";

const handleI18nRouting = createMiddleware(routing);
const RETRY_AFTER_SECONDS = 5;
/** The article list: a cached page like the reader (its `revalidate`). */
const CACHED_PAGE = /^\/(en|ja)\/?$/;

export default async function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;

  // next.config.js skips Next's own trailing-slash redirect (the annotation containers' IRIs end
  // in "/", ADR 0029); pages keep one address without it.
  if (pathname.length > 1 && pathname.endsWith("/")) {
    // A plain URL: a NextURL remembers the slash it was parsed with and would put it back.
    const url = new URL(request.url);
    url.pathname = pathname.replace(/\/+$/, "") || "/";
    return NextResponse.redirect(url, 308);
  }

  // The internal /[mode] route is not a public address: send visitors to the public one.
  const internal = pathname.match(/^\/(en|ja)\/articles\/([^/]+)\/(en|ja|both)(-furigana)?\/?$/);
  if (internal) {
    const url = request.nextUrl.clone();
    url.pathname = `/${internal[1]}/articles/${internal[2]}`;
    url.searchParams.set("text", internal[3]!);
    if (internal[4]) url.searchParams.set("furigana", "1");
    return NextResponse.redirect(url, 308);
  }

  const https = isHttpsRequest(request.nextUrl, request.headers);
  const furigana = furiganaChoice(request.nextUrl.searchParams.get("furigana"), request.cookies.get(FURIGANA_COOKIE)?.value);
  const rewriteTo = readerRewritePath(pathname, request.nextUrl.searchParams.get("text"), furigana.on);
  if (rewriteTo && furigana.addToUrl) {
    // The remembered choice becomes part of the address (one cached page per address).
    const url = request.nextUrl.clone();
    url.searchParams.set("furigana", "1");
    const redirect = NextResponse.redirect(url, 307);
    redirect.headers.set("cache-control", "private, no-store");
    return redirect;
  }
  // Cached pages (the reader, the article list) are one HTML for every visitor: they carry a
  // policy with the hashes of their own inline scripts, added where Next caches them
  // (lib/http/page-cache-handler.mjs). Every other page renders per request and gets a fresh
  // nonce, which Next reads from the request's policy and puts on its scripts (ADR 0015).
  // In development nothing is cached, so every page takes the nonce.
  const cachedPage = process.env.NODE_ENV !== "development" && (rewriteTo !== null || CACHED_PAGE.test(pathname));
  const contentSecurityPolicy = cachedPage ? null : noncePageContentSecurityPolicy(newNonce());
  let routed = request;
  if (contentSecurityPolicy) {
    const headers = new Headers(request.headers);
    headers.set("content-security-policy", contentSecurityPolicy);
    routed = new NextRequest(request, { headers });
  }

  // next-intl passes the request's headers (with the policy) on to the page it routes to.
  const response = handleI18nRouting(routed);
  if (response.headers.has("location")) return response;

  if (!(await isDatabaseHealthy())) {
    const locale = pathname.startsWith("/ja") ? "ja" : "en";
    const unavailable = new NextResponse(unavailablePageHtml(locale, RETRY_AFTER_SECONDS), {
      status: 503,
      headers: {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
        "retry-after": String(RETRY_AFTER_SECONDS),
      },
    });
    applySecurityHeaders(unavailable.headers, { https, contentSecurityPolicy: SCRIPTLESS_PAGE_CONTENT_SECURITY_POLICY, standalone: true });
    return unavailable;
  }
  applySecurityHeaders(response.headers, { https, contentSecurityPolicy });

  // Every reader shares the cached page; a signed-in reader's own notes come from the reader
  // API once it loads (ADR 0012).
  if (!rewriteTo) return response;
  // Next treats a rewrite whose origin differs from the server's own as an external URL and
  // proxies it over HTTP (through this proxy again). request.url carries the server's origin
  // unless `next start -H <host>` is used, which makes the two disagree: we never pass -H.
  const rewritten = NextResponse.rewrite(new URL(rewriteTo, request.url));
  // Keep what next-intl decided (locale cookie, request headers) but not its own
  // pass-through/rewrite instructions, which this rewrite replaces.
  response.headers.forEach((value, key) => {
    if (key !== "x-middleware-next" && key !== "x-middleware-rewrite") rewritten.headers.set(key, value);
  });
  // The article's W3C annotation container (protocol §4.3, ADR 0029). next-intl sends no
  // hreflang Link header (alternateLinks: false, i18n/routing.ts: the pages carry those links,
  // on SITE_URL). Relative: resolved against the page's own address (RFC 8288 §3.2).
  const article = pathname.match(/^\/(?:en|ja)\/articles\/([^/]+)$/);
  if (article) rewritten.headers.append("link", `</api/annotations/${article[1]}/>; rel="http://www.w3.org/ns/oa#annotationService"`);
  return rewritten;
}

export const config = {
  // Everything except Next's internals, API routes and files with an extension.
  matcher: "/((?!api|_next|_vercel|.*\\..*).*)",
};
