import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { strFromU8, unzipSync } from "fflate";
import type { BrowserContext, Page } from "@playwright/test";
import { expect, SLUG, test } from "./fixtures";
import { signUp, useOwnAddress } from "./support/accounts";
import { openProfilePanel } from "./support/profile";

// "Download my data" and "Delete my account" (ADR 0036) end to end, in both interface languages.
// The archive is built by the server's own job worker (instrumentation.ts) while the profile
// page waits for it; the deletion is checked from outside: the session is dead, the password no
// longer signs in, and a kept public note now reads as written by a "deleted user".

const text = {
  en: {
    heading: "Your data",
    ask: "Download my data",
    ready: "is ready",
    download: /^Download zip/,
    readme: "# Your Taiyaku data",
    notes: "# Your notes",
    open: "Delete my account…",
    keep: /Keep them, signed/,
    password: "Your password",
    confirm: "Delete my account for good",
    wrong: "That password is not correct.",
    deleted: "Your account has been deleted.",
    deletedUser: "Deleted user",
    deleteHeading: "Delete my account",
  },
  ja: {
    heading: "あなたのデータ",
    ask: "データをダウンロード",
    ready: "準備ができました",
    download: /^zipをダウンロード/,
    readme: "# Taiyakuのあなたのデータ",
    notes: "# あなたのノート",
    open: "アカウントを削除…",
    keep: /「削除されたユーザー」の名義で残す/,
    password: "パスワード",
    confirm: "アカウントを完全に削除",
    wrong: "パスワードが正しくありません。",
    deleted: "アカウントを削除しました。",
    deletedUser: "削除されたユーザー",
    deleteHeading: "アカウントを削除",
  },
} as const;

async function createNote(context: BrowserContext, page: Page, locale: "en" | "ja", visibility: "private" | "public", body: string): Promise<string> {
  await page.goto(`/${locale}/articles/${SLUG}`);
  const paragraphId = await page.locator("#p-4").getAttribute("data-paragraph-id");
  expect(paragraphId).toBeTruthy();
  const response = await context.request.post("/api/notes", {
    headers: { "x-ui-locale": locale },
    data: { paragraphId, locale: "en", kind: "comment", visibility, body, idempotencyKey: randomUUID().replaceAll("-", "") },
  });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()).note.id as string;
}

test.beforeEach(async ({ context }) => {
  await useOwnAddress(context);
});

for (const locale of ["en", "ja"] as const) {
  const t = text[locale];

  test(`download my data: prepared in the background, then a zip of JSON and Markdown (${locale})`, async ({ page, context, expectNoA11yViolations }) => {
    const { email } = await signUp(context, { locale });
    const body = `Private thought ${randomUUID().slice(0, 8)}`;
    const noteId = await createNote(context, page, locale, "private", body);

    await page.goto(`/${locale}/profile`);
    const section = page.locator("#your-data");
    await expect(section.getByRole("heading", { name: t.heading })).toBeVisible();
    await openProfilePanel(page, "profile-data");
    await section.getByRole("button", { name: t.ask }).click();
    // The job worker builds it; the panel follows the request until the link appears.
    const link = section.getByRole("link", { name: t.download });
    await expect(link).toBeVisible({ timeout: 30_000 });
    await expect(section.getByTestId("data-export-status")).toContainText(t.ready);
    await expectNoA11yViolations();

    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^taiyaku-data-\d{4}-\d{2}-\d{2}\.zip$/);
    const entries = unzipSync(new Uint8Array(await readFile(await download.path())));
    const file = (name: string) => strFromU8(entries[`taiyaku-data/${name}`]!);
    expect(JSON.parse(file("account.json"))).toMatchObject({ email });
    expect(JSON.parse(file("notes.json"))).toEqual([expect.objectContaining({ id: noteId, body, visibility: "private" })]);
    expect(file("README.md")).toContain(t.readme);
    expect(file("notes.md")).toContain(t.notes);
    expect(file("notes.md")).toContain(body);

    // Still there on a later visit (the archive is stored in the database, not in this process),
    // through the "ready" mail's link: #your-data opens the panel by itself.
    await page.goto(`/${locale}`);
    await page.goto(`/${locale}/profile#your-data`);
    await expect(page.locator("#your-data").getByRole("link", { name: t.download })).toBeVisible();
  });

  test.describe(() => {
    // The wrong password below is a 422 on purpose; the browser logs it.
    test.use({ allowHttpErrorStatus: true });

    test(`delete my account: password confirmation, signed out everywhere, kept notes signed "deleted user" (${locale})`, async ({ page, context, browser, expectNoA11yViolations }) => {
      const { email, password } = await signUp(context, { locale });
      const body = `Kept public note ${randomUUID().slice(0, 8)}`;
      const noteId = await createNote(context, page, locale, "public", body);

      await page.goto(`/${locale}/profile`);
      await expect(page.getByRole("heading", { name: t.deleteHeading, exact: true })).toBeVisible();
      await page.getByRole("button", { name: t.open }).click();
      const form = page.getByTestId("delete-account-form");
      await expect(form.getByLabel(t.password, { exact: true })).toBeFocused();
      await expect(form.getByRole("radio", { name: t.keep })).toBeChecked();
      await expectNoA11yViolations();

      await form.getByLabel(t.password, { exact: true }).fill("not the password at all");
      await form.getByRole("button", { name: t.confirm }).click();
      await expect(form.locator(".field-error")).toHaveText(t.wrong);

      await form.getByLabel(t.password, { exact: true }).fill(password);
      await form.getByRole("button", { name: t.confirm }).click();
      await expect(page.getByTestId("account-deleted")).toContainText(t.deleted);

      // The session is gone, and so is the password.
      const me = await context.request.get("/api/me");
      expect((await me.json()).user).toBeNull();
      const signIn = await context.request.post("/api/auth/sign-in", { data: { email, password }, headers: { "x-ui-locale": locale } });
      expect(signIn.status()).toBe(401);

      // A reader (signed out) still finds the public note, signed in their language as a deleted user.
      const reader = await browser.newContext();
      const readerPage = await reader.newPage();
      await readerPage.goto(`/${locale}/articles/${SLUG}#note-${noteId}`);
      const note = readerPage.locator(`#note-${noteId}`);
      await expect(note).toContainText(body);
      await expect(note.locator(".note-author")).toHaveText(t.deletedUser);
      await reader.close();
    });
  });
}
