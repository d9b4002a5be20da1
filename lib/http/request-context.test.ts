import { NextRequest } from "next/server";
import createMiddleware from "next-intl/middleware";
import { describe, expect, it } from "vitest";
import { routing } from "@/i18n/routing";
import { acceptedLocale, requestLocale } from "./request-context";

const apiRequest = (headers: Record<string, string>) => new Request("http://localhost:3000/api/notes", { headers });

// What the proxy (next-intl's middleware) redirects "/" to for the same header.
const proxy = createMiddleware(routing);
const proxyLocale = (acceptLanguage: string) => {
  const response = proxy(new NextRequest("http://localhost:3000/", { headers: { "sec-fetch-dest": "document", "accept-language": acceptLanguage } }));
  return new URL(response.headers.get("location")!).pathname.slice(1);
};

describe("requestLocale from Accept-Language", () => {
  it.each([
    ["en;q=0.5,ja;q=0.9", "ja"],
    ["ja;q=0.4, en;q=0.6", "en"],
    ["ja-JP,ja;q=0.9,en;q=0.8", "ja"],
    ["en-US,en;q=0.9,ja;q=0.8", "en"],
    ["fr-FR,ja;q=0.3", "ja"],
    ["fr-FR,de;q=0.8", "en"],
    ["ja;q=0,en;q=0.1", "en"],
    ["JA", "ja"],
    ["", "en"],
  ])("%j → %s, as the proxy decides", (header, expected) => {
    expect(requestLocale(apiRequest({ "accept-language": header }))).toBe(expected);
    if (header) expect(proxyLocale(header)).toBe(expected);
  });

  it("keeps the header's order between equal q-values", () => {
    expect(acceptedLocale("ja;q=0.8,en;q=0.8")).toBe("ja");
    expect(acceptedLocale("en;q=0.8,ja;q=0.8")).toBe("en");
  });

  it("ignores malformed q-values and junk instead of throwing", () => {
    expect(acceptedLocale("ja;q=abc,en;q=0.2")).toBe("en");
    expect(acceptedLocale("ja;q=2")).toBe("en");
    expect(acceptedLocale(";;,,=,ja")).toBe("ja");
  });

  it("x-ui-locale, then the NEXT_LOCALE cookie, still win over Accept-Language", () => {
    expect(requestLocale(apiRequest({ "x-ui-locale": "en", "accept-language": "ja" }))).toBe("en");
    expect(requestLocale(apiRequest({ cookie: "NEXT_LOCALE=ja", "accept-language": "en;q=0.5,ja;q=0.1" }))).toBe("ja");
  });
});
