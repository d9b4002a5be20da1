import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { expect, SLUG, test } from "./fixtures";

// Issue 15, "a lighter reader" (ADR 0038): what the reader's first load leaves out, and that it
// arrives when first used. Sizes are the bench's business (npm run bench); this checks the
// mechanisms: code that must not be in the first load, and messages no client component needs.

const en = JSON.parse(readFileSync("messages/en.json", "utf8")) as { Notes: { errors: { network: string } }; Tokens: { intro: string }; Admin: { title: string } };

/** The JavaScript the page has loaded so far, as text, keyed by URL. */
function recordScripts(page: Page): Map<string, Promise<string>> {
  const scripts = new Map<string, Promise<string>>();
  page.on("response", (response) => {
    if (response.request().resourceType() === "script") scripts.set(response.url(), response.text().catch(() => ""));
  });
  return scripts;
}

async function loadedCode(scripts: Map<string, Promise<string>>): Promise<string> {
  return (await Promise.all(scripts.values())).join("\n");
}

test("the reader's first load has no zod, no next/link, and no sentence-pair, read-aloud or notes-panel code until used", async ({ page }) => {
  const scripts = recordScripts(page);
  await page.goto(`/en/articles/${SLUG}?text=both`);
  await page.waitForLoadState("networkidle");
  const first = await loadedCode(scripts);
  expect(first.length).toBeGreaterThan(100_000);
  const present = (marker: string) => first.includes(marker);
  expect(present("$ZodType"), "zod").toBe(false);
  expect(present("useLinkStatus"), "next/link").toBe(false);
  expect(present("SpeechSynthesisUtterance"), "the read-aloud player (no voice here)").toBe(false);
  expect(present('"sentence-current"'), "the sentence-pairs engine").toBe(false);
  expect(present("micromark"), "the notes panel's Markdown").toBe(false);

  // Pointing at a sentence loads the engine, which then highlights the partner.
  await page.locator('#p-1 [data-text-locale="en"]').hover();
  await expect.poll(async () => (await loadedCode(scripts)).includes('"sentence-current"')).toBe(true);
  await expect.poll(() => page.evaluate(() => CSS.highlights.get("sentence-partner")?.size ?? 0)).toBeGreaterThan(0);
});

test("pages hand the browser only the message namespaces their client components use", async ({ request }) => {
  const reader = await (await request.get(`/en/articles/${SLUG}`)).text();
  // Used by the reader's client components (not rendered until needed, so only in the payload).
  expect(reader).toContain(en.Notes.errors.network);
  // Not used on the reader: the token manager's and the admin console's texts.
  expect(reader).not.toContain(en.Tokens.intro);
  expect(reader).not.toContain(en.Admin.title);
  const list = await (await request.get("/en")).text();
  expect(list).not.toContain(en.Notes.errors.network);
});
