import { NextResponse, type NextRequest } from "next/server";
import createMiddleware from "next-intl/middleware";
import { routing } from "@/i18n/routing";
import { isDatabaseHealthy } from "@/lib/db/health";
import { unavailablePageHtml } from "@/lib/unavailable-page";
import { readerRewritePath } from "@/lib/reader-rewrite";

const handleI18nRouting = createMiddleware(routing);
const RETRY_AFTER_SECONDS = 5;

export default async function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;

  // The internal /[mode] route is not a public address: send visitors to the public one.
  const internal = pathname.match(/^\/(en|ja)\/articles\/([^/]+)\/(en|ja|both)\/?$/);
  if (internal) {
    const url = request.nextUrl.clone();
    url.pathname = `/${internal[1]}/articles/${internal[2]}`;
    url.searchParams.set("text", internal[3]!);
    return NextResponse.redirect(url, 308);
  }

  const response = handleI18nRouting(request);
  if (response.headers.has("location")) return response;

  if (!(await isDatabaseHealthy())) {
    const locale = pathname.startsWith("/ja") ? "ja" : "en";
    return new NextResponse(unavailablePageHtml(locale, RETRY_AFTER_SECONDS), {
      status: 503,
      headers: {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
        "retry-after": String(RETRY_AFTER_SECONDS),
      },
    });
  }

  // Every reader shares the cached page; a signed-in reader's own notes come from the reader
  // API once it loads (ADR 0012).
  const rewriteTo = readerRewritePath(pathname, request.nextUrl.searchParams.get("text"));
  if (!rewriteTo) return response;
  // Next treats a rewrite whose origin differs from the server's own as an external URL and
  // proxies it over HTTP (through this proxy again). request.url carries the server's origin
  // unless `next start -H <host>` is used, which makes the two disagree: we never pass -H.
  const rewritten = NextResponse.rewrite(new URL(rewriteTo, request.url));
  // Keep what next-intl decided (locale cookie, alternate links, request headers) but not its
  // own pass-through/rewrite instructions, which this rewrite replaces.
  response.headers.forEach((value, key) => {
    if (key !== "x-middleware-next" && key !== "x-middleware-rewrite") rewritten.headers.set(key, value);
  });
  return rewritten;
}

export const config = {
  // Everything except Next's internals, API routes and files with an extension.
  matcher: "/((?!api|_next|_vercel|.*\\..*).*)",
};
