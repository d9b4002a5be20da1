import type { Browser, BrowserContext } from "@playwright/test";
import { expect, SLUG, test } from "./fixtures";
import { signUp, useOwnAddress } from "./support/accounts";
import { setSiteRole } from "./support/database";

// The admin console (ADR 0034), in both languages: a role granted in the browser while the server
// runs takes effect on the member's next request, and a deleted group comes back with its notes.
// Non-admins get the ordinary 404 page, so the browser logs 404s on purpose here.
test.use({ allowHttpErrorStatus: true });

const text = {
  en: {
    users: "Users",
    groups: "Groups",
    roleOf: (name: string) => `Role of ${name}`,
    changeRole: "Change role",
    moderator: "Moderator",
    roleChanged: (name: string) => `${name} is now: Moderator.`,
    queue: "Moderation queue",
    restore: (name: string) => `Restore ${name}`,
    restored: (name: string) => `${name} is restored with its notes.`,
  },
  ja: {
    users: "ユーザー",
    groups: "グループ",
    roleOf: (name: string) => `${name}さんの役割`,
    changeRole: "役割を変更",
    moderator: "モデレーター",
    roleChanged: (name: string) => `${name}さんの役割を「モデレーター」にしました。`,
    queue: "モデレーションキュー",
    restore: (name: string) => `${name}を復元`,
    restored: (name: string) => `${name}をノートごと復元しました。`,
  },
} as const;

async function newUser(browser: Browser, name: string, locale: "en" | "ja") {
  const context = await browser.newContext();
  await useOwnAddress(context);
  const { email } = await signUp(context, { name, locale });
  const me = await (await context.request.get("/api/me")).json();
  const page = await context.newPage();
  return { context, page, id: me.user.id as string, name, email };
}

async function json(context: BrowserContext, method: "POST" | "DELETE", url: string, data: unknown) {
  const response = await context.request.fetch(url, { method, data, headers: { "content-type": "application/json" } });
  expect(response.ok(), await response.text()).toBe(true);
  return response.json();
}

for (const locale of ["en", "ja"] as const) {
  const t = text[locale];

  test(`an admin promotes a member to moderator while the server runs; the new moderator sees the queue (${locale})`, async ({ browser, page, context, expectNoA11yViolations }) => {
    await useOwnAddress(context);
    await signUp(context, { name: `Ada Admin ${locale}`, locale });
    const me = await (await context.request.get("/api/me")).json();
    await setSiteRole(me.user.id, "admin");
    const member = await newUser(browser, `Mika Member ${crypto.randomUUID().slice(0, 6)}`, locale);

    // Before: no queue, no console for the member.
    expect((await member.page.goto(`/${locale}/moderation`))?.status()).toBe(404);
    expect((await member.page.goto(`/${locale}/admin/users`))?.status()).toBe(404);

    await page.goto(`/${locale}/admin`);
    await page.getByTestId("admin-nav").getByRole("link", { name: t.users }).click();
    await expect(page.getByRole("heading", { level: 1, name: t.users })).toBeVisible();
    await page.getByRole("search").getByRole("searchbox").fill(member.email);
    await page.getByRole("search").getByRole("button").click();
    const row = page.getByTestId("admin-user").filter({ hasText: member.email });
    await expect(row).toHaveCount(1);
    await expect(page.getByTestId("admin-user")).toHaveCount(1);
    await expectNoA11yViolations();

    await row.getByLabel(t.roleOf(member.name)).selectOption("moderator");
    await row.getByRole("button", { name: t.changeRole }).click();
    await expect(page.getByTestId("admin-status")).toHaveText(t.roleChanged(member.name));
    await expect(row.getByTestId("admin-user-role")).toHaveText(t.moderator);

    // The member's next request sees the new role: the queue opens, nothing restarted.
    await member.page.goto(`/${locale}/moderation`);
    await expect(member.page.getByRole("heading", { level: 1, name: t.queue })).toBeVisible();
    // Still not an admin.
    expect((await member.page.goto(`/${locale}/admin`))?.status()).toBe(404);
    await member.context.close();
  });

  test(`an admin restores a deleted group with its notes (${locale})`, async ({ browser, page, context, expectNoA11yViolations }) => {
    await useOwnAddress(context);
    await signUp(context, { locale });
    const me = await (await context.request.get("/api/me")).json();
    await setSiteRole(me.user.id, "admin");
    const owner = await newUser(browser, `Olga Owner ${locale}`, locale);
    const groupName = `Circle ${crypto.randomUUID().slice(0, 8)}`;
    const { group } = await json(owner.context, "POST", "/api/groups", { name: groupName });
    await owner.page.goto(`/${locale}/articles/${SLUG}?text=en`);
    const paragraphId = await owner.page.locator("#p-3").getAttribute("data-paragraph-id");
    const body = `Group note ${crypto.randomUUID().slice(0, 8)}`;
    await json(owner.context, "POST", "/api/notes", {
      paragraphId,
      locale: "en",
      kind: "comment",
      visibility: "group",
      groupId: group.id,
      body,
      idempotencyKey: crypto.randomUUID().replaceAll("-", ""),
    });
    await json(owner.context, "DELETE", `/api/groups/${group.id}`, {});
    expect((await owner.page.goto(`/${locale}/groups/${group.id}`))?.status()).toBe(404);

    await page.goto(`/${locale}/admin/groups?status=deleted&q=${encodeURIComponent(groupName)}`);
    await expect(page.getByRole("heading", { level: 1, name: t.groups })).toBeVisible();
    const row = page.getByTestId("admin-group").filter({ hasText: groupName });
    await expect(row).toHaveCount(1);
    await expectNoA11yViolations();
    await row.getByRole("button", { name: t.restore(groupName) }).click();
    // Restored, it leaves the "deleted" list; the list's status region says what happened.
    await expect(page.getByTestId("admin-status")).toHaveText(t.restored(groupName));
    await expect(row).toHaveCount(0);

    // The owner's group is back, and its note with it.
    await owner.page.goto(`/${locale}/groups/${group.id}`);
    await expect(owner.page.getByRole("heading", { level: 1, name: groupName })).toBeVisible();
    await expect(owner.page.getByTestId("activity")).toContainText(body);
    await owner.context.close();
  });
}

test("editors see only the articles part of the console; members none of it", async ({ page, context }) => {
  await useOwnAddress(context);
  await signUp(context);
  const me = await (await context.request.get("/api/me")).json();
  expect((await page.goto("/en/admin"))?.status()).toBe(404);
  await setSiteRole(me.user.id, "editor");
  await page.goto("/en/admin");
  const nav = page.getByTestId("admin-nav");
  await expect(nav.getByRole("link")).toHaveText(["Overview", "Articles"]);
  expect((await page.goto("/en/admin/users"))?.status()).toBe(404);
  expect((await page.goto("/en/admin/groups"))?.status()).toBe(404);
  await page.goto("/en/admin/articles");
  await expect(page.getByTestId("editor-list")).toBeVisible();
});
