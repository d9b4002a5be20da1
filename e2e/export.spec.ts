import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { strFromU8, unzipSync } from "fflate";
import type { BrowserContext, Page } from "@playwright/test";
import { expect, SLUG, test } from "./fixtures";
import { signUp, useOwnAddress } from "./support/accounts";
import { openProfilePanel } from "./support/profile";

// Export (ADR 0030) end to end, in both interface languages: notes written through the API,
// then exported from the profile page (Markdown → a zip of one file per article, CSV) and from
// the reader's "All notes" panel (Markdown of that article); each downloaded file is opened and
// checked.

const text = {
  en: { heading: "Export notes", format: "Format", export: "Export", ready: /Ready: 2 notes\./, allNotes: "All notes", visibility: "private" },
  ja: { heading: "メモをエクスポート", format: "形式", export: "エクスポート", ready: /準備ができました：2件のメモ。/, allNotes: "すべてのメモ", visibility: "非公開" },
} as const;

test.beforeEach(async ({ context }) => {
  await useOwnAddress(context);
});

async function writeNotes(context: BrowserContext, page: Page, locale: "en" | "ja") {
  await page.goto(`/${locale}/articles/${SLUG}`);
  const p3 = page.locator("#p-3");
  const paragraphId = (await p3.getAttribute("data-paragraph-id"))!;
  const key = randomUUID().slice(0, 8);
  const enBody = `=SUM(1,2) formula-looking note ${key}`;
  const jaBody = `日本語のメモ ${key}`;
  for (const data of [
    { paragraphId, locale: "en", kind: "comment", visibility: "private", body: enBody, tag: "question", idempotencyKey: randomUUID() },
    { paragraphId, locale: "ja", kind: "comment", visibility: "private", body: jaBody, idempotencyKey: randomUUID() },
  ]) {
    const response = await context.request.post("/api/notes", { data, headers: { "x-ui-locale": locale } });
    expect(response.status(), await response.text()).toBe(201);
  }
  return { enBody, jaBody };
}

async function exportFrom(page: Page, region: ReturnType<Page["locator"]>, t: (typeof text)["en" | "ja"], format: string) {
  await region.getByLabel(t.format).selectOption(format);
  const [download] = await Promise.all([page.waitForEvent("download"), region.getByRole("button", { name: t.export, exact: true }).click()]);
  await expect(region.getByRole("status")).toContainText(t.ready);
  return { name: download.suggestedFilename(), bytes: await readFile((await download.path())!) };
}

for (const locale of ["en", "ja"] as const) {
  const t = text[locale];

  test(`export Markdown and CSV from the profile page and the reader (${locale})`, async ({ page, context, expectNoA11yViolations }) => {
    await signUp(context, { locale });
    const { enBody, jaBody } = await writeNotes(context, page, locale);

    // Profile: every article → a zip of Markdown files.
    await page.goto(`/${locale}/profile`);
    const profileExport = page.locator('section[aria-labelledby="profile-export"]');
    await expect(profileExport.getByRole("heading", { name: t.heading })).toBeVisible();
    await openProfilePanel(page, "profile-export");
    const zip = await exportFrom(page, profileExport, t, "markdown");
    expect(zip.name).toMatch(/^taiyaku-notes-all-mine-\d{4}-\d{2}-\d{2}\.zip$/);
    const files = unzipSync(new Uint8Array(zip.bytes));
    expect(Object.keys(files)).toEqual([`${SLUG}.md`]);
    const md = strFromU8(files[`${SLUG}.md`]!);
    expect(md).toMatch(/^---\ntitle: "/);
    expect(md).toContain(enBody);
    expect(md).toContain(jaBody);
    expect(md).toContain("#question");
    expect(md).toMatch(new RegExp(`\\]\\(https?://[^)]+/en/articles/${SLUG}#p-3\\)`));
    expect(md).toMatch(new RegExp(`\\]\\(https?://[^)]+/ja/articles/${SLUG}#p-3\\)`));
    expect(md).toContain(`· ${t.visibility}*`);
    await expectNoA11yViolations();

    // Profile: CSV, opened as a spreadsheet would: BOM, header, the formula neutralised.
    const csv = await exportFrom(page, profileExport, t, "csv");
    expect(csv.name).toMatch(/\.csv$/);
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const table = new TextDecoder("utf-8", { ignoreBOM: false }).decode(csv.bytes);
    const lines = table.split("\r\n");
    expect(lines[0]).toBe("Created at,Author,Page,URL,Group,Type,Quote,Comment,Tags,Paragraph,Language,Visibility,Id,Parent");
    expect(lines).toHaveLength(4); // header, two notes, and the empty string after the last CRLF
    expect(table).toContain(`,"'${enBody}",question,p-3,en,private,`);
    expect(table).toContain(`,${jaBody},,p-3,ja,private,`);

    // Reader: "All notes" → this article's notes as one Markdown file.
    await page.goto(`/${locale}/articles/${SLUG}`);
    await page.getByRole("button", { name: t.allNotes }).click();
    const panelExport = page.locator("#notes-panel section.export-notes");
    await expect(panelExport.getByRole("heading", { name: t.heading })).toBeVisible();
    const single = await exportFrom(page, panelExport, t, "markdown");
    expect(single.name).toMatch(new RegExp(`^taiyaku-notes-${SLUG}-mine-\\d{4}-\\d{2}-\\d{2}\\.md$`));
    const article = single.bytes.toString("utf8");
    expect(article).toContain(enBody);
    expect(article).toContain(jaBody);
  });
}
