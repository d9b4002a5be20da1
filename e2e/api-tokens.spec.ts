import { randomUUID } from "node:crypto";
import { expect, SLUG, test } from "./fixtures";
import { signUp, useOwnAddress } from "./support/accounts";
import { openProfilePanel } from "./support/profile";

// Personal API tokens (ADR 0027) end to end, in both interface languages: create one on the
// profile page, see it once, use it from a script (Playwright's `request`, which has no browser
// cookies) to create and read a note, revoke it on the page, and the next call is 401.

const text = {
  en: { name: "Token name", write: "Write (create, edit and delete notes)", create: "Create token", warning: "Copy it now: it will not be shown again.", revoke: "Revoke token “Script”", confirm: "Yes, revoke", revoked: "Revoked", heading: "Personal API tokens" },
  ja: { name: "トークン名", write: "書き込み（ノートの作成・編集・削除）", create: "トークンを作成", warning: "今すぐコピーしてください。二度と表示されません。", revoke: "トークン「Script」を取り消す", confirm: "取り消す", revoked: "取り消し済み", heading: "個人用APIトークン" },
} as const;

test.beforeEach(async ({ context }) => {
  await useOwnAddress(context);
});

for (const locale of ["en", "ja"] as const) {
  const t = text[locale];

  test(`create a token on the profile page, use it from a script, revoke it (${locale})`, async ({ page, context, request, expectNoA11yViolations }) => {
    await signUp(context, { locale });
    await page.goto(`/${locale}/articles/${SLUG}`);
    const paragraphId = await page.locator("#p-3").getAttribute("data-paragraph-id");
    expect(paragraphId).toBeTruthy();

    await page.goto(`/${locale}/profile`);
    await expect(page.getByRole("heading", { name: t.heading })).toBeVisible();
    await openProfilePanel(page, "profile-tokens");
    await page.getByLabel(t.name).fill("Script");
    await page.getByLabel(t.write).check();
    await page.getByRole("button", { name: t.create }).click();
    const value = page.getByTestId("token-value");
    await expect(value).toBeFocused();
    await expect(page.getByTestId("token-created")).toContainText(t.warning);
    const token = await value.inputValue();
    expect(token).toMatch(/^tyk_[A-Za-z0-9_-]{43}$/);
    await expect(page.getByTestId("token-row")).toHaveCount(1);
    await expectNoA11yViolations();

    // Shown once: a reload lists the token but never shows it again.
    await page.reload();
    await openProfilePanel(page, "profile-tokens");
    await expect(page.getByTestId("token-row")).toHaveCount(1);
    await expect(page.getByTestId("token-value")).toHaveCount(0);
    expect(await page.content()).not.toContain(token);

    const auth = { authorization: `Bearer ${token}`, "x-ui-locale": locale };
    const body = `Written by a script ${randomUUID().slice(0, 8)}`;
    const created = await request.post("/api/notes", {
      headers: { ...auth, origin: "https://script.example" },
      data: { paragraphId, locale: "en", kind: "comment", visibility: "private", body, idempotencyKey: randomUUID() },
    });
    expect(created.status(), await created.text()).toBe(201);
    expect(created.headers()["access-control-allow-origin"]).toBe("*");
    const id = (await created.json()).note.id as string;
    const read = await request.get(`/api/notes/${id}`, { headers: auth });
    expect(read.status()).toBe(200);
    expect((await read.json()).note.body).toBe(body);

    // Revoke with its confirmation step, by keyboard.
    await page.getByRole("button", { name: t.revoke }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: t.confirm, exact: true }).click();
    await expect(page.getByTestId("token-row")).toContainText(t.revoked);

    const after = await request.get(`/api/notes/${id}`, { headers: auth });
    expect(after.status()).toBe(401);
    expect(after.headers()["www-authenticate"]).toContain('error="invalid_token"');
  });
}
