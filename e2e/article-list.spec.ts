import { expect, PARAGRAPHS, SLUG, test } from "./fixtures";

test("the English list shows the article with source, date, paragraph count and languages", async ({ page, expectNoA11yViolations }) => {
  await page.goto("/en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Articles");
  const card = page.getByTestId("article-card").first();
  await expect(card.getByRole("heading", { level: 2 })).toHaveAttribute("lang", "en");
  await expect(card.getByRole("link")).toHaveText(/Japan’s Export of Patriot Missiles/);
  await expect(card.getByRole("link")).toHaveAttribute("href", `/en/articles/${SLUG}`);
  await expect(card).toContainText("Added November 25, 2026");
  await expect(card.getByTestId("paragraph-count")).toHaveText(`${PARAGRAPHS} paragraphs`);
  await expect(card.getByTestId("language-badge")).toHaveText(["English (original)", "日本語"]);
  await expectNoA11yViolations();
});

test("the Japanese list shows the Japanese title and a Japanese date", async ({ page, expectNoA11yViolations }) => {
  await page.goto("/ja");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("記事一覧");
  const card = page.getByTestId("article-card").first();
  await expect(card.getByRole("heading", { level: 2 })).toHaveAttribute("lang", "ja");
  await expect(card.getByRole("link")).toHaveText(/パトリオット/);
  await expect(card).toContainText("2026年11月25日 掲載");
  await expect(card.getByTestId("paragraph-count")).toHaveText(`${PARAGRAPHS}段落`);
  await expectNoA11yViolations();
});
