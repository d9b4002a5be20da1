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
  return acceptedLocale(request.headers.get("accept-language") ?? "");
}

/**
 * The supported locale an Accept-Language header prefers most, as the proxy (next-intl) picks
 * it: by q-value (ties keep the header's order), "ja-JP" counting as "ja", q=0 meaning "not
 * this one", and "*" or nothing supported giving the default. Header order alone is wrong:
 * "en;q=0.5,ja;q=0.9" prefers Japanese.
 */
export function acceptedLocale(header: string): AppLocale {
  const ranges = header
    .split(",")
    .slice(0, 50) // a hostile header cannot make this loop long
    .map((part, index) => {
      const [tag = "", ...params] = part.split(";").map((piece) => piece.trim());
      const qParam = params.find((param) => /^q\s*=/i.test(param));
      const q = qParam === undefined ? 1 : Number(qParam.slice(qParam.indexOf("=") + 1).trim());
      return { primary: tag.toLowerCase().split("-")[0] ?? "", q: Number.isFinite(q) && q >= 0 && q <= 1 ? q : 0, index };
    })
    .filter((range) => range.primary && range.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const range of ranges) {
    if (range.primary === "*") return routing.defaultLocale;
    const supported = routing.locales.find((locale) => locale === range.primary);
    if (supported) return supported;
  }
  return routing.defaultLocale;
}

export function readCookie(request: Pick<Request, "headers">, name: string): string | null {
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
 * The client address for rate limits and stream caps. The production server
 * (scripts/lib/next-server.mjs) resolves it from the socket and TRUSTED_PROXY_HOPS and sets
 * `x-taiyaku-client-address`, overwriting anything a client sent. Without that server (next dev,
 * tests calling handlers directly) the last X-Forwarded-For entry stands in: fine for
 * development, and the reason production runs behind that server.
 */
export function clientAddress(request: Request): string {
  const resolved = request.headers.get("x-taiyaku-client-address")?.trim();
  if (resolved) return resolved;
  const forwarded = request.headers.get("x-forwarded-for");
  if (forwarded) {
    const hops = forwarded.split(",").map((hop) => hop.trim()).filter(Boolean);
    if (hops.length) return hops[hops.length - 1]!;
  }
  return "unknown";
}

export function isHttps(request: Request): boolean {
  const proto = request.headers.get("x-forwarded-proto");
  if (proto) return proto.split(",")[0]!.trim() === "https";
  return new URL(request.url).protocol === "https:";
}
