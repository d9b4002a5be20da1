import { NextRequest } from "next/server";
import createMiddleware from "next-intl/middleware";
import { describe, expect, it } from "vitest";
import { routing } from "./routing";

const handle = createMiddleware(routing);
const visit = (path: string, headers: Record<string, string> = {}) =>
  handle(new NextRequest(new URL(path, "http://localhost:3000"), { headers: { "sec-fetch-dest": "document", ...headers } }));

describe("locale negotiation", () => {
  it.each([
    ["ja", "/ja"],
    ["ja-JP,ja;q=0.9,en;q=0.8", "/ja"],
    ["en-US,en;q=0.9", "/en"],
    ["fr-FR,de;q=0.8", "/en"],
    ["en;q=0.5,ja;q=0.9", "/ja"],
  ])("Accept-Language %s → %s", (acceptLanguage, expected) => {
    const response = visit("/", { "accept-language": acceptLanguage });
    expect(new URL(response.headers.get("location")!).pathname).toBe(expected);
  });

  it("an explicit choice (cookie) wins over Accept-Language", () => {
    const response = visit("/", { "accept-language": "en-US", cookie: "NEXT_LOCALE=ja" });
    expect(new URL(response.headers.get("location")!).pathname).toBe("/ja");
  });

  it("visiting the other locale stores the choice for a year", () => {
    const response = visit("/ja", { "accept-language": "en-US" });
    const cookie = response.headers.get("set-cookie") ?? "";
    expect(cookie).toContain("NEXT_LOCALE=ja");
    expect(cookie).toMatch(/Max-Age=31536000/i);
    expect(cookie).toMatch(/SameSite=lax/i);
  });

  it("paths without a locale get the negotiated prefix", () => {
    const response = visit("/articles/x", { "accept-language": "ja" });
    expect(new URL(response.headers.get("location")!).pathname).toBe("/ja/articles/x");
  });
});

describe("alternate links", () => {
  it("next-intl sends no hreflang Link header: pages carry their own, on SITE_URL", () => {
    // Built from the request's origin, the header would contradict the page's canonical link
    // behind any host other than SITE_URL (Lighthouse's canonical audit, issue 15).
    const response = visit("/en/articles/x", { host: "proxy.example:8080" });
    expect(response.headers.get("location")).toBeNull();
    expect(response.headers.get("link") ?? "").not.toMatch(/hreflang/i);
  });
});
