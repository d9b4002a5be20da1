import { routing, type AppLocale } from "@/i18n/routing";

/**
 * The interface language an API response should speak: the client says it in `x-ui-locale`
 * (the page it runs in), then the NEXT_LOCALE cookie, then Accept-Language.
 */
export function requestLocale(request: Request): AppLocale {
  const header = request.headers.get("x-ui-locale");
  if (header === "en" || header === "ja") return header;
  const cookie = readCookie(request, "NEXT_LOCALE");
  if (cookie === "en" || cookie === "ja") return cookie;
  const accept = request.headers.get("accept-language") ?? "";
  const first = accept.split(",")[0]?.trim().slice(0, 2).toLowerCase();
  return first === "ja" ? "ja" : routing.defaultLocale;
}

export function readCookie(request: Request, name: string): string | null {
  const header = request.headers.get("cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    // A malformed escape is the client's garbage, not a server error: treat it as absent.
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * The client address for rate limiting. `next start` sets x-forwarded-for from the socket; a
 * deployment behind a proxy must make that proxy overwrite (not append to) the header, since
 * only the last hop is trustworthy. We take the last entry for that reason.
 */
export function clientAddress(request: Request): string {
  const forwarded = request.headers.get("x-forwarded-for");
  if (forwarded) {
    const hops = forwarded.split(",").map((hop) => hop.trim()).filter(Boolean);
    if (hops.length) return hops[hops.length - 1]!;
  }
  return request.headers.get("x-real-ip")?.trim() || "unknown";
}

export function isHttps(request: Request): boolean {
  const proto = request.headers.get("x-forwarded-proto");
  if (proto) return proto.split(",")[0]!.trim() === "https";
  return new URL(request.url).protocol === "https:";
}
