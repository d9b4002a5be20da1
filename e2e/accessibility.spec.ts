import { expect, PARAGRAPHS, SLUG, test } from "./fixtures";

for (const locale of ["en", "ja"]) {
  for (const query of ["", "?text=en", "?text=ja", "?text=both"]) {
    test(`axe: reader /${locale} ${query || "(default)"} @phone`, async ({ page, expectNoA11yViolations }) => {
      await page.goto(`/${locale}/articles/${SLUG}${query}`);
      await expect(page.locator(".paragraphs > li")).toHaveCount(PARAGRAPHS);
      // With every inline translation open too, so the revealed text is checked as well.
      for (const summary of await page.locator(".para-reveal summary").all()) await summary.click();
      await expectNoA11yViolations();
    });
  }
  test(`axe: list /${locale} @phone`, async ({ page, expectNoA11yViolations }) => {
    await page.goto(`/${locale}`);
    await expectNoA11yViolations();
  });
}

test("dark mode follows the system and stays accessible", async ({ page, expectNoA11yViolations }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto(`/ja/articles/${SLUG}?text=both`);
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(background).toBe("rgb(23, 24, 26)");
  await expectNoA11yViolations();
});

test("a 360 px phone has no horizontal scrolling @phone", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  for (const query of ["", "?text=both"]) {
    await page.goto(`/ja/articles/${SLUG}${query}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  }
});

test("Japanese text uses phrase-aware line breaking", async ({ page }) => {
  await page.goto(`/ja/articles/${SLUG}`);
  const style = await page.locator("#p-1 .para-body > p.para-text").evaluate((el) => {
    const s = getComputedStyle(el);
    return { wordBreak: s.wordBreak, lineBreak: s.getPropertyValue("line-break") };
  });
  expect(style).toEqual({ wordBreak: "auto-phrase", lineBreak: "strict" });
  expect(await page.locator("#p-1 .para-body > p.para-text wbr").count()).toBeGreaterThan(5);
});
