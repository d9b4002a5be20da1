import { expect, SLUG, test } from "./fixtures";

// The library search: the home page's GET form leads to /{locale}/search, which finds the seed
// article by a Japanese word (no spaces) and by an English word through its stem.

test("English: search from the home page by an English and a Japanese word", async ({ page, expectNoA11yViolations }) => {
  await page.goto("/en");
  await page.getByRole("searchbox", { name: "Search articles" }).fill("exports");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/\/en\/search\?q=exports$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Search the library");
  await expect(page.getByTestId("search-count")).toHaveText(/article(s)? found for “exports”/);
  const result = page.getByTestId("search-result").filter({ has: page.locator(`a[href="/en/articles/${SLUG}"]`) });
  await expect(result).toHaveCount(1);
  await expect(result.getByRole("heading", { level: 2 })).toHaveAttribute("lang", "en");
  await expect(result.getByTestId("language-badge")).toHaveText(["English (original)", "日本語"]);
  await expectNoA11yViolations();

  await page.getByLabel("Words (English or Japanese)").fill("防衛");
  await page.getByLabel("Languages").selectOption("both");
  await page.getByRole("button", { name: "Search", exact: true }).last().click();
  // A GET form sends its empty fields too; the page reads them as "no filter".
  await expect(page).toHaveURL(/\/en\/search\?q=%E9%98%B2%E8%A1%9B&tag=&lang=both&sort=$/);
  await expect(page.getByLabel("Languages")).toHaveValue("both");
  await expect(page.locator(`[data-testid="search-result"] a[href="/en/articles/${SLUG}"]`).first()).toBeVisible();
});

test("Japanese: search from the home page by a Japanese word, and a nonsense word finds nothing", async ({ page, expectNoA11yViolations }) => {
  await page.goto("/ja");
  await page.getByRole("searchbox", { name: "記事を検索" }).fill("輸出");
  await page.getByRole("button", { name: "検索" }).click();
  await expect(page).toHaveURL(/\/ja\/search\?q=/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("ライブラリを検索");
  await expect(page.getByTestId("search-count")).toHaveText(/「輸出」に一致する記事：\d+件/);
  const result = page.getByTestId("search-result").filter({ has: page.locator(`a[href="/ja/articles/${SLUG}"]`) });
  await expect(result.getByRole("heading", { level: 2 })).toHaveAttribute("lang", "ja");
  await expect(result.getByRole("heading", { level: 2 })).toHaveText(/パトリオット/);
  await expectNoA11yViolations();

  await page.goto("/ja/search?q=zzqqxxnothing");
  await expect(page.getByTestId("search-count")).toHaveText("「zzqqxxnothing」に一致する記事はありません");
  await expect(page.getByTestId("search-result")).toHaveCount(0);
});

test("invalid search input is a friendly message, not an error page", async ({ page }) => {
  const response = await page.goto(`/en/search?q=${"a".repeat(201)}&page=0`);
  expect(response?.status()).toBe(200);
  await expect(page.getByTestId("search-count")).toHaveText(/could not be read/);
  await expect(page.getByTestId("search-result")).toHaveCount(0);
});
