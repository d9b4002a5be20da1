import { randomBytes } from "node:crypto";
import { expect, test } from "./fixtures";
import { signUp, useOwnAddress } from "./support/accounts";
import { withDatabase } from "./support/database";

// Issue 11: an editor pastes English and Japanese text with one paragraph split differently,
// sees the warning, fixes it in the alignment editor, previews, publishes; then inserts a
// paragraph at the top, fixes a typo and publishes again with a summary. Both interface languages.

const EN = [
  "The harbour lights came on one by one as the ferry from the northern islands turned into the bay.",
  "Fishermen who had waited all afternoon on the breakwater began to coil their ropes and talk about the weather for tomorrow.",
  "A small boy counted the lamps aloud, losing his place twice before his grandmother took his hand and led him home.",
  "By nine o'clock the town was quiet again, and only the lighthouse kept its slow watch over the dark harbuor.",
];
const EN_FIXED = EN[3]!.replace("harbuor", "harbour");

// The second paragraph is split in two in Japanese: every row after it is off by one.
const JA_SPLIT = [
  "北の島々から来たフェリーが湾に入ると、港の灯りがひとつ、またひとつとともっていった。",
  "午後じゅう防波堤で待っていた漁師たちは、ロープを巻きはじめた。",
  "そして明日の天気について話しあった。",
  "小さな男の子が声に出して灯りを数えたが、二度数えまちがえ、おばあさんに手を引かれて家に帰っていった。",
  "九時には町はふたたび静かになり、暗い港を見守っているのは灯台のゆっくりとした光だけだった。",
];
const JA_MERGED = JA_SPLIT[1]! + JA_SPLIT[2]!;

const NEW_TOP = {
  en: "Editor's note: this story was first told at the harbour festival.",
  ja: "編集部注：この話は港祭りで初めて語られた。",
};

const words = {
  en: { mergeJa2: "Merge 日本語 ¶2 with ¶3", saved: /Saved/, rev1: "revision 1", rev2: "revision 2", counts: /English 4, Japanese 5/ },
  ja: { mergeJa2: "日本語 ¶2 を ¶3 と結合", saved: /保存しました/, rev1: "版 1", rev2: "版 2", counts: /英語 4、日本語 5/ },
} as const;

for (const locale of ["en", "ja"] as const) {
  test(`an editor writes, aligns, previews, publishes and revises an article (${locale})`, async ({ page, context, expectNoA11yViolations }) => {
    test.setTimeout(180_000);
    const w = words[locale];
    await useOwnAddress(context);
    const { email } = await signUp(context, { locale });
    await withDatabase((client) => client.query(`UPDATE "user" SET role = 'editor' WHERE email = $1`, [email]));
    const stamp = randomBytes(4).toString("hex");
    const titleEn = `Harbour lights ${stamp}`;

    // The list, and the header link to it.
    await page.goto(`/${locale}/editor`);
    await expect(page.getByTestId("editor-list")).toBeVisible();
    await expect(page.getByTestId("header-editor")).toHaveAttribute("href", `/${locale}/editor`);
    await expectNoA11yViolations();
    await page.getByTestId("new-article").click();
    await expect(page).toHaveURL(new RegExp(`/${locale}/editor/new$`));

    await page.getByTestId("title-en").fill(titleEn);
    await page.getByTestId("title-ja").fill(`港の灯り ${stamp}`);
    await page.getByTestId("meta-source").fill("Taiyaku e2e");
    await page.getByTestId("paste-en").fill(EN.join("\n\n"));
    await page.getByTestId("use-paste-en").click();
    await expect(page.getByTestId("cell-en-4")).toHaveValue(EN[3]!);
    await page.getByTestId("paste-ja").fill(JA_SPLIT.join("\n\n"));
    await page.getByTestId("use-paste-ja").click();
    await expect(page.getByTestId("cell-ja-5")).toHaveValue(JA_SPLIT[4]!);

    // The misalignment is visible: counts differ and the English ¶5 cell is empty.
    await expect(page.getByTestId("count-warning")).toContainText(w.counts);
    await expect(page.getByTestId("cell-en-5")).toHaveValue("");
    // The first save creates the article: the address becomes its own.
    await expect(page).toHaveURL(/\/editor\/[0-9a-f-]{36}$/, { timeout: 15_000 });
    await expect(page.getByTestId("save-status")).toContainText(w.saved);

    // Fixed by merging the two Japanese halves; the rest of the Japanese column moves up.
    await page.getByRole("button", { name: w.mergeJa2, exact: true }).click();
    await expect(page.getByTestId("cell-ja-2")).toHaveValue(JA_MERGED);
    await expect(page.getByTestId("cell-ja-4")).toHaveValue(JA_SPLIT[4]!);
    await expect(page.getByTestId("align-row")).toHaveCount(4);
    await expect(page.getByTestId("count-warning")).toHaveCount(0);
    await expect(page.getByTestId("alignment-ok")).toBeVisible();
    await expect(page.getByTestId("save-status")).toContainText(w.saved);
    const editorUrl = page.url();
    await expectNoA11yViolations();

    // The preview is the reader with the draft text, marked as such and not indexed.
    await page.getByTestId("preview-both").click();
    await expect(page).toHaveURL(/\/preview\?text=both$/);
    await expect(page.getByTestId("preview-banner")).toBeVisible();
    const previewParagraphs = page.locator(".paragraphs > li");
    await expect(previewParagraphs).toHaveCount(4);
    await expect(previewParagraphs.nth(1).locator('p[lang="ja"]')).toHaveText(JA_MERGED);
    await expect(page.locator('meta[name="robots"]')).toHaveAttribute("content", /noindex/);
    await expectNoA11yViolations();

    // Publish.
    await page.goto(editorUrl);
    await page.getByTestId("publish").click();
    await expect(page.getByTestId("publish-status")).toContainText(w.rev1, { timeout: 15_000 });
    const readerHref = await page.getByTestId("publish-panel").locator('a[href*="/articles/"]').first().getAttribute("href");
    expect(readerHref).toBeTruthy();

    // Readers see it: the reader page, the list and search.
    await page.goto(`${readerHref}?text=both`);
    const paragraphs = page.locator(".paragraphs > li");
    await expect(paragraphs).toHaveCount(4);
    await expect(paragraphs.nth(1).locator('p[lang="ja"]')).toHaveText(JA_MERGED);
    const keysBefore = await paragraphs.evaluateAll((items) => items.map((item) => item.id));
    await page.goto(`/${locale}`);
    await expect(page.getByText(locale === "en" ? titleEn : `港の灯り ${stamp}`).first()).toBeVisible();
    await page.goto(`/${locale}/search?q=${stamp}`);
    await expect(page.getByText(locale === "en" ? titleEn : `港の灯り ${stamp}`).first()).toBeVisible();

    // Revise: a new paragraph at the top, a typo fixed; a summary is required now.
    await page.goto(editorUrl);
    await page.getByTestId("insert-row-top").click();
    await page.getByTestId("cell-en-1").fill(NEW_TOP.en);
    await page.getByTestId("cell-ja-1").fill(NEW_TOP.ja);
    await page.getByTestId("cell-en-5").fill(EN_FIXED);
    await page.getByTestId("publish").click();
    await expect(page.getByTestId("revision-summary")).toHaveAttribute("aria-invalid", "true");
    await page.getByTestId("revision-summary").fill("Editor's note added; typo fixed");
    await page.getByTestId("publish").click();
    await expect(page.getByTestId("publish-status")).toContainText(w.rev2, { timeout: 15_000 });

    await page.goto(`${readerHref}?text=both`);
    await expect(paragraphs).toHaveCount(5);
    await expect(paragraphs.nth(0).locator('p[lang="en"]')).toHaveText(NEW_TOP.en);
    await expect(paragraphs.nth(4).locator('p[lang="en"]')).toHaveText(EN_FIXED);
    // Every old paragraph kept its key (links and notes stay put); the new one has a fresh key.
    const keysAfter = await paragraphs.evaluateAll((items) => items.map((item) => item.id));
    expect(keysAfter.slice(1)).toEqual(keysBefore);
    expect(keysBefore).not.toContain(keysAfter[0]);
  });
}

test("a one-language draft previews with 'translation not available yet'", async ({ page, context, expectNoA11yViolations }) => {
  test.setTimeout(90_000);
  await useOwnAddress(context);
  const { email } = await signUp(context, { locale: "en" });
  await withDatabase((client) => client.query(`UPDATE "user" SET role = 'editor' WHERE email = $1`, [email]));
  await page.goto("/en/editor/new");
  await page.getByTestId("title-ja").fill(`日本語だけ ${randomBytes(3).toString("hex")}`);
  await page.getByTestId("paste-ja").fill(JA_SPLIT.slice(0, 2).join("\n\n"));
  await page.getByTestId("use-paste-ja").click();
  await expect(page.getByTestId("cell-ja-2")).toHaveValue(JA_SPLIT[1]!);
  await expect(page).toHaveURL(/\/editor\/[0-9a-f-]{36}$/, { timeout: 15_000 });
  await expect(page.getByTestId("save-status")).toContainText(/Saved/);

  // Asking for English shows the Japanese text with a notice; side by side says so per paragraph.
  await page.getByTestId("preview-en").click();
  await expect(page.getByTestId("translation-missing")).toContainText("The English translation is not available yet");
  await expect(page.locator('.paragraphs > li p[lang="ja"]').first()).toHaveText(JA_SPLIT[0]!);
  await page.locator(".para-reveal summary").first().click();
  await expect(page.locator(".para-reveal .para-missing").first()).toHaveText("The English translation is not available yet.");
  await expectNoA11yViolations();
  await page.getByTestId("text-mode-both").click();
  await expect(page).toHaveURL(/\/preview\?text=both$/);
  await expect(page.locator(".paragraphs > li .para-missing")).toHaveCount(2);
});

test.describe("refusals", () => {
  // The 404s and the 409 below are the point: the browser logs their status as an error.
  test.use({ allowHttpErrorStatus: true });

  test("signed out goes to sign-in; a reader with nothing to edit gets 404", async ({ page, context }) => {
    const signedOut = await page.goto("/en/editor");
    expect(signedOut?.status()).toBe(200);
    await expect(page).toHaveURL(/\/en\/sign-in\?next=(%2F|\/)en(%2F|\/)editor$/);
    await useOwnAddress(context);
    await signUp(context, { locale: "ja" });
    for (const path of ["/ja/editor", "/ja/editor/new", "/ja/editor/00000000-0000-4000-8000-000000000000", "/ja/editor/00000000-0000-4000-8000-000000000000/preview"]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
    }
  });

  test("two tabs: the later save gets the other's version and overwrites nothing until asked", async ({ page, context }) => {
    test.setTimeout(90_000);
    await useOwnAddress(context);
    const { email } = await signUp(context, { locale: "en" });
    await withDatabase((client) => client.query(`UPDATE "user" SET role = 'editor' WHERE email = $1`, [email]));
    await page.goto("/en/editor/new");
    await page.getByTestId("title-en").fill(`Two tabs ${randomBytes(3).toString("hex")}`);
    await page.getByTestId("paste-en").fill(EN.join("\n\n"));
    await page.getByTestId("use-paste-en").click();
    await expect(page).toHaveURL(/\/editor\/[0-9a-f-]{36}$/, { timeout: 15_000 });
    await expect(page.getByTestId("save-status")).toContainText(/Saved/);

    const other = await context.newPage();
    await other.goto(page.url());
    await expect(other.getByTestId("cell-en-1")).toHaveValue(EN[0]!);

    await page.getByTestId("title-en").fill("Title from the first tab");
    await expect(page.getByTestId("save-status")).toContainText(/Saved/);
    await other.getByTestId("title-en").fill("Title from the second tab");
    const notice = other.getByTestId("conflict-notice");
    await expect(notice).toBeVisible({ timeout: 15_000 });
    // The other tab's text is offered, and this tab's text is still in the page.
    await notice.locator("summary").click();
    await expect(notice).toContainText("Title from the first tab");
    await expect(other.getByTestId("title-en")).toHaveValue("Title from the second tab");
    await other.getByTestId("conflict-keep-mine").click();
    await expect(other.getByTestId("save-status")).toContainText(/Saved/);
    await expect(notice).toHaveCount(0);

    await page.reload();
    await expect(page.getByTestId("title-en")).toHaveValue("Title from the second tab");
  });

  test("an uploaded HTML file becomes clean rows with its headings; a wrong file type is refused, nothing lost", async ({ page, context }) => {
    test.setTimeout(60_000);
    await useOwnAddress(context);
    const { email } = await signUp(context, { locale: "en" });
    await withDatabase((client) => client.query(`UPDATE "user" SET role = 'editor' WHERE email = $1`, [email]));
    await page.goto("/en/editor/new");
    const html = `<html><head><title>Ignored</title><script>window.bad = 1</script></head><body>
      <h1>Uploaded title</h1><h2>A section</h2><p onclick="alert(1)">First paragraph <b>bold</b>.</p>
      <iframe src="https://example.com"></iframe><p>Second paragraph.<script>alert(2)</script></p></body></html>`;
    await page.getByTestId("file-en").setInputFiles({ name: "story.html", mimeType: "text/html", buffer: Buffer.from(html) });
    await expect(page.getByTestId("cell-en-3")).toHaveValue("Second paragraph.");
    await expect(page.getByTestId("title-en")).toHaveValue("Uploaded title");
    await expect(page.getByTestId("cell-en-1")).toHaveValue("A section");
    await expect(page.getByRole("checkbox", { name: "¶1 is a heading" })).toBeChecked();
    await expect(page.getByTestId("cell-en-2")).toHaveValue("First paragraph bold.");
    await expect(page.getByTestId("align-row")).toHaveCount(3);
    for (const cell of await page.locator(".align-text").all()) expect(await cell.inputValue()).not.toMatch(/alert|bad|example\.com/);

    // A PDF is not text: refused with a message, the table unchanged.
    await page.getByTestId("file-en").setInputFiles({ name: "story.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4") });
    await expect(page.getByTestId("import-status-en")).not.toBeEmpty();
    await expect(page.getByTestId("align-row")).toHaveCount(3);
    await expect(page.getByTestId("cell-en-3")).toHaveValue("Second paragraph.");
  });

  test("a failed save keeps the text, says so and tries again", async ({ page, context }) => {
    test.setTimeout(60_000);
    await useOwnAddress(context);
    const { email } = await signUp(context, { locale: "en" });
    await withDatabase((client) => client.query(`UPDATE "user" SET role = 'editor' WHERE email = $1`, [email]));
    await page.goto("/en/editor/new");
    await page.getByTestId("title-en").fill(`Retry ${randomBytes(3).toString("hex")}`);
    await expect(page).toHaveURL(/\/editor\/[0-9a-f-]{36}$/, { timeout: 15_000 });
    await expect(page.getByTestId("save-status")).toContainText(/Saved/);

    // The server refuses for a moment (as a rate limit would): the page keeps the text and retries.
    await page.route("**/api/authoring/articles/*/draft", (route) =>
      route.fulfill({ status: 429, contentType: "application/json", body: JSON.stringify({ ok: false, code: "rate_limited", message: "Slow down", retryAfterSeconds: 2 }) }),
    );
    await page.getByTestId("add-first-row").click();
    await page.getByTestId("cell-en-1").fill("Typed while the server refuses.");
    await expect(page.getByTestId("save-status")).toContainText("Not saved — retrying");
    await expect(page.getByTestId("cell-en-1")).toHaveValue("Typed while the server refuses.");
    await page.unroute("**/api/authoring/articles/*/draft");
    await expect(page.getByTestId("save-status")).toContainText(/Saved/, { timeout: 15_000 });
    await page.reload();
    await expect(page.getByTestId("cell-en-1")).toHaveValue("Typed while the server refuses.");
  });
});
