import { readFile } from "node:fs/promises";
import type { Browser, Page } from "@playwright/test";
import { expect, SLUG, test } from "./fixtures";
import { signUp, useOwnAddress } from "./support/accounts";
import { selectInParagraph } from "./support/selection";

// Issue 15 (learning). Furigana: readings over the kanji of the Japanese text, a cached page of its own
// (?furigana=1), remembered for the next visit; selections and highlights count the text without
// the readings, so a highlight is stored the same with furigana on or off.

const PARAGRAPH = "p-8";
const PHRASE = "武器輸出三原則";

/** The paragraph's Japanese text without readings, as the notes count it. */
function baseText(page: Page): Promise<string> {
  return page.locator(`#${PARAGRAPH} .para-body > [data-text-locale="ja"]`).evaluate((element) => {
    const copy = element.cloneNode(true) as Element;
    copy.querySelectorAll("rt, rp").forEach((reading) => reading.remove());
    return copy.textContent ?? "";
  });
}

async function highlightPhrase(browser: Browser, furigana: boolean) {
  const context = await browser.newContext();
  await useOwnAddress(context);
  await signUp(context, { locale: "ja" });
  const page = await context.newPage();
  await page.goto(`/ja/articles/${SLUG}?furigana=${furigana ? 1 : 0}`);
  if (furigana) await expect(page.locator(`#${PARAGRAPH} ruby`).first()).toBeVisible();
  else await expect(page.locator(`#${PARAGRAPH} ruby`)).toHaveCount(0);
  const text = await baseText(page);
  const from = text.indexOf(PHRASE);
  expect(from).toBeGreaterThan(0);
  await selectInParagraph(page, PARAGRAPH, "ja", from, from + PHRASE.length);
  const posted = page.waitForResponse((response) => new URL(response.url()).pathname === "/api/notes" && response.request().method() === "POST");
  await page.getByRole("group", { name: "選択したテキスト" }).getByRole("button", { name: "ハイライト" }).click();
  const response = await posted;
  expect(response.status()).toBe(201);
  const { note } = (await response.json()) as { note: { quote: { exact: string; prefix: string; suffix: string; start: number; end: number } } };
  await context.close();
  return { text, quote: note.quote };
}

test("furigana puts readings over the kanji, and the text without them is unchanged", async ({ page, expectNoA11yViolations }) => {
  await page.goto(`/ja/articles/${SLUG}`);
  await expect(page.locator(".reader ruby")).toHaveCount(0);
  const plain = await baseText(page);

  await page.goto(`/ja/articles/${SLUG}?furigana=1`);
  const paragraph = page.locator(`#${PARAGRAPH} .para-body > [data-text-locale="ja"]`);
  await expect(paragraph.locator("ruby").first()).toBeVisible();
  await expect(paragraph.locator("ruby", { hasText: "武器" }).first().locator("rt")).toHaveText("ぶき");
  await expect(paragraph.locator("ruby", { hasText: "輸出" }).first().locator("rt")).toHaveText("ゆしゅつ");
  expect(await baseText(page)).toBe(plain);
  // Readings cannot be selected, so they are never copied with the text.
  expect(await paragraph.locator("rt").first().evaluate((rt) => getComputedStyle(rt).userSelect)).toBe("none");
  // Kana-only words carry no reading.
  expect(await paragraph.locator("ruby").evaluateAll((rubies) => rubies.every((ruby) => /[\p{Script=Han}々]/u.test(ruby.firstChild?.textContent ?? "")))).toBe(true);
  await expect(page.getByTestId("furigana-on")).toHaveAttribute("aria-current", "page");
  await expectNoA11yViolations();
});

test("side by side with furigana, only the Japanese column has readings", async ({ page, expectNoA11yViolations }) => {
  await page.goto(`/en/articles/${SLUG}?text=both&furigana=1`);
  await expect(page.locator(`#${PARAGRAPH} [data-text-locale="ja"] ruby`).first()).toBeVisible();
  await expect(page.locator(`#${PARAGRAPH} [data-text-locale="en"] ruby`)).toHaveCount(0);
  await expectNoA11yViolations();
});

test("the choice is remembered: turned on, the next visit opens with furigana; turned off, without", async ({ page }) => {
  await page.goto(`/en/articles/${SLUG}?text=ja`);
  await page.getByTestId("furigana-on").click();
  await expect(page).toHaveURL(/furigana=1/);
  await expect(page.locator(".reader ruby").first()).toBeVisible();

  await page.goto(`/ja/articles/${SLUG}`);
  await expect(page).toHaveURL(/[?&]furigana=1/);
  await expect(page.locator(".reader ruby").first()).toBeVisible();

  await page.getByTestId("furigana-off").click();
  await expect(page).toHaveURL(/furigana=0/);
  await expect(page.locator(".reader ruby")).toHaveCount(0);
  await page.goto(`/ja/articles/${SLUG}`);
  await expect(page).not.toHaveURL(/furigana/);
  await expect(page.locator(".reader ruby")).toHaveCount(0);
});

test("a highlight made with furigana on is stored exactly like one made with it off", async ({ browser }) => {
  const off = await highlightPhrase(browser, false);
  const on = await highlightPhrase(browser, true);
  expect(on.text).toBe(off.text);
  expect(on.quote).toEqual(off.quote);
  expect(on.quote.exact).toBe(PHRASE);
});

test("side by side, pointing at an English sentence highlights its Japanese partner", async ({ page }) => {
  await page.goto(`/en/articles/${SLUG}?text=both`);
  const english = page.locator(`#p-1 .para-body > [data-text-locale="en"]`);
  const box = (await english.boundingBox())!;
  await page.mouse.move(box.x + 20, box.y + 8);
  const japanese = await page.locator(`#p-1 .para-body > [data-text-locale="ja"]`).innerText();
  await expect
    .poll(() => page.evaluate(() => [...(CSS.highlights.get("sentence-partner") ?? [])].map((range) => (range as Range).toString()).join("")))
    .toBe(japanese.trim());
  await expect
    .poll(() => page.evaluate(() => [...(CSS.highlights.get("sentence-current") ?? [])].map((range) => (range as Range).toString()).join("")))
    .toBe((await english.innerText()).trim());
});

test("Alt+↓ moves sentence by sentence; in one language the partner is shown and announced", async ({ page, expectNoA11yViolations }) => {
  await page.goto(`/ja/articles/${SLUG}`);
  const caption = page.getByTestId("sentence-partner");
  await expect(caption).toBeHidden();
  await page.keyboard.press("Alt+ArrowDown");
  await expect(caption).toBeVisible();
  await expect(caption).toHaveAttribute("role", "status");
  await expect(caption.locator('[lang="en"]')).toHaveText(/^Japan’s decision to export Patriot/);
  await page.keyboard.press("Alt+ArrowDown");
  await expect(caption.locator('[lang="en"]')).toHaveText(/^According to Kyodo News/);
  await expect
    .poll(() => page.evaluate(() => [...(CSS.highlights.get("sentence-current") ?? [])].map((range) => (range as Range).toString()).join("")))
    .toMatch(/^政府関係者の話として/);
  await page.keyboard.press("Alt+ArrowUp");
  await expect(caption.locator('[lang="en"]')).toHaveText(/^Japan’s decision/);
  await expectNoA11yViolations();
});

test("the vocabulary page lists a vocabulary note with its reading and exports a file Anki's format accepts", async ({ page, context, expectNoA11yViolations }) => {
  await useOwnAddress(context);
  await signUp(context, { locale: "ja" });
  await page.goto(`/ja/articles/${SLUG}`);
  const paragraphId = await page.locator(`#${PARAGRAPH}`).getAttribute("data-paragraph-id");
  const text = await baseText(page);
  const start = [...text.slice(0, text.indexOf(PHRASE))].length;
  const created = await context.request.post("/api/notes", {
    data: {
      paragraphId,
      locale: "ja",
      kind: "annotation",
      visibility: "private",
      tag: "vocabulary",
      body: "the Three Principles on Arms Exports",
      range: { start, end: start + [...PHRASE].length, exact: PHRASE },
      idempotencyKey: crypto.randomUUID().replaceAll("-", ""),
    },
  });
  expect(created.status(), await created.text()).toBe(201);

  await page.goto("/ja/profile");
  await page.getByTestId("profile-vocabulary").click();
  await expect(page).toHaveURL(/\/ja\/vocabulary$/);
  const entry = page.getByTestId("vocabulary-entry").filter({ hasText: PHRASE });
  await expect(entry).toHaveCount(1);
  await expect(entry.getByTestId("vocabulary-reading")).toHaveText("ぶきゆしゅつさんげんそく");
  await expect(entry).toContainText("the Three Principles on Arms Exports");
  await expect(entry.locator('[lang="en"]')).toContainText("Three Principles on Arms Exports.");
  await expectNoA11yViolations();

  const download = page.waitForEvent("download");
  await page.getByTestId("vocabulary-export-anki").click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("taiyaku-vocabulary.txt");
  const lines = (await readFile(await file.path(), "utf8")).split("\n").filter(Boolean);
  expect(lines.slice(0, 3)).toEqual(["#separator:tab", "#html:false", "#columns:Front\tBack\tReading\tSentence\tSource"]);
  const card = lines[3]!.split("\t");
  expect(card).toHaveLength(5);
  expect(card[0]).toBe(PHRASE);
  expect(card[2]).toBe("ぶきゆしゅつさんげんそく");
  expect(card[4]).toMatch(new RegExp(`/articles/${SLUG}.*#${PARAGRAPH}$`));

  // The English page of the same list, filtered by language.
  await page.goto("/en/vocabulary?lang=en");
  await expect(page.getByTestId("vocabulary-count")).toHaveText("No terms");
  await page.goto("/en/vocabulary?lang=ja");
  await expect(page.getByTestId("vocabulary-count")).toHaveText("1 term");
  await expectNoA11yViolations();
});

/** A stand-in for the browser's speech synthesis: the given voices; spoken texts recorded, each "spoken" in 300 ms. */
function fakeSpeech() {
  return (voiceList: { lang: string; name: string }[]) => {
    const spoken: string[] = [];
    const target = new EventTarget();
    let paused = false;
    const synthesis = Object.assign(target, {
      getVoices: () => voiceList.map((voice) => ({ ...voice, default: false, localService: true, voiceURI: voice.name })),
      speak(utterance: SpeechSynthesisUtterance) {
        spoken.push(utterance.text);
        setTimeout(() => utterance.onstart?.(new Event("start") as SpeechSynthesisEvent), 0);
        const finish = () => (paused ? setTimeout(finish, 20) : utterance.onend?.(new Event("end") as SpeechSynthesisEvent));
        setTimeout(finish, 300);
      },
      cancel() {},
      pause() {
        paused = true;
      },
      resume() {
        paused = false;
      },
    });
    Object.defineProperty(window, "speechSynthesis", { value: synthesis, configurable: true });
    (window as unknown as { __spoken: string[] }).__spoken = spoken;
  };
}

test("read aloud is hidden when the browser has no voice for the language", async ({ page }) => {
  await page.addInitScript(fakeSpeech(), [{ lang: "fr-FR", name: "Français" }]);
  await page.goto(`/ja/articles/${SLUG}`);
  await expect(page.locator(".reader")).toBeVisible();
  await expect(page.getByTestId("read-aloud")).toHaveCount(0);
  await expect(page.getByTestId("read-p-1")).toHaveCount(0);
});

test("read aloud speaks the article sentence by sentence, highlighting the one being read, with pause", async ({ page, expectNoA11yViolations }) => {
  await page.addInitScript(fakeSpeech(), [{ lang: "ja-JP", name: "Kyoko" }]);
  await page.goto(`/ja/articles/${SLUG}`);
  const bar = page.getByTestId("read-aloud");
  await expect(bar).toBeVisible();
  await expectNoA11yViolations();
  const first = (await page.locator(`#p-1 .para-body > [data-text-locale="ja"]`).innerText()).trim();
  await bar.getByRole("button", { name: "記事を読み上げる" }).click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { __spoken: string[] }).__spoken[0])).toBe(first);
  await bar.getByRole("button", { name: "一時停止" }).click();
  await expect(bar.getByRole("button", { name: "再開" })).toBeVisible();
  const count = await page.evaluate(() => (window as unknown as { __spoken: string[] }).__spoken.length);
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => (window as unknown as { __spoken: string[] }).__spoken.length)).toBe(count);
  await expect
    .poll(() => page.evaluate(() => [...(CSS.highlights.get("read-aloud") ?? [])].map((range) => (range as Range).toString().length).join("")))
    .not.toBe("");
  await bar.getByRole("button", { name: "再開" }).click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { __spoken: string[] }).__spoken.length)).toBeGreaterThan(count);
  await bar.getByRole("button", { name: "読み上げを停止" }).click();
  await expect(bar.getByRole("button", { name: "記事を読み上げる" })).toBeVisible();

  // One paragraph: its own button reads just that paragraph.
  await page.getByTestId("read-p-3").click();
  const third = (await page.locator(`#p-3 .para-body > [data-text-locale="ja"]`).innerText()).trim();
  await expect.poll(() => page.evaluate(() => (window as unknown as { __spoken: string[] }).__spoken.at(-1))).toBe(third);
});
