import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { withContentSecurityPolicy } from "./page-cache-handler.mjs";
import {
  applySecurityHeaders,
  isHttpsRequest,
  newNonce,
  noncePageContentSecurityPolicy,
  SCRIPTLESS_PAGE_CONTENT_SECURITY_POLICY,
} from "./security-headers";
import { cachedPageContentSecurityPolicy, inlineScriptHashes } from "./security-policy.mjs";

const sha256 = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;
const scriptSrc = (policy: string) => policy.split("; ").find((d) => d.startsWith("script-src "))!;

describe("page policies", () => {
  it("never allow inline scripts wholesale, and forbid framing", () => {
    for (const policy of [noncePageContentSecurityPolicy("abc", false), SCRIPTLESS_PAGE_CONTENT_SECURITY_POLICY, cachedPageContentSecurityPolicy("<script>x()</script>")]) {
      expect(scriptSrc(policy)).not.toContain("'unsafe-inline'");
      expect(scriptSrc(policy)).not.toContain("'unsafe-eval'");
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).toContain("object-src 'none'");
    }
  });

  it("name the nonce of a per-request page; eval only in development", () => {
    expect(scriptSrc(noncePageContentSecurityPolicy("abc", false))).toBe("script-src 'self' 'nonce-abc'");
    expect(scriptSrc(noncePageContentSecurityPolicy("abc", true))).toBe("script-src 'self' 'nonce-abc' 'unsafe-eval'");
  });

  it("gives a fresh nonce each time, in the base64 form Next reads back from the policy", () => {
    const nonces = new Set(Array.from({ length: 50 }, newNonce));
    expect(nonces.size).toBe(50);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});

describe("inlineScriptHashes", () => {
  it("hashes each inline script once, as the browser sees it", () => {
    const html = [
      "<html><head><script src=\"/_next/static/chunks/a.js\" async></script>",
      '<script type="application/ld+json">{"@type":"Article"}</script></head><body>',
      "<script>(self.__next_f=self.__next_f||[]).push([0])</script>",
      '<script>self.__next_f.push([1,"a\\n"])</script>',
      '<script type="module">m()</script><SCRIPT nonce="x">\r\ny()</SCRIPT>',
      "<script>(self.__next_f=self.__next_f||[]).push([0])</script></body></html>",
    ].join("");
    expect(inlineScriptHashes(html)).toEqual([
      sha256("(self.__next_f=self.__next_f||[]).push([0])"),
      sha256('self.__next_f.push([1,"a\\n"])'),
      sha256("m()"),
      sha256("\ny()"),
    ]);
  });

  it("finds none in a page without inline scripts", () => {
    expect(inlineScriptHashes('<p>no scripts</p><script src="/a.js"></script>')).toEqual([]);
    expect(scriptSrc(cachedPageContentSecurityPolicy("<p></p>"))).toBe("script-src 'self'");
  });
});

describe("withContentSecurityPolicy (cached pages)", () => {
  it("adds the hash policy to a cached HTML page, keeping its other headers", () => {
    const value = { kind: "APP_PAGE", html: "<script>a()</script>", headers: { "x-next-cache-tags": "t" } };
    withContentSecurityPolicy(value);
    expect(value.headers["x-next-cache-tags"]).toBe("t");
    expect(scriptSrc((value.headers as Record<string, string>)["content-security-policy"]!)).toBe(`script-src 'self' ${sha256("a()")}`);
  });

  it("leaves other cache entries alone and keeps a policy already there", () => {
    const fetchEntry = { kind: "FETCH", data: {} };
    expect(withContentSecurityPolicy(fetchEntry)).toEqual({ kind: "FETCH", data: {} });
    const page = { kind: "APP_PAGE", html: "<script>a()</script>", headers: { "content-security-policy": "kept" } };
    expect(withContentSecurityPolicy(page).headers["content-security-policy"]).toBe("kept");
  });
});

describe("request security", () => {
  const url = (href: string) => new URL(href);
  it("treats https URLs and a forwarded https first hop as https", () => {
    expect(isHttpsRequest(url("https://a.example/"), new Headers())).toBe(true);
    expect(isHttpsRequest(url("http://a.example/"), new Headers({ "x-forwarded-proto": "HTTPS, http" }))).toBe(true);
    expect(isHttpsRequest(url("http://a.example/"), new Headers({ "x-forwarded-proto": "http" }))).toBe(false);
    expect(isHttpsRequest(url("http://a.example/"), new Headers())).toBe(false);
  });

  it("sends HSTS only over https; the constant headers only where asked", () => {
    const plain = new Headers();
    applySecurityHeaders(plain, { https: false, contentSecurityPolicy: null });
    expect([...plain.keys()]).toEqual([]);
    const full = new Headers();
    applySecurityHeaders(full, { https: true, contentSecurityPolicy: "default-src 'none'", standalone: true });
    expect(full.get("strict-transport-security")).toBe("max-age=31536000");
    expect(full.get("content-security-policy")).toBe("default-src 'none'");
    expect(full.get("x-frame-options")).toBe("DENY");
    expect(full.get("x-content-type-options")).toBe("nosniff");
    expect(full.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  });
});
