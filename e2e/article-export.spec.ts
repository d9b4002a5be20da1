import { readFile } from "node:fs/promises";
import path from "node:path";
import { unzipSync } from "fflate";
import { expect, SLUG, test } from "./fixtures";

// The reader's Export link downloads the article folder as a zip: the same files as
// content/articles/<slug>/, which `npm run articles:import` reads back (ADR 0006).

const SEED_DIR = path.join(process.cwd(), "content", "articles", SLUG);

for (const [locale, label] of [
  ["en", "Export"],
  ["ja", "エクスポート"],
] as const) {
  test(`the ${locale} reader offers the article's files as a zip`, async ({ page }) => {
    await page.goto(`/${locale}/articles/${SLUG}`);
    const link = page.getByRole("link", { name: label, exact: true });
    await expect(link).toHaveAttribute("href", `/api/articles/${SLUG}/export`);
    await expect(link).toHaveAttribute("download", `${SLUG}.zip`);

    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toBe(`${SLUG}.zip`);
    const entries = unzipSync(new Uint8Array(await readFile(await download.path())));
    expect(Object.keys(entries).sort()).toEqual([`${SLUG}/en.md`, `${SLUG}/ja.md`, `${SLUG}/meta.json`]);
    for (const name of ["meta.json", "en.md", "ja.md"]) {
      expect(Buffer.from(entries[`${SLUG}/${name}`]!).equals(await readFile(path.join(SEED_DIR, name))), name).toBe(true);
    }
  });
}
