import { randomBytes } from "node:crypto";
import { expect, test } from "./fixtures";
import { signUp, useOwnAddress } from "./support/accounts";
import { setSiteRole } from "./support/database";

// Password reset without an SMTP server (ADR 0033), in both languages: "Forgot password?" on the
// sign-in page → the mail lands in the outbox → an admin opens it at /{locale}/admin/mail → the
// reader follows its link, sets a new password and is signed in; the old session is revoked and
// the link works once.

const text = {
  en: {
    forgot: "Forgot password?",
    email: "Email",
    send: "Send reset link",
    sent: "a message with a reset link is on its way",
    subject: "Reset your Taiyaku password",
    newPassword: "New password",
    save: "Save new password",
    profile: "Your profile",
    invalid: "This link cannot be used",
    logged: "logged",
  },
  ja: {
    forgot: "パスワードをお忘れですか？",
    email: "メールアドレス",
    send: "再設定リンクを送る",
    sent: "再設定リンクを記載したメールをお送りしました",
    subject: "Taiyaku のパスワード再設定",
    newPassword: "新しいパスワード",
    save: "新しいパスワードを保存",
    profile: "プロフィール",
    invalid: "このリンクは使えません",
    logged: "記録済み",
  },
} as const;

for (const locale of ["en", "ja"] as const) {
  const t = text[locale];

  test(`forgot password → link from the admin outbox → new password → signed in (${locale})`, async ({ browser, page, context, expectNoA11yViolations }) => {
    // The reader: an account, signed in on some other device (a context of its own).
    const device = await browser.newContext();
    await useOwnAddress(device);
    const reader = await signUp(device, { name: `Forgetful ${randomBytes(3).toString("hex")}`, locale });
    expect((await (await device.request.get("/api/me")).json()).user?.email).toBe(reader.email);

    // Signed out, on this browser: sign-in → "Forgot password?".
    await useOwnAddress(context);
    await page.goto(`/${locale}/sign-in`);
    await page.getByRole("link", { name: t.forgot }).click();
    await expect(page).toHaveURL(new RegExp(`/${locale}/forgot-password$`));
    await page.getByLabel(t.email).fill(reader.email);
    await expectNoA11yViolations();
    await page.getByRole("button", { name: t.send }).click();
    await expect(page.getByTestId("forgot-password-status")).toContainText(t.sent);

    // An admin reads the outbox: the message is there, in the reader's language.
    const adminContext = await browser.newContext();
    await useOwnAddress(adminContext);
    await signUp(adminContext, { name: `Ada Admin ${locale}`, locale });
    const admin = await (await adminContext.request.get("/api/me")).json();
    await setSiteRole(admin.user.id, "admin");
    const adminPage = await adminContext.newPage();
    await adminPage.goto(`/${locale}/admin/mail`);
    const row = adminPage.getByTestId("outbox-row").filter({ hasText: reader.email }).filter({ hasText: "password-reset" });
    await expect(row).toHaveCount(1);
    await row.getByRole("link", { name: t.subject }).click();
    await expect(adminPage.getByTestId("mail-recipient")).toContainText(reader.email);
    await expect(adminPage.getByTestId("mail-text")).toContainText(reader.name);
    // The server's job worker (instrumentation.ts) handled it: without SMTP_URL, "logged".
    await expect(async () => {
      await adminPage.reload();
      await expect(adminPage.locator('[data-status="logged"]')).toHaveText(t.logged, { timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    const href = await adminPage.getByTestId("mail-links").getByRole("link").first().getAttribute("href");
    const link = new URL(href!);
    expect(link.pathname).toBe(`/${locale}/reset-password`);
    expect(link.searchParams.get("token")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await adminContext.close();

    // The reader follows the link (on this server's origin) and chooses a new password.
    const newPassword = `new e2e password ${randomBytes(3).toString("hex")}`;
    await page.goto(link.pathname + link.search);
    await page.getByLabel(t.newPassword).fill(newPassword);
    await expectNoA11yViolations();
    await page.getByRole("button", { name: t.save }).click();
    await expect(page).toHaveURL(new RegExp(`/${locale}/profile$`));
    await expect(page.getByRole("heading", { level: 1 })).toContainText(t.profile);
    await expect(page.getByText(reader.email).first()).toBeVisible();

    // Every other session is gone; the new password signs in; the link is used up.
    expect((await (await device.request.get("/api/me")).json()).user).toBeNull();
    const signIn = await device.request.post("/api/auth/sign-in", { data: { email: reader.email, password: newPassword } });
    expect(signIn.status()).toBe(200);
    await device.close();
    await page.goto(link.pathname + link.search);
    await expect(page.getByTestId("link-invalid")).toContainText(t.invalid);
  });
}
