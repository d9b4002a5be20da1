import { expect, SLUG, test } from "./fixtures";

test.use({ allowHttpErrorStatus: true });

const cases: [string, string, string][] = [
  ["unknown slug", "/en/articles/no-such-article", "Page not found"],
  ["unknown slug (ja)", "/ja/articles/no-such-article", "ページが見つかりません"],
  ["unknown path", "/ja/no/such/page", "ページが見つかりません"],
  ["encoded traversal", "/en/articles/..%2F..%2Fetc", "Page not found"],
  ["unicode slug", "/ja/articles/%E6%97%A5%E6%9C%AC", "ページが見つかりません"],
  ["over-long slug", `/en/articles/${"a".repeat(5000)}`, "Page not found"],
  ["unknown mode segment", `/en/articles/${SLUG}/sideways`, "Page not found"],
];

for (const [name, path, heading] of cases) {
  test(`404 for ${name}`, async ({ page }) => {
    const response = await page.goto(path);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);
    await expect(page.locator('meta[name="robots"]').first()).toHaveAttribute("content", /noindex/);
  });
}

test("an unknown locale prefix ends on the localized 404", async ({ page }) => {
  const response = await page.goto("/fr/articles/x");
  expect(response?.status()).toBe(404);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
});

test("the 404 page is accessible and links home", async ({ page, expectNoA11yViolations }) => {
  await page.goto("/ja/articles/no-such-article");
  await expectNoA11yViolations();
  await page.getByRole("link", { name: "記事一覧へ" }).click();
  await expect(page).toHaveURL(/\/ja$/);
});
