import { expect, test } from "./fixtures";

// The API description (ADR 0032): /api/openapi.json from the pipeline, and the reference page
// that /api/docs sends people to in their language — server-rendered, no script of its own,
// accessible.

// Chromium derives Accept-Language from the context locale ("ja-JP" → "ja-JP,ja;q=0.9").
for (const [browserLocale, locale, heading] of [
  ["en-GB", "en", "API reference"],
  ["ja-JP", "ja", "API リファレンス"],
] as const) {
  test(`/api/docs opens the reference in ${locale}, axe-clean @phone`, async ({ browser, expectNoA11yViolations }) => {
    // One page lists every operation (~100 articles with tables): axe alone takes a while on it.
    test.setTimeout(120_000);
    const context = await browser.newContext({ locale: browserLocale });
    const page = await context.newPage();
    await page.goto("/api/docs");
    await expect(page).toHaveURL(new RegExp(`/${locale}/api-docs$`));
    await expect(page.locator("html")).toHaveAttribute("lang", locale);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);

    // Every operation of the document is on the page, grouped by its tag.
    const document = await (await context.request.get("/api/openapi.json")).json();
    const count = Object.values(document.paths as Record<string, object>).reduce((sum, item) => sum + Object.keys(item).length, 0);
    await expect(page.locator("article.api-op")).toHaveCount(count);
    const history = page.locator("article#getApiNotesIdHistory");
    await expect(history.getByRole("heading", { level: 3 })).toContainText("/api/notes/{id}/history");
    await expect(history).toContainText(locale === "ja" ? "「read」スコープで利用可" : "Accepted with the “read” scope");

    // Nothing of the reference is wider than a phone: long paths, patterns and schemas wrap
    // (the site header is the shell's, checked elsewhere).
    await page.setViewportSize({ width: 360, height: 740 });
    await page.locator("article#postApiTokens details summary").click();
    await expect(page.locator("article#postApiTokens pre")).toContainText('"expiresInDays"');
    const tooWide = await page.evaluate(() =>
      [...document.querySelectorAll("main *")]
        .filter((element) => element.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
        .slice(0, 5)
        .map((element) => `${element.tagName}.${element.className} ${element.textContent?.slice(0, 40)}`),
    );
    expect(tooWide).toEqual([]);
    await expectNoA11yViolations(page);

    // The link to the machine-readable description.
    const link = page.getByRole("link", { name: locale === "ja" ? "OpenAPI 3.1 記述（JSON）" : "OpenAPI 3.1 description (JSON)" });
    await expect(link).toHaveAttribute("href", "/api/openapi.json");
    await context.close();
  });
}

test("/api/openapi.json is an OpenAPI 3.1 document of this server, cacheable and readable cross-origin", async ({ request }) => {
  const response = await request.get("/api/openapi.json");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toMatch(/^application\/json/);
  expect(response.headers()["access-control-allow-origin"]).toBe("*");
  const document = await response.json();
  expect(document.openapi).toBe("3.1.0");
  expect(document.paths["/api/notes"].post.security).toEqual([{ sessionCookie: [] }, { bearerToken: ["write"] }]);
  const again = await request.get("/api/openapi.json", { headers: { "if-none-match": response.headers()["etag"]! } });
  expect(again.status()).toBe(304);
});
