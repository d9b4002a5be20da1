import { expect, test } from "./fixtures";

test.describe("locale negotiation at /", () => {
  // Chromium derives Accept-Language from the context locale (e.g. "ja-JP" → "ja-JP,ja;q=0.9").
  for (const [browserLocale, expected] of [
    ["ja-JP", "/ja"],
    ["ja", "/ja"],
    ["en-GB", "/en"],
    ["fr-FR", "/en"],
  ] as const) {
    test(`a ${browserLocale} browser → ${expected}`, async ({ browser }) => {
      const context = await browser.newContext({ locale: browserLocale });
      const page = await context.newPage();
      const response = await page.goto("/");
      expect(response?.status()).toBe(200);
      expect(new URL(page.url()).pathname).toBe(expected);
      await expect(page.locator("html")).toHaveAttribute("lang", expected.slice(1));
      await context.close();
    });
  }

  test("an explicit choice is remembered over Accept-Language", async ({ browser }) => {
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    await page.goto("/en");
    await page.getByTestId("switch-locale-ja").click();
    await expect(page).toHaveURL(/\/ja$/);
    const cookie = (await context.cookies()).find((c) => c.name === "NEXT_LOCALE");
    expect(cookie?.value).toBe("ja");
    expect(cookie!.expires).toBeGreaterThan(Date.now() / 1000 + 60 * 60 * 24 * 300);
    await page.goto("/");
    expect(new URL(page.url()).pathname).toBe("/ja");
    await context.close();
  });
});

test.describe("localized metadata", () => {
  test("list pages have localized titles, canonical and hreflang links", async ({ page }) => {
    await page.goto("/ja");
    await expect(page).toHaveTitle("英語と日本語で読む記事 — 対訳 Taiyaku");
    await expect(page.locator('meta[name="description"]')).toHaveAttribute("content", /段落ごと/);
    await expect(page.locator('link[rel="canonical"]')).toHaveAttribute("href", /\/ja$/);
    await expect(page.locator('link[rel="alternate"][hreflang="en"]')).toHaveAttribute("href", /\/en$/);
    await expect(page.locator('link[rel="alternate"][hreflang="ja"]')).toHaveAttribute("href", /\/ja$/);
    await expect(page.locator('link[rel="alternate"][hreflang="x-default"]')).toHaveAttribute("href", /\/en$/);

    await page.goto("/en");
    await expect(page).toHaveTitle("Articles in English and Japanese — Taiyaku");
  });
});
