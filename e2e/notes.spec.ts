import type { BrowserContext, Page } from "@playwright/test";
import { expect, SLUG, test } from "./fixtures";
import { signUp, useOwnAddress } from "./support/accounts";
import { selectInParagraph } from "./support/selection";

const reader = (locale: "en" | "ja", text: "en" | "ja" | "both" = locale) => `/${locale}/articles/${SLUG}?text=${text}`;


async function paragraphText(page: Page, key: string, locale: string) {
  return (await page.locator(`#${key} .para-body > [data-text-locale="${locale}"]`).textContent()) ?? "";
}

async function createNoteViaApi(context: BrowserContext, page: Page, body: Record<string, unknown>) {
  const paragraphId = await page.locator(`#${body.key}`).getAttribute("data-paragraph-id");
  const { key: _key, ...rest } = body;
  const response = await context.request.post("/api/notes", {
    data: { paragraphId, locale: "en", kind: "comment", visibility: "public", idempotencyKey: crypto.randomUUID().replaceAll("-", ""), ...rest },
  });
  expect(response.status()).toBe(201);
  return (await response.json()).note as { id: string };
}

test("annotate in English, follow the note into Japanese, reply, edit, delete; a private note stays private", async ({ browser, page, context }) => {
  await useOwnAddress(context);
  const author = await signUp(context, { name: "Aiko Reader" });
  await page.goto(reader("en"));

  // Mouse selection: a double click selects a word and the popover offers to annotate it.
  const words = page.locator("#p-5 .para-body > [data-text-locale='en']");
  await words.dblclick({ position: { x: 30, y: 10 } });
  const popover = page.getByRole("group", { name: "Selected text" });
  await expect(popover).toBeVisible();
  const quote = (await page.evaluate(() => window.getSelection()!.toString())).trim();
  expect(quote.length).toBeGreaterThan(1);
  await popover.getByRole("button", { name: "Annotate" }).click();

  const panel = page.getByRole("complementary", { name: "Notes on paragraph 5" });
  await expect(panel.getByText("Selected passage")).toBeVisible();
  await panel.getByLabel("Your note").fill("Why *third countries* here?");
  await panel.getByLabel("Tag").selectOption("question");
  await panel.getByRole("radio", { name: "Everyone" }).check();
  await panel.getByRole("button", { name: "Post note" }).click();

  const note = panel.locator("article.note").filter({ hasText: "third countries" });
  await expect(note).toBeVisible();
  await expect(note.locator("em")).toHaveText("third countries");
  await expect(note).not.toHaveClass(/note-pending/);
  // The server renders the highlight into the paragraph (after the in-place refresh).
  await expect(page.locator("#p-5 mark.hl-question")).toHaveText(quote);
  await expect(page.locator("#p-5 .note-marker")).toHaveAttribute("data-count", "1");

  // Japanese interface and text: the note made on the English text belongs to ¶5 here too.
  await page.goto(reader("ja"));
  await expect(page.locator("#p-5 .note-marker")).toHaveAttribute("data-count", "1");
  // The highlight stays on the English text (inside the "show English" reveal), not the Japanese.
  await expect(page.locator("#p-5 .para-body > [data-text-locale='ja'] mark")).toHaveCount(0);
  await expect(page.locator("#p-5 .para-other [data-text-locale='en'] mark.hl")).toHaveText(quote);
  await page.locator("#p-5 .note-marker").click();
  const panelJa = page.getByRole("complementary", { name: "第5段落のメモ" });
  const noteJa = panelJa.locator("article.note").filter({ hasText: "third countries" });
  await expect(noteJa.locator(".lang-badge")).toContainText("EN");
  await expect(noteJa.locator("blockquote")).toHaveText(quote);
  await expect(noteJa.locator("blockquote")).toHaveAttribute("lang", "en");
  await expect(noteJa.locator(".tag-chip")).toHaveText("質問");

  // Reply.
  await noteJa.getByRole("button", { name: "返信" }).click();
  await panelJa.getByLabel("返信").fill("第三国への移転を禁じる条項のことだと思う。");
  await panelJa.getByRole("button", { name: "返信する" }).click();
  const reply = panelJa.locator(".note-replies article.note").filter({ hasText: "第三国への移転" });
  await expect(reply).toBeVisible();
  await expect(reply).not.toHaveClass(/note-pending/);
  await expect(page.locator("#p-5 .note-marker")).toHaveAttribute("data-count", "2");

  // Edit: the earlier body is kept and viewable.
  await noteJa.getByRole("button", { name: "編集", exact: true }).first().click();
  await noteJa.getByLabel("編集").fill("Why *third countries*? Which ones are meant?");
  await noteJa.getByRole("button", { name: "保存" }).click();
  await expect(noteJa.locator(".edited-marker").first()).toHaveText("編集済み");
  await noteJa.getByRole("button", { name: "編集履歴を表示" }).first().click();
  await expect(noteJa.locator(".note-history")).toContainText("Why third countries here?");

  // Delete: a placeholder keeps the reply in place.
  const root = panelJa.locator("ul.note-threads > li").first();
  await root.locator("article.note").first().getByRole("button", { name: "削除" }).click();
  await root.locator("article.note").first().getByRole("button", { name: "削除" }).click();
  await expect(root.locator(".note-placeholder")).toHaveText("このメモは削除されました。");
  await expect(reply).toBeVisible();
  await expect(page.locator("#p-5 .note-marker")).toHaveAttribute("data-count", "1");

  // A private comment.
  await panelJa.getByRole("radio", { name: "自分のみ" }).check();
  await panelJa.getByLabel("メモ", { exact: true }).fill("自分用のメモ：後で調べる");
  await panelJa.getByRole("button", { name: "投稿する" }).click();
  const privateNote = panelJa.locator("article.note").filter({ hasText: "自分用のメモ" });
  await expect(privateNote.locator(".private-chip")).toHaveText("自分のみ");
  await expect(privateNote).not.toHaveClass(/note-pending/);
  const privateId = (await privateNote.getAttribute("id"))!.replace("note-", "");
  expect(privateId).toMatch(/^[0-9a-f-]{36}$/);

  // A second reader sees the public reply and the placeholder, never the private note.
  const other = await browser.newContext();
  await useOwnAddress(other);
  await signUp(other, { name: "Ben Other" });
  const otherPage = await other.newPage();
  await otherPage.goto(reader("en"));
  await expect(otherPage.locator("#p-5 .note-marker")).toHaveAttribute("data-count", "1");
  await otherPage.locator("#p-5 .note-marker").click();
  const otherPanel = otherPage.getByRole("complementary", { name: "Notes on paragraph 5" });
  await expect(otherPanel.getByText("第三国への移転")).toBeVisible();
  await expect(otherPanel.getByText("This note was deleted.")).toBeVisible();
  await expect(otherPanel.getByText("自分用のメモ")).toHaveCount(0);
  expect((await other.request.get(`/api/notes/${privateId}`)).status()).toBe(404);
  expect(await otherPage.content()).not.toContain("自分用のメモ");
  expect(author.name).toBe("Aiko Reader");
  await other.close();
});

test("keyboard only: annotate a passage without a pointer", async ({ page, context }) => {
  await useOwnAddress(context);
  await signUp(context);
  await page.goto(reader("en"));
  const text = await paragraphText(page, "p-3", "en");
  const passage = text.split(" ").slice(2, 5).join(" ");

  await page.locator("#p-3 .note-marker").focus();
  await page.keyboard.press("Enter");
  const panel = page.getByRole("complementary", { name: "Notes on paragraph 3" });
  await expect(panel.getByRole("heading", { name: "Notes on paragraph 3" })).toBeFocused();
  await panel.getByRole("button", { name: "Annotate a passage" }).focus();
  await page.keyboard.press("Enter");
  await expect(panel.getByLabel(/Passage/)).toBeFocused();
  await page.keyboard.type(passage);
  await page.keyboard.press("Enter");
  await expect(panel.locator(".new-note blockquote")).toHaveText(passage);
  await expect(panel.getByLabel("Your note")).toBeFocused();
  await page.keyboard.type("Key term.");
  await panel.getByRole("button", { name: "Post note" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.locator("#p-3 mark.hl")).toHaveText(passage);
  await expect(panel.locator("article.note").filter({ hasText: "Key term." })).toBeVisible();
  // Escape closes the panel and gives focus back to the marker that opened it.
  await page.keyboard.press("Escape");
  await expect(panel).toHaveCount(0);
  await expect(page.locator("#p-3 .note-marker")).toBeFocused();
});

test("signed-out readers see public notes and are asked to sign in to write, returning to the paragraph", async ({ browser, page }) => {
  const writer = await browser.newContext();
  await useOwnAddress(writer);
  await signUp(writer);
  const writerPage = await writer.newPage();
  await writerPage.goto(reader("en"));
  const note = await createNoteViaApi(writer, writerPage, { key: "p-8", body: "Public **context** note" });
  await writer.close();

  await page.goto(reader("en"));
  await page.locator("#p-8 .note-marker").click();
  const panel = page.getByRole("complementary", { name: "Notes on paragraph 8" });
  await expect(panel.locator(`#note-${note.id}`)).toContainText("Public context note");
  await expect(panel.getByLabel("Your note")).toHaveCount(0);
  const signIn = panel.getByRole("link", { name: "Sign in" });
  const href = new URL((await signIn.getAttribute("href"))!, "http://x");
  expect(href.pathname).toBe("/en/sign-in");
  expect(href.searchParams.get("next")).toBe(`/en/articles/${SLUG}?text=en#p-8`);
});

test.describe(() => {
  // The refused write below is a 429 on purpose; the browser logs it.
  test.use({ allowHttpErrorStatus: true });
  test("a deep link #note-<id> opens the note; a refused write rolls back with a localized message", async ({ page, context }) => {
  await useOwnAddress(context);
  await signUp(context);
  await page.goto(reader("ja"));
  const note = await createNoteViaApi(context, page, { key: "p-12", body: "深いリンクのテスト" });

  // As links to a note arrive (a notification, the moderation queue, a group page): a fresh
  // page load with the fragment, not a fragment change on a page that may still be hydrating.
  await page.goto("about:blank");
  await page.goto(`${reader("ja")}#note-${note.id}`);
  const panel = page.getByRole("complementary", { name: "第12段落のメモ" });
  await expect(panel.locator(`#note-${note.id}`)).toBeFocused();

  // The server refuses (rate limit): the optimistic note disappears and the reason is shown.
  await page.route("**/api/notes", (route) =>
    route.request().method() === "POST"
      ? route.fulfill({ status: 429, contentType: "application/json", body: JSON.stringify({ ok: false, code: "rate_limited", message: "投稿の間隔が短すぎます。3秒後にもう一度お試しください。" }) })
      : route.continue(),
  );
  await panel.getByLabel("メモ", { exact: true }).fill("拒否されるメモ");
  await panel.getByRole("button", { name: "投稿する" }).click();
  await expect(panel.getByRole("alert")).toHaveText("投稿の間隔が短すぎます。3秒後にもう一度お試しください。");
  await expect(panel.locator("article.note").filter({ hasText: "拒否されるメモ" })).toHaveCount(0);
  await expect(panel.getByLabel("メモ", { exact: true })).toHaveValue("拒否されるメモ");

  // A link to a note on the page already open (a fragment change) opens that note's thread too.
  await page.unrouteAll();
  const other = await createNoteViaApi(context, page, { key: "p-3", body: "同じページの別のメモ" });
  await page.evaluate((id) => (window.location.hash = `note-${id}`), other.id);
  await expect(page.getByRole("complementary", { name: "第3段落のメモ" }).locator(`#note-${other.id}`)).toBeFocused();
  });
});

test("all notes panel filters by author and kind; side by side shows highlights in the column of their language", async ({ page, context }) => {
  await useOwnAddress(context);
  await signUp(context);
  await page.goto(reader("en", "both"));
  const ja = await paragraphText(page, "p-2", "ja");
  await selectInParagraph(page, "p-2", "ja", 0, 4);
  await page.getByRole("group", { name: "Selected text" }).getByRole("button", { name: "Highlight" }).click();
  await expect(page.locator("#p-2 [data-text-locale='ja'] mark.hl")).toHaveText(ja.slice(0, 4));
  await expect(page.locator("#p-2 [data-text-locale='en'] mark")).toHaveCount(0);

  await page.getByRole("button", { name: /All notes/ }).click();
  const panel = page.getByRole("complementary", { name: "All notes on this article" });
  await panel.getByLabel("Whose notes").selectOption("mine");
  await expect(panel.locator("article.note")).toHaveCount(1);
  await expect(panel.locator("article.note .lang-badge")).toContainText("JA");
  await panel.getByLabel("Kind").selectOption("comment");
  await expect(panel.getByText("No notes match these filters.")).toBeVisible();
});

for (const locale of ["en", "ja"] as const) {
  test(`axe: reader with the notes panel open (${locale}) @phone`, async ({ page, context, expectNoA11yViolations }) => {
    await useOwnAddress(context);
    await signUp(context, { locale });
    await page.goto(reader(locale));
    await page.locator("#p-4 .note-marker").click();
    await expect(page.locator("#notes-panel")).toBeVisible();
    await page.locator("#notes-panel textarea").fill("axe");
    await expectNoA11yViolations();
    const allNotes = page.getByRole("button", { name: locale === "en" ? /All notes/ : /すべてのメモ/ });
    // On a phone the open panel is a bottom sheet: bring the button to the middle of the screen,
    // above the sheet, as a reader scrolling to it would (scrolling to the nearest edge can leave it under the sheet).
    await allNotes.evaluate((button) => button.scrollIntoView({ block: "center" }));
    await allNotes.click();
    await expect(page.locator("#notes-panel .notes-filters")).toBeVisible();
    await expectNoA11yViolations();
  });
}

test("script in a display name, a note body and a quote renders inert", async ({ page, context }) => {
  await useOwnAddress(context);
  const name = `<img src=x onerror="window.__xss=1">`;
  await signUp(context, { name });
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(reader("en"));
  await createNoteViaApi(context, page, {
    key: "p-9",
    body: `日本語の説明 [x](javascript:window.__xss=1)\n\n<script>window.__xss=1</script><svg onload="window.__xss=1"></svg><iframe src="javascript:window.__xss=1"></iframe><style>body{display:none}</style>\n\n<img src=x onerror="window.__xss=1">`,
  });
  await page.locator("#p-9 .note-marker").click();
  const panel = page.locator("#notes-panel");
  await expect(panel.locator(".note-author")).toHaveText(name);
  await expect(panel.locator("script, img, svg:not([aria-hidden]), iframe, style")).toHaveCount(0);
  await expect(panel.locator(".note-body")).toContainText("日本語");
  await expect(panel.locator('a[href*="javascript" i]')).toHaveCount(0);
  await expect(page.locator("body")).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  expect(dialogs).toEqual([]);
});
