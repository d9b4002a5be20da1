import { randomBytes } from "node:crypto";
import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { signUp, useOwnAddress } from "./support/accounts";
import { withDatabase } from "./support/database";
import { selectInParagraph } from "./support/selection";

// Issue 11's whole story through the UI, once with the editor in English and the reader in
// Japanese and once the other way round: an editor pastes two languages with one paragraph
// misaligned, fixes it, previews, publishes; a reader annotates a sentence; the editor inserts a
// paragraph at the top and fixes a typo inside the annotated words; the annotation is still drawn
// on the (corrected) words; deleting that paragraph lists the note under "passage changed". Then
// a group owner adds a group reading: members read it, an outsider gets 404 and finds nothing.

const EN = [
  "The harbour lights came on one by one as the ferry from the northern islands turned into the bay.",
  "Fishermen who had waited all afternoon on the breakwater began to coil their ropes and talk about the weather for tomorrow.",
  "A small boy counted the lamps aloud, losing his place twice before his grandmother took his hand and led him home.",
  "By nine o'clock the town was quiet again, and only the ligthouse kept its slow watch over the dark harbour.",
];
// The second paragraph is split in two in Japanese: every row after it is off by one.
const JA = [
  "北の島々から来たフェリーが湾に入ると、港の灯りがひとつ、またひとつとともっていった。",
  "午後じゅう防波堤で待っていた漁師たちは、ロープを巻きはじめた。",
  "そして明日の天気について話しあった。",
  "小さな男の子が声に出して灯りを数えたが、二度数えまちがえ、おばあさんに手を引かれて家に帰っていった。",
  "九時には町はふたたび静かになり、暗い港を見守っているのは灯第のゆっくりとした光だけだった。",
];
// The reader annotates these words of the last paragraph; the typo sits inside them.
const QUOTE = {
  en: { typo: "the ligthouse kept its slow watch", fixed: "the lighthouse kept its slow watch" },
  ja: { typo: "見守っているのは灯第のゆっくりとした光", fixed: "見守っているのは灯台のゆっくりとした光" },
} as const;
const LAST_FIXED = { en: EN[3]!.replace(QUOTE.en.typo, QUOTE.en.fixed), ja: JA[4]!.replace(QUOTE.ja.typo, QUOTE.ja.fixed) };
const NEW_TOP = { en: "Editor's note: this story was first told at the harbour festival.", ja: "編集部注：この話は港祭りで初めて語られた。" };

const words = {
  en: {
    mergeJa2: "Merge 日本語 ¶2 with ¶3",
    saved: /Saved/,
    revision: (n: number) => `revision ${n}`,
    selected: "Selected text",
    annotate: "Annotate",
    panel: (n: number) => `Notes on paragraph ${n}`,
    noteField: "Your note",
    everyone: "Everyone",
    post: "Post note",
    passageChanged: /Notes whose passage changed/,
    removedIn: (n: number) => `Paragraph removed in revision ${n}`,
  },
  ja: {
    mergeJa2: "日本語 ¶2 を ¶3 と結合",
    saved: /保存しました/,
    revision: (n: number) => `版 ${n}`,
    selected: "選択したテキスト",
    annotate: "注釈を書く",
    panel: (n: number) => `第${n}段落のメモ`,
    noteField: "メモ",
    everyone: "全員",
    post: "投稿する",
    passageChanged: /箇所が変更されたノート/,
    removedIn: (n: number) => `改訂 ${n} で段落が削除`,
  },
} as const;

type Locale = "en" | "ja";

/** A signed-in page in a context of its own, whose console errors fail the test like the main page's. */
async function newUser(browser: Browser, errors: string[], locale: Locale, name: string, allowNotFound = false) {
  const context = await browser.newContext();
  await useOwnAddress(context);
  await signUp(context, { name, locale });
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    if (allowNotFound && message.text().startsWith("Failed to load resource: the server responded with a status of 404")) return;
    errors.push(`${name}: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`${name}: ${error.message}`));
  return { context, page };
}

async function makeEditor(page: Page, locale: Locale): Promise<void> {
  await useOwnAddress(page.context());
  const { email } = await signUp(page.context(), { locale });
  await withDatabase((client) => client.query(`UPDATE "user" SET role = 'editor' WHERE email = $1`, [email]));
}

/**
 * Waits until React has hydrated the editor: text typed into its fields before that is reset to
 * the server-rendered (empty) value when React takes over.
 */
async function waitForHydration(page: Page, testId: string): Promise<void> {
  await page.waitForFunction((id) => {
    const element = document.querySelector(`[data-testid="${id}"]`);
    return !!element && Object.keys(element).some((name) => name.startsWith("__reactProps"));
  }, testId);
}

async function publish(page: Page, locale: Locale, revision: number, summary?: string): Promise<void> {
  if (summary) await page.getByTestId("revision-summary").fill(summary);
  await page.getByTestId("publish").click();
  await expect(page.getByTestId("publish-status")).toContainText(words[locale].revision(revision), { timeout: 15_000 });
}

for (const [editorLocale, readerLocale] of [
  ["en", "ja"],
  ["ja", "en"],
] as const) {
  test(`publish, annotate, revise, re-anchor, remove: editor in ${editorLocale}, reader in ${readerLocale}`, async ({
    page,
    browser,
    consoleErrors,
    expectNoA11yViolations,
  }) => {
    test.setTimeout(180_000);
    const w = words[editorLocale];
    const r = words[readerLocale];
    const stamp = randomBytes(4).toString("hex");

    // 1. The editor pastes both languages; Japanese ¶2 is split in two, so the rows are off by one.
    await makeEditor(page, editorLocale);
    await page.goto(`/${editorLocale}/editor/new`);
    await waitForHydration(page, "paste-en");
    await page.getByTestId("paste-en").fill(EN.join("\n\n"));
    await page.getByTestId("use-paste-en").click();
    await page.getByTestId("paste-ja").fill(JA.join("\n\n"));
    await page.getByTestId("use-paste-ja").click();
    await expect(page.getByTestId("cell-ja-5")).toHaveValue(JA[4]!);
    await page.getByTestId("title-en").fill(`Harbour lights ${stamp}`);
    await page.getByTestId("title-ja").fill(`港の灯り ${stamp}`);
    await page.getByTestId("meta-source").fill("Taiyaku e2e");
    await expect(page.getByTestId("count-warning")).toBeVisible();
    await expect(page.getByTestId("cell-en-5")).toHaveValue("");
    await expect(page).toHaveURL(/\/editor\/[0-9a-f-]{36}$/, { timeout: 15_000 });
    const editorUrl = page.url();

    // Fixed in the alignment editor: the two halves merged, the Japanese column moves up.
    await page.getByRole("button", { name: w.mergeJa2, exact: true }).click();
    await expect(page.getByTestId("align-row")).toHaveCount(4);
    await expect(page.getByTestId("cell-ja-4")).toHaveValue(JA[4]!);
    await expect(page.getByTestId("alignment-ok")).toBeVisible();
    await expect(page.getByTestId("save-status")).toContainText(w.saved);

    // Preview (the draft in the reader), then publish.
    await page.getByTestId("preview-both").click();
    await expect(page).toHaveURL(/\/preview\?text=both$/);
    await expect(page.getByTestId("preview-banner")).toBeVisible();
    await expect(page.locator(".paragraphs > li")).toHaveCount(4);
    await expect(page.locator(".paragraphs > li").nth(1).locator('p[lang="ja"]')).toHaveText(JA[1]! + JA[2]!);
    await page.goto(editorUrl);
    await publish(page, editorLocale, 1);
    const href = await page.getByTestId("publish-panel").locator('a[href*="/articles/"]').first().getAttribute("href");
    const slug = href!.split("/articles/")[1]!;
    expect(slug).toBeTruthy();

    // 2. A reader annotates words of the last paragraph, in the text of their own language.
    const reader = await newUser(browser, consoleErrors, readerLocale, `Reader ${stamp}`);
    const readerPage = reader.page;
    await readerPage.goto(`/${readerLocale}/articles/${slug}?text=${readerLocale}`);
    const paragraphs = readerPage.locator(".paragraphs > li");
    await expect(paragraphs).toHaveCount(4);
    const key = (await paragraphs.nth(3).getAttribute("id"))!;
    const annotated = readerPage.locator(`#${key}`);
    await expect(annotated.locator(".para-number")).toHaveText("4");
    const textLocator = annotated.locator(`.para-body > [data-text-locale="${readerLocale}"]`);
    const text = (await textLocator.textContent())!;
    const from = text.indexOf(QUOTE[readerLocale].typo);
    expect(from).toBeGreaterThan(0);
    const popover = readerPage.getByRole("group", { name: r.selected });
    // Selecting before the page has hydrated (or while it redraws the paragraph) selects text
    // nodes that are about to be replaced: select again until the popover answers.
    await expect(async () => {
      await selectInParagraph(readerPage, key, readerLocale, from, from + QUOTE[readerLocale].typo.length);
      await expect(popover).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    await popover.getByRole("button", { name: r.annotate }).click();
    const panel = readerPage.getByRole("complementary", { name: r.panel(4) });
    await panel.getByLabel(r.noteField, { exact: true }).fill(`A note on the watch ${stamp}`);
    await panel.getByRole("radio", { name: r.everyone }).check();
    await panel.getByRole("button", { name: r.post }).click();
    const posted = panel.locator("article.note").filter({ hasText: `A note on the watch ${stamp}` });
    await expect(posted).toBeVisible();
    await expect(posted).not.toHaveClass(/note-pending/);
    await expect(annotated.locator("mark.hl")).toHaveText(QUOTE[readerLocale].typo);
    await expectNoA11yViolations(readerPage);

    // 3. The editor inserts a paragraph at the top and fixes the typos inside the annotated words.
    await page.goto(editorUrl);
    await page.getByTestId("insert-row-top").click();
    await page.getByTestId("cell-en-1").fill(NEW_TOP.en);
    await page.getByTestId("cell-ja-1").fill(NEW_TOP.ja);
    await page.getByTestId("cell-en-5").fill(LAST_FIXED.en);
    await page.getByTestId("cell-ja-5").fill(LAST_FIXED.ja);
    await publish(page, editorLocale, 2, "Editor's note added; typos fixed");

    // 4. The reader reloads: the same paragraph (same key), now ¶5, with the note drawn on the
    // corrected words.
    await readerPage.reload();
    await expect(paragraphs).toHaveCount(5);
    await expect(paragraphs.nth(0).locator(`p[lang="${readerLocale}"]`)).toHaveText(NEW_TOP[readerLocale]);
    await expect(paragraphs.nth(4)).toHaveAttribute("id", key);
    await expect(annotated.locator(".para-number")).toHaveText("5");
    await expect(textLocator).toHaveText(LAST_FIXED[readerLocale]);
    await expect(annotated.locator("mark.hl")).toHaveText(QUOTE[readerLocale].fixed);
    await expect(readerPage.getByTestId("passage-changed")).toHaveCount(0);

    // 5. The editor deletes that paragraph and publishes: the note is listed, not drawn.
    await page.goto(editorUrl);
    await expect(page.getByTestId("cell-en-5")).toHaveValue(LAST_FIXED.en);
    await page.getByTestId("delete-row-5").click();
    await expect(page.getByTestId("align-row")).toHaveCount(4);
    await publish(page, editorLocale, 3, "Last paragraph removed");

    await readerPage.reload();
    await expect(paragraphs).toHaveCount(4);
    await expect(readerPage.locator(`#${key}`)).toHaveCount(0);
    await expect(readerPage.locator(".paragraphs mark.hl")).toHaveCount(0);
    const section = readerPage.getByTestId("passage-changed");
    await expect(section.getByRole("heading", { name: r.passageChanged })).toBeVisible();
    await section.locator("summary").click();
    const listed = section.getByTestId("passage-changed-note");
    await expect(listed).toHaveCount(1);
    await expect(listed).toContainText(`A note on the watch ${stamp}`);
    await expect(listed).toContainText(r.removedIn(3));
    await expect(listed.locator(`blockquote[lang="${readerLocale}"]`)).toHaveText(QUOTE[readerLocale].fixed);
    await expectNoA11yViolations(readerPage);
    await reader.context.close();
  });
}

test.describe("group readings", () => {
  // The outsider's 404s are the point: the browser logs them as failed resource loads.
  test.use({ allowHttpErrorStatus: true });

  for (const [ownerLocale, readerLocale] of [
    ["en", "ja"],
    ["ja", "en"],
  ] as const) {
    test(`a group owner adds a reading; a member reads it, an outsider gets 404 and finds nothing: owner in ${ownerLocale}, readers in ${readerLocale}`, async ({
      page,
      context,
      browser,
      consoleErrors,
      expectNoA11yViolations,
    }) => {
      test.setTimeout(120_000);
      const suffix = randomBytes(3).toString("hex");
      const word = `zephyrine${suffix}`;
      const titles = { en: `Circle reading ${word}`, ja: `輪読 ${word}` };

      // The owner makes a group (a plain member of the site, not an editor).
      await useOwnAddress(context);
      await signUp(context, { name: `Owner ${suffix}`, locale: ownerLocale });
      const created = await context.request.post("/api/groups", { data: { name: `Circle ${suffix}` }, headers: { "x-ui-locale": ownerLocale } });
      expect(created.status()).toBe(201);
      const groupId = ((await created.json()) as { group: { id: string } }).group.id;

      // "Add a reading" on the group page opens the editor for this group.
      await page.goto(`/${ownerLocale}/groups/${groupId}`);
      await page.getByTestId("group-readings").getByTestId("add-reading").click();
      await expect(page).toHaveURL(new RegExp(`/${ownerLocale}/editor/new\\?group=${groupId}$`));
      await waitForHydration(page, "paste-en");
      await page.getByTestId("paste-en").fill(`The ${word} festival opens the season.\n\nEveryone in the class reads this paragraph.`);
      await page.getByTestId("use-paste-en").click();
      await page.getByTestId("paste-ja").fill(`${word}祭りで季節が始まります。\n\nクラスの全員がこの段落を読みます。`);
      await page.getByTestId("use-paste-ja").click();
      await expect(page.getByTestId("cell-ja-2")).toHaveValue("クラスの全員がこの段落を読みます。");
      await page.getByTestId("title-en").fill(titles.en);
      await page.getByTestId("title-ja").fill(titles.ja);
      await page.getByTestId("meta-source").fill("Class handout");
      await expect(page.getByTestId("alignment-ok")).toBeVisible();
      await expect(page).toHaveURL(/\/editor\/[0-9a-f-]{36}$/, { timeout: 15_000 });
      await expect(page.getByTestId("save-status")).toContainText(words[ownerLocale].saved);
      await publish(page, ownerLocale, 1);
      const href = await page.getByTestId("publish-panel").locator('a[href*="/readings/"]').first().getAttribute("href");
      const slug = href!.split("/readings/")[1]!;
      expect(slug).toBeTruthy();

      // The group page lists it.
      await page.goto(`/${ownerLocale}/groups/${groupId}`);
      await expect(page.getByTestId("group-readings").getByRole("link", { name: titles[ownerLocale] })).toHaveAttribute("href", `/${ownerLocale}/readings/${slug}`);
      await expectNoA11yViolations();

      // A member reads it at /readings/{slug} and finds it in search.
      const member = await newUser(browser, consoleErrors, readerLocale, `Member ${suffix}`);
      const memberId = ((await (await member.context.request.get("/api/me")).json()) as { user: { id: string } }).user.id;
      await withDatabase((client) => client.query(`INSERT INTO group_member (group_id, user_id, role) VALUES ($1, $2, 'member')`, [groupId, memberId]));
      const response = await member.page.goto(`/${readerLocale}/readings/${slug}`);
      expect(response?.status()).toBe(200);
      await expect(member.page.getByRole("heading", { level: 1, name: titles[readerLocale] })).toBeVisible();
      await expect(member.page.getByTestId("group-reading-banner")).toContainText(`Circle ${suffix}`);
      await expect(member.page.locator(".paragraphs > li")).toHaveCount(2);
      await expectNoA11yViolations(member.page);
      await member.page.goto(`/${readerLocale}/search?q=${word}`);
      await expect(member.page.getByTestId("search-result")).toHaveCount(1);

      // An outsider: the ordinary 404 at both addresses, and nothing in search.
      const outsider = await newUser(browser, consoleErrors, readerLocale, `Outsider ${suffix}`, true);
      for (const path of [`/${readerLocale}/readings/${slug}`, `/${readerLocale}/articles/${slug}`]) {
        expect((await outsider.page.goto(path))?.status(), path).toBe(404);
        await expect(outsider.page.locator("body")).not.toContainText(word);
      }
      await outsider.page.goto(`/${readerLocale}/search?q=${word}`);
      await expect(outsider.page.getByTestId("search-count")).toBeVisible();
      await expect(outsider.page.getByTestId("search-result")).toHaveCount(0);
      await Promise.all([member.context.close(), outsider.context.close()]);
    });
  }
});
