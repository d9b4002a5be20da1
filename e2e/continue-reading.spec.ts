import { expect, SLUG, test } from "./fixtures";
import { signUp, useOwnAddress } from "./support/accounts";

// "Continue reading at ¶N" (issue 11): the reader reports the paragraph at the top of the screen
// (PUT /api/articles/{slug}/reading); the cached home list adds the link after it loads
// (GET /api/me/continue-reading) without moving anything, the search results carry it, and it
// opens that paragraph.

test("a signed-in reader continues where they left off, from the list and from search, in both languages", async ({ page, context, browser, expectNoA11yViolations }) => {
  await useOwnAddress(context);
  await signUp(context);

  const opened = page.waitForResponse((r) => r.url().endsWith(`/api/articles/${SLUG}/reading`) && r.request().method() === "POST");
  await page.goto(`/en/articles/${SLUG}`);
  expect((await opened).status()).toBe(200);
  // Scroll so that ¶12 is the paragraph at the top of the screen, and wait for the report.
  const saved = page.waitForRequest((r) => r.url().endsWith(`/api/articles/${SLUG}/reading`) && r.method() === "PUT");
  await page.locator("#p-12").evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY + 4));
  const request = await saved;
  expect(request.postDataJSON()).toEqual({ paragraph: "p-12" });
  expect((await request.response())?.status()).toBe(200);

  // The home list: the link arrives after load, into the slot the card already has.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/api/me/continue-reading", async (route) => {
    await held;
    await route.continue();
  });
  await page.goto("/en");
  const card = page.getByTestId("article-card").filter({ has: page.locator(`a[href="/en/articles/${SLUG}"]`) });
  await expect(card).toHaveCount(1);
  const before = await card.boundingBox();
  release();
  const link = card.getByTestId("continue-reading");
  await expect(link).toHaveText(/^Continue reading at ¶12/);
  await expect(link).toHaveAttribute("href", `/en/articles/${SLUG}#p-12`);
  expect(await card.boundingBox()).toEqual(before);
  await expectNoA11yViolations();

  // Search results carry it too (rendered per request).
  await page.goto("/en/search?q=exports");
  const result = page.getByTestId("search-result").filter({ has: page.locator(`a[href="/en/articles/${SLUG}"]`) });
  await expect(result.getByTestId("continue-reading")).toHaveText(/^Continue reading at ¶12/);
  await result.getByTestId("continue-reading").click();
  await expect(page).toHaveURL(new RegExp(`/en/articles/${SLUG}#p-12$`));
  await expect(page.locator("#p-12")).toBeInViewport();

  // Japanese interface.
  await page.goto("/ja");
  const jaCard = page.getByTestId("article-card").filter({ has: page.locator(`a[href="/ja/articles/${SLUG}"]`) });
  await expect(jaCard.getByTestId("continue-reading")).toHaveText(/^¶12から続きを読む/);
  await expect(jaCard.getByTestId("continue-reading")).toHaveAttribute("href", `/ja/articles/${SLUG}#p-12`);
  await page.goto(`/ja/search?q=${encodeURIComponent("輸出")}`);
  await expect(page.getByTestId("search-result").getByTestId("continue-reading").first()).toHaveText(/^¶12から続きを読む/);

  // Signed out: nothing is asked, nothing is shown.
  const stranger = await browser.newContext();
  const other = await stranger.newPage();
  let asked = false;
  other.on("request", (r) => {
    if (r.url().includes("/api/me/continue-reading")) asked = true;
  });
  await other.goto("/en");
  await expect(other.getByTestId("article-card").first()).toBeVisible();
  await other.waitForLoadState("networkidle");
  await expect(other.getByTestId("continue-reading")).toHaveCount(0);
  expect(asked).toBe(false);
  await stranger.close();
});
