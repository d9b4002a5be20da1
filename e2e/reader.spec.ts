import type { Page } from "@playwright/test";
import { expect, PARAGRAPHS, SLUG, test } from "./fixtures";

const reader = (locale: string, query = "") => `/${locale}/articles/${SLUG}${query}`;
const paragraphTexts = (page: Page, lang: string) => page.locator(`.paragraphs .para-body > p.para-text[lang="${lang}"]`);

test.describe("reader text modes", () => {
  test("English page shows the English text by default", async ({ page }) => {
    await page.goto(reader("en"));
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.locator(".paragraphs > li")).toHaveCount(PARAGRAPHS);
    await expect(paragraphTexts(page, "en")).toHaveCount(PARAGRAPHS);
    await expect(paragraphTexts(page, "ja")).toHaveCount(0);
    await expect(page.getByRole("heading", { level: 1 })).toHaveAttribute("lang", "en");
    await expect(paragraphTexts(page, "en").first()).toHaveText(/^Japan’s decision to export Patriot surface-to-air missiles/);
    await expect(page.getByTestId("text-mode-en")).toHaveAttribute("aria-current", "page");
  });

  test("Japanese page shows the Japanese text by default", async ({ page }) => {
    await page.goto(reader("ja"));
    await expect(page.locator("html")).toHaveAttribute("lang", "ja");
    await expect(paragraphTexts(page, "ja")).toHaveCount(PARAGRAPHS);
    await expect(paragraphTexts(page, "en")).toHaveCount(0);
    await expect(paragraphTexts(page, "ja").nth(3)).toContainText("防衛省");
    await expect(page).toHaveTitle(/パトリオット.* — 対訳 Taiyaku$/);
  });

  test("the UI and the text language are independent (Japanese UI, English text)", async ({ page }) => {
    await page.goto(reader("ja", "?text=en"));
    await expect(page.locator("html")).toHaveAttribute("lang", "ja");
    await expect(page.getByRole("navigation", { name: "本文の言語" })).toBeVisible();
    await expect(paragraphTexts(page, "en")).toHaveCount(PARAGRAPHS);
    await expect(page.getByTestId("text-mode-en")).toHaveAttribute("aria-current", "page");
  });

  test("side by side aligns both languages row by row", async ({ page }) => {
    await page.goto(reader("en", "?text=both"));
    const rows = page.locator(".paragraphs > li");
    await expect(rows).toHaveCount(PARAGRAPHS);
    for (const index of [0, 10, 20]) {
      await expect(rows.nth(index).locator('p[lang="en"]')).toHaveCount(1);
      await expect(rows.nth(index).locator('p[lang="ja"]')).toHaveCount(1);
    }
    // Same row on screen: the two columns start at the same height.
    const enBox = await rows.nth(3).locator('p[lang="en"]').boundingBox();
    const jaBox = await rows.nth(3).locator('p[lang="ja"]').boundingBox();
    expect(Math.abs(enBox!.y - jaBox!.y)).toBeLessThan(2);
    expect(jaBox!.x).toBeGreaterThan(enBox!.x + enBox!.width - 1);
    await expect(rows.nth(3).locator('p[lang="en"]')).toContainText("Ministry of Defense");
    await expect(rows.nth(3).locator('p[lang="ja"]')).toContainText("防衛省");
  });

  test("the mode switch changes the URL and the text", async ({ page }) => {
    await page.goto(reader("en"));
    await page.getByTestId("text-mode-both").click();
    await expect(page).toHaveURL(reader("en", "?text=both"));
    await expect(paragraphTexts(page, "ja")).toHaveCount(PARAGRAPHS);
    await page.getByTestId("text-mode-ja").click();
    await expect(page).toHaveURL(reader("en", "?text=ja"));
    await expect(paragraphTexts(page, "ja")).toHaveCount(PARAGRAPHS);
    await expect(paragraphTexts(page, "en")).toHaveCount(0);
    await page.getByTestId("text-mode-en").click();
    await expect(page).toHaveURL(reader("en"));
    await expect(paragraphTexts(page, "en")).toHaveCount(PARAGRAPHS);
  });

  test("an unknown ?text value falls back to the default mode", async ({ page }) => {
    const response = await page.goto(reader("ja", "?text=garbage"));
    expect(response?.status()).toBe(200);
    await expect(paragraphTexts(page, "ja")).toHaveCount(PARAGRAPHS);
  });

  test("the internal mode path redirects to the public URL", async ({ page }) => {
    await page.goto(`/en/articles/${SLUG}/both`);
    await expect(page).toHaveURL(reader("en", "?text=both"));
  });
});

test.describe("paragraphs", () => {
  test("each paragraph reveals the other language inline", async ({ page }) => {
    await page.goto(reader("en"));
    const paragraph = page.locator("#p-5");
    const reveal = paragraph.locator("details");
    const other = paragraph.locator('.para-other p[lang="ja"]');
    await expect(other).toBeHidden();
    await reveal.locator("summary").click();
    await expect(other).toBeVisible();
    await expect(other).toContainText("第三国");
    await reveal.locator("summary").click();
    await expect(other).toBeHidden();
  });

  test("the reveal works from the keyboard", async ({ page }) => {
    await page.goto(reader("ja"));
    const summary = page.locator("#p-2 summary");
    await summary.focus();
    await page.keyboard.press("Enter");
    await expect(page.locator('#p-2 .para-other p[lang="en"]')).toBeVisible();
    await expect(page.locator('#p-2 .para-other p[lang="en"]')).toContainText("Kyodo News");
  });

  test("paragraph anchors are the same in both languages", async ({ page }) => {
    await page.goto(reader("en") + "#p-7");
    await expect(page.locator("#p-7 .para-body > p.para-text")).toContainText("global defense logistics");
    await expect(page.locator("#p-7")).toBeInViewport();
    await page.goto(reader("ja") + "#p-7");
    await expect(page.locator("#p-7 .para-body > p.para-text")).toContainText("ロジスティクス");
  });

  test("copy link copies the paragraph URL and announces it", async ({ page, context }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.goto(reader("en", "?text=both"));
    await page.getByRole("button", { name: "Copy link to paragraph 9" }).click();
    await expect(page.getByTestId("copy-status-p-9")).toHaveText("Link to paragraph 9 copied.");
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(new RegExp(`/en/articles/${SLUG}\\?text=both#p-9$`));
    await expect(page).toHaveURL(/#p-9$/);
  });
});

test.describe("locale switcher", () => {
  test("keeps the article, the text mode and the paragraph anchor", async ({ page }) => {
    await page.goto(reader("en", "?text=both") + "#p-12");
    await page.getByTestId("switch-locale-ja").click();
    await expect(page).toHaveURL(reader("ja", "?text=both") + "#p-12");
    await expect(page.locator("html")).toHaveAttribute("lang", "ja");
    await expect(page.locator(".paragraphs > li")).toHaveCount(PARAGRAPHS);
    await expect(page.locator('#p-12 p[lang="ja"]')).toBeVisible();
  });

  test("keeps the text being read when the interface language changes", async ({ page }) => {
    await page.goto(reader("ja") + "#p-3");
    await page.getByTestId("switch-locale-en").click();
    await expect(page).toHaveURL(reader("en", "?text=ja") + "#p-3");
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(paragraphTexts(page, "ja")).toHaveCount(PARAGRAPHS);
  });

  test("reader pages carry canonical and hreflang links", async ({ page }) => {
    await page.goto(reader("ja", "?text=both"));
    await expect(page.locator('link[rel="canonical"]')).toHaveAttribute("href", new RegExp(`/ja/articles/${SLUG}\\?text=both$`));
    await expect(page.locator('link[rel="alternate"][hreflang="en"]')).toHaveAttribute("href", new RegExp(`/en/articles/${SLUG}$`));
    await expect(page.locator('link[rel="alternate"][hreflang="ja"]')).toHaveAttribute("href", new RegExp(`/ja/articles/${SLUG}$`));
  });
});

test.describe("keyboard", () => {
  test("skip link, mode switch and copy buttons are reachable with Tab", async ({ page }) => {
    await page.goto(reader("en"));
    await page.keyboard.press("Tab");
    await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/#main$/);
    const both = page.getByTestId("text-mode-both");
    for (let i = 0; i < 10 && !(await both.evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press("Tab");
    }
    await expect(both).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(reader("en", "?text=both"));
  });
});
