import { expect, SLUG, test } from "./fixtures";
import { randomEmail, signUp, TEST_PASSWORD, useOwnAddress } from "./support/accounts";

// Sign-up, sign-in and sign-out through the real forms, in both interface languages. Each test
// has its own email and client address, so the sign-in limits of parallel tests never meet.

const text = {
  en: { name: "Display name", email: "Email", password: "Password", signUp: "Create account", signIn: "Sign in", wrong: "The email or password is incorrect." },
  ja: { name: "表示名", email: "メールアドレス", password: "パスワード", signUp: "アカウントを作成", signIn: "ログイン", wrong: "メールアドレスまたはパスワードが正しくありません。" },
} as const;

// Wrong passwords and invalid forms answer 4xx on purpose; the browser logs those as errors.
test.use({ allowHttpErrorStatus: true });

test.beforeEach(async ({ context }) => {
  await useOwnAddress(context);
});

for (const locale of ["en", "ja"] as const) {
  const t = text[locale];

  test(`sign up, see the name in the header, sign out, sign in, wrong password (${locale})`, async ({ page }) => {
    const email = randomEmail();
    const name = locale === "ja" ? "山田 花子" : "Ada Reader";
    // Start from a paragraph link: the header's sign-up link must bring the reader back to it.
    const start = `/${locale}/articles/${SLUG}?text=both#p-5`;
    await page.goto(start);
    await page.getByTestId("header-sign-up").click();
    await expect(page).toHaveURL(new RegExp(`/${locale}/sign-up\\?next=`));
    expect(new URL(page.url()).searchParams.get("next")).toBe(start);

    // A too-short password is explained next to the field, in the page's language.
    await page.getByLabel(t.name).fill(name);
    await page.getByLabel(t.email).fill(email);
    await page.getByLabel(t.password).fill("short");
    await page.getByRole("button", { name: t.signUp }).click();
    const password = page.getByLabel(t.password);
    await expect(password).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByTestId("form-alert")).toBeVisible();

    await password.fill(TEST_PASSWORD);
    await page.getByRole("button", { name: t.signUp }).click();
    await expect(page).toHaveURL(start);
    await expect(page.getByTestId("account-name")).toContainText(name);

    await page.getByTestId("header-sign-out").click();
    await expect(page.getByTestId("header-sign-in")).toBeVisible();
    await expect(page.getByTestId("account-name")).toHaveCount(0);

    await page.getByTestId("header-sign-in").click();
    await expect(page).toHaveURL(new RegExp(`/${locale}/sign-in\\?next=`));
    await page.getByLabel(t.email).fill(email);
    await page.getByLabel(t.password).fill("not the password");
    await page.getByTestId("sign-in-form").getByRole("button").click();
    await expect(page.getByTestId("form-alert")).toHaveText(t.wrong);

    await page.getByLabel(t.password).fill(TEST_PASSWORD);
    await page.getByTestId("sign-in-form").getByRole("button").click();
    await expect(page).toHaveURL(start);
    await expect(page.getByTestId("account-name")).toContainText(name);
  });

  test(`links between sign-in and sign-up keep next; unsafe next falls back home (${locale})`, async ({ page }) => {
    const next = `/${locale}/articles/${SLUG}#p-3`;
    await page.goto(`/${locale}/sign-in?next=${encodeURIComponent(next)}`);
    await page.getByTestId("to-sign-up").click();
    expect(new URL(page.url()).searchParams.get("next")).toBe(next);
    await page.getByTestId("to-sign-in").click();
    expect(new URL(page.url()).searchParams.get("next")).toBe(next);

    await page.goto(`/${locale}/sign-up?next=${encodeURIComponent("//evil.example/")}`);
    await expect(page.getByTestId("to-sign-in")).toHaveAttribute("href", `/${locale}/sign-in?next=%2F${locale}`);
  });
}

test("profile: preferred language ja makes / land on /ja", async ({ page, context }) => {
  await signUp(context, { name: "Locale Tester", locale: "en" });
  await page.goto("/en/profile");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your profile");
  await page.getByLabel("Preferred language").selectOption("ja");
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Profile saved." })).toBeVisible();
  await page.goto("/");
  await expect(page).toHaveURL(/\/ja$/);
  await expect(page.getByTestId("account-name")).toContainText("Locale Tester");
});

test("the account menu keeps its size signed in and out, so the header does not shift", async ({ page, context }) => {
  await page.goto("/en");
  const signedOut = await page.getByTestId("account-menu").boundingBox();
  await signUp(context, { name: "Size Check" });
  await page.goto("/en");
  await expect(page.getByTestId("account-name")).toBeVisible();
  const signedIn = await page.getByTestId("account-menu").boundingBox();
  expect(signedIn?.width).toBe(signedOut?.width);
  expect(signedIn?.height).toBe(signedOut?.height);
});

test("profile: signed out, it sends the reader to sign-in and back", async ({ page, context }) => {
  await page.goto("/ja/profile");
  await expect(page).toHaveURL(/\/ja\/sign-in\?next=%2Fja%2Fprofile$/);
  const user = await signUp(context, { locale: "ja" });
  await page.goto("/ja/profile");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("プロフィール");
  // The address also appears in the verification and notification-mail sections: the intro names it.
  await expect(page.locator("p.lead").first()).toContainText(user.email);
});

test("profile: change password, then the old one no longer signs in", async ({ page, context }) => {
  const user = await signUp(context);
  await page.goto("/en/profile");
  await page.getByLabel("Current password").fill(user.password);
  await page.getByLabel("New password").fill("a different password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Password changed." })).toBeVisible();
  const old = await context.request.post("/api/auth/sign-in", { data: { email: user.email, password: user.password } });
  expect(old.status()).toBe(401);
  const fresh = await context.request.post("/api/auth/sign-in", { data: { email: user.email, password: "a different password" } });
  expect(fresh.status()).toBe(200);
});

for (const locale of ["en", "ja"] as const) {
  test(`axe: sign-in, sign-up and profile (${locale}) @phone`, async ({ page, context, expectNoA11yViolations }) => {
    await page.goto(`/${locale}/sign-in`);
    await expectNoA11yViolations();
    // With errors showing too: the alert and the invalid fields must pass as well.
    await page.getByTestId("sign-in-form").getByRole("button").click();
    await expect(page.getByTestId("form-alert")).toBeVisible();
    await expectNoA11yViolations();
    await page.goto(`/${locale}/sign-up`);
    await expectNoA11yViolations();
    await signUp(context, { locale });
    await page.goto(`/${locale}/profile`);
    await expect(page.getByTestId("account-name")).toBeVisible();
    await expectNoA11yViolations();
  });
}

test("account pages in dark mode at 360 px: no horizontal scrolling, still accessible @phone", async ({ page, context, expectNoA11yViolations }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await page.setViewportSize({ width: 360, height: 740 });
  await signUp(context, { name: "A rather long display name that must not widen the header", locale: "ja" });
  for (const path of ["/ja/profile", "/en/profile"]) {
    await page.goto(path);
    await expect(page.getByTestId("account-name")).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expectNoA11yViolations();
  }
  await page.goto("/en/sign-up");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
