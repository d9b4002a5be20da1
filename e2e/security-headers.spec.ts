import { createHash } from "node:crypto";
import type { APIResponse } from "@playwright/test";
import { expect, SLUG, test } from "./fixtures";
import { signUp, useOwnAddress } from "./support/accounts";

// ADR 0015: every response carries the security headers; pages carry a script policy without
// 'unsafe-inline' — a nonce when rendered per request, the hashes of their own inline scripts
// when served from the page cache (which must stay a cache).

/** A cache hit; STALE is a hit served while the page regenerates (other tests revalidate it). */
const SERVED_FROM_CACHE = ["HIT", "STALE"];

const CONSTANT = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "x-frame-options": "DENY",
};

function expectConstantHeaders(response: APIResponse | { headers(): Record<string, string> }) {
  const headers = response.headers();
  for (const [name, value] of Object.entries(CONSTANT)) expect(headers[name], name).toBe(value);
  // Served over plain http here: no HSTS.
  expect(headers["strict-transport-security"]).toBeUndefined();
}

function scriptSources(policy: string | undefined): string[] {
  expect(policy, "content-security-policy").toBeTruthy();
  expect(policy).not.toContain(","); // one policy, not several joined
  const directives = policy!.split(";").map((d) => d.trim());
  expect(directives).toContain("frame-ancestors 'none'");
  expect(directives).toContain("object-src 'none'");
  expect(directives).toContain("base-uri 'self'");
  const script = directives.find((d) => d.startsWith("script-src "));
  expect(script).toBeTruthy();
  const sources = script!.split(/\s+/).slice(1);
  expect(sources).not.toContain("'unsafe-inline'");
  expect(sources).not.toContain("'unsafe-eval'");
  return sources;
}

test.describe("security headers", () => {
  for (const locale of ["en", "ja"] as const) {
    test(`the ${locale} article list: headers, hash policy, served from the cache`, async ({ page, request }) => {
      const first = await request.get(`/${locale}`);
      expect(first.status()).toBe(200);
      const response = await request.get(`/${locale}`);
      expectConstantHeaders(response);
      const sources = scriptSources(response.headers()["content-security-policy"]);
      expect(sources.some((s) => s.startsWith("'sha256-"))).toBe(true);
      expect(sources.some((s) => s.startsWith("'nonce-"))).toBe(false);
      expect(SERVED_FROM_CACHE).toContain(response.headers()["x-nextjs-cache"]);

      // The browser runs the page under that policy: it hydrates (the locale switch is a
      // client navigation) and the fixture fails the test on any violation.
      await page.goto(`/${locale}`);
      await expect(page.locator("html")).toHaveAttribute("lang", locale);
      await expect(page.locator("main a[href*='/articles/']").first()).toBeVisible();
    });
  }

  test("the reader: the same cached page for everyone, its inline scripts allowed by hash", async ({ page, request }) => {
    const url = `/en/articles/${SLUG}?text=both`;
    await request.get(url);
    for (let i = 0; i < 2; i++) {
      const response = await request.get(url);
      expectConstantHeaders(response);
      // Still the shared cached page (ADR 0004/0012), not a per-request render: a hit, or a stale
      // hit while another test's note write has it regenerating in the background.
      expect(SERVED_FROM_CACHE).toContain(response.headers()["x-nextjs-cache"]);
      const sources = scriptSources(response.headers()["content-security-policy"]);
      expect(sources.some((s) => s.startsWith("'nonce-"))).toBe(false);
      // Every inline script of the page is named by hash, and nothing else inline is.
      const html = await response.text();
      expect(html).not.toContain(" nonce=");
      // JSON-LD is a data block the browser never runs: no hash needed (lib/http/security-policy.mjs).
      const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>([\s\S]*?)<\/script>/g)]
        .filter((m) => !m[1]!.includes('type="application/ld+json"'))
        .map((m) => m[2]!);
      expect(inline.length).toBeGreaterThan(0);
      const hashes = inline.map((body) => `'sha256-${createHash("sha256").update(body).digest("base64")}'`);
      expect(new Set(sources.filter((s) => s.startsWith("'sha256-")))).toEqual(new Set(hashes));
    }

    // Hydrated under the policy: copying a paragraph link is client code.
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.goto(url);
    await page.getByRole("button", { name: "Copy link to paragraph 9" }).click();
    await expect(page.getByTestId("copy-status-p-9")).toHaveText("Link to paragraph 9 copied.");
  });

  test("a reader address with no article still answers with a policy", async ({ request }) => {
    const response = await request.get(`/en/articles/no-such-article-${Date.now()}`);
    expect(response.status()).toBe(404);
    expectConstantHeaders(response);
    scriptSources(response.headers()["content-security-policy"]);
  });

  test("a page rendered per request gets a fresh nonce on its scripts", async ({ page, context }) => {
    await useOwnAddress(context);
    await signUp(context, { name: "Nonce Reader" });
    const one = await context.request.get("/en/profile");
    const two = await context.request.get("/en/profile");
    expect(one.status()).toBe(200);
    expectConstantHeaders(one);
    const nonceOf = (policy: string | undefined) => scriptSources(policy).find((s) => s.startsWith("'nonce-"))!.slice(7, -1);
    const nonce = nonceOf(one.headers()["content-security-policy"]);
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(nonceOf(two.headers()["content-security-policy"])).not.toBe(nonce);
    expect(await one.text()).toContain(`nonce="${nonce}"`);

    await page.goto("/en/profile");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  });

  test("API responses and static files carry the headers too", async ({ request }) => {
    const api = await request.get("/api/health");
    expectConstantHeaders(api);
    expect(api.headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
    const icon = await request.get("/icon.svg");
    expect(icon.status()).toBe(200);
    expectConstantHeaders(icon);
  });

  test("HSTS only when the request came over https (per x-forwarded-proto)", async ({ request }) => {
    const https = { "x-forwarded-proto": "https" };
    for (const path of ["/en", `/ja/articles/${SLUG}`, "/en/sign-in", "/api/health"]) {
      const secure = await request.get(path, { headers: https });
      expect(secure.headers()["strict-transport-security"], path).toBe("max-age=31536000");
      const plain = await request.get(path);
      expect(plain.headers()["strict-transport-security"], path).toBeUndefined();
    }
  });
});
