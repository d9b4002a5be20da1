import type { BrowserContext } from "@playwright/test";
import { expect, SLUG, test } from "./fixtures";
import { signUp, useOwnAddress } from "./support/accounts";
import { setSiteRole } from "./support/database";

const reader = (locale: "en" | "ja") => `/${locale}/articles/${SLUG}?text=${locale}`;

async function newUser(browser: import("@playwright/test").Browser, name: string, locale: "en" | "ja" = "en") {
  const context = await browser.newContext();
  await useOwnAddress(context);
  await signUp(context, { name, locale });
  const me = await (await context.request.get("/api/me")).json();
  const page = await context.newPage();
  return { context, page, id: me.user.id as string, name };
}

async function json(context: BrowserContext, method: "POST" | "PATCH", url: string, data: unknown) {
  const response = await context.request.fetch(url, { method, data, headers: { "content-type": "application/json" } });
  expect(response.ok(), await response.text()).toBe(true);
  return response.json();
}

test("a flagged group note is hidden by the group's moderator, disappears live for members, is restored, and both actions are logged", async ({ browser }) => {
  const owner = await newUser(browser, "Olga Owner");
  const author = await newUser(browser, "Aki Author", "ja");
  const flagger = await newUser(browser, "Finn Flagger");

  const { group } = await json(owner.context, "POST", "/api/groups", { name: "Moderated reading circle" });
  const invite = await json(owner.context, "POST", `/api/groups/${group.id}/invites`, { expiresIn: "7d" });
  for (const member of [author, flagger]) await json(member.context, "POST", `/api/invites/${invite.token}/join`, {});

  await author.page.goto(reader("en"));
  const paragraphId = await author.page.locator("#p-10").getAttribute("data-paragraph-id");
  const { note } = await json(author.context, "POST", "/api/notes", {
    paragraphId,
    locale: "en",
    kind: "comment",
    visibility: "group",
    groupId: group.id,
    body: "Buy cheap watches at example.com",
    idempotencyKey: crypto.randomUUID().replaceAll("-", ""),
  });

  // A member flags it from the reader.
  await flagger.page.goto(reader("en"));
  await flagger.page.locator("#p-10 .note-marker").click();
  const flaggerPanel = flagger.page.locator("#notes-panel");
  const flaggedNote = flaggerPanel.locator(`#note-${note.id}`);
  await expect(flaggedNote).toContainText("cheap watches");
  await flaggedNote.getByRole("button", { name: "Flag" }).click();
  await flaggedNote.getByLabel("Reason").selectOption("spam");
  await flaggedNote.getByRole("button", { name: "Send flag" }).click();
  await expect(flaggedNote.getByText("You flagged this note.")).toBeVisible();

  // The author keeps the thread open in Japanese while it is moderated.
  await author.page.goto(reader("ja"));
  await author.page.locator("#p-10 .note-marker").click();
  const authorOpen = author.page.locator(`#notes-panel #note-${note.id}`);
  await expect(authorOpen).toContainText("cheap watches");
  await expect(authorOpen.locator(".moderation-marker")).toHaveCount(0);

  // The group's owner (a group moderator) hides it from the queue, with a reason.
  await owner.page.goto(`/en/moderation?group=${group.id}`);
  const item = owner.page.locator(".moderation-item").filter({ hasText: "cheap watches" });
  await expect(item).toContainText("Finn Flagger: Spam");
  await expect(item).toContainText("1 flag");
  await item.getByLabel("Action").selectOption("hide");
  await item.getByLabel("Reason shown to the author").fill("Advertising is not allowed here.");
  await item.getByLabel("Internal note (moderators only)").fill("Second spam post this week.");
  await item.getByRole("button", { name: "Apply" }).click();
  // Handled: it leaves the open queue once the page refreshes; the queue's own status region
  // still says what happened (the item's message went with the item).
  await expect(item).toHaveCount(0);
  await expect(owner.page.getByTestId("queue-status")).toHaveText("Done: hidden.");

  // The member whose thread is open sees it go without reloading.
  await expect(flaggerPanel.locator(`#note-${note.id}`)).toHaveCount(0, { timeout: 5_000 });
  expect((await flagger.context.request.get(`/api/notes/${note.id}`)).status()).toBe(404);

  // The author's open thread marks it at once (it stays theirs to read).
  await expect(authorOpen.locator(".moderation-marker")).toContainText("モデレーターにより非表示", { timeout: 5_000 });
  await expect(authorOpen).toContainText("cheap watches");

  // The author is told why and still sees the note, marked.
  await author.page.goto("/ja/notifications");
  await expect(author.page.getByText("理由：Advertising is not allowed here.")).toBeVisible();
  await author.page.goto(reader("ja"));
  await author.page.locator("#p-10 .note-marker").click();
  const ownView = author.page.locator(`#notes-panel #note-${note.id}`);
  await expect(ownView).toContainText("cheap watches");
  await expect(ownView.locator(".moderation-marker")).toContainText("モデレーターにより非表示");

  // Restore from the "hidden" view of the queue; the note comes back unchanged.
  await owner.page.goto(`/en/moderation?status=hidden&group=${group.id}`);
  const hiddenItem = owner.page.locator(".moderation-item").filter({ hasText: "cheap watches" });
  await hiddenItem.getByLabel("Action").selectOption("restore");
  await hiddenItem.getByRole("button", { name: "Apply" }).click();
  await expect(hiddenItem).toHaveCount(0);
  const restored = await (await flagger.context.request.get(`/api/notes/${note.id}`)).json();
  expect(restored.note.body).toBe("Buy cheap watches at example.com");

  // Both actions are in the group's log, with the internal note for moderators only.
  await owner.page.goto("/en/moderation/log");
  const rows = owner.page.locator("table.moderation-log tbody tr");
  await expect(rows.filter({ hasText: "Hide" })).toContainText("Second spam post this week.");
  await expect(rows.filter({ hasText: "Restore" })).toHaveCount(1);
  const csv = await owner.context.request.get("/api/moderation/log?format=csv");
  expect(await csv.text()).toContain("Advertising is not allowed here.");

  // A member who is not a moderator has no queue.
  expect((await flagger.context.request.get("/api/moderation/queue")).status()).toBe(404);
  for (const user of [owner, author, flagger]) await user.context.close();
});

test("a suspended user sees why and cannot write", async ({ browser }) => {
  const admin = await newUser(browser, "Ada Admin");
  await setSiteRole(admin.id, "admin");
  const member = await newUser(browser, "Sam Suspended", "ja");
  const until = new Date(Date.now() + 3 * 24 * 3600_000).toISOString();
  await json(admin.context, "POST", `/api/moderation/users/${member.id}/suspension`, { reason: "Repeated spam links", endsAt: until });

  await member.page.goto(reader("ja"));
  await member.page.locator("#p-3 .note-marker").click();
  const notice = member.page.locator("#notes-panel [data-testid='suspension-notice']");
  await expect(notice).toContainText("Repeated spam links");
  await expect(notice).toContainText("利用停止中");
  await expect(member.page.locator("#notes-panel textarea")).toHaveCount(0);
  const refused = await member.context.request.post("/api/notes", {
    data: { paragraphId: await member.page.locator("#p-3").getAttribute("data-paragraph-id"), locale: "ja", kind: "comment", visibility: "public", body: "x", idempotencyKey: "abcdefgh12345" },
    headers: { "x-ui-locale": "ja" },
  });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).message).toContain("Repeated spam links");

  // Lifting it gives the composer back.
  const lifted = await admin.context.request.delete(`/api/moderation/users/${member.id}/suspension`, { data: { reason: "Appeal accepted" } });
  expect(lifted.ok()).toBe(true);
  await member.page.reload();
  await member.page.locator("#p-3 .note-marker").click();
  await expect(member.page.locator("#notes-panel textarea").first()).toBeVisible();
  await admin.context.close();
  await member.context.close();
});

for (const locale of ["en", "ja"] as const) {
  test(`axe: moderation queue and log (${locale})`, async ({ page, context, expectNoA11yViolations }) => {
    await useOwnAddress(context);
    await signUp(context, { locale });
    const me = await (await context.request.get("/api/me")).json();
    await setSiteRole(me.user.id, "moderator");
    // Something in the queue, so the item and its forms are checked too.
    const writer = await context.browser()!.newContext();
    await useOwnAddress(writer);
    await signUp(writer);
    const writerPage = await writer.newPage();
    await writerPage.goto(reader("en"));
    const paragraphId = await writerPage.locator("#p-6").getAttribute("data-paragraph-id");
    const created = await writer.request.post("/api/notes", {
      data: { paragraphId, locale: "en", kind: "comment", visibility: "public", body: "Flag me", idempotencyKey: crypto.randomUUID().replaceAll("-", "") },
    });
    const { note } = await created.json();
    expect((await context.request.post(`/api/notes/${note.id}/flag`, { data: { reason: "off_topic" } })).status()).toBe(201);
    await writer.close();

    await page.goto(`/${locale}/moderation`);
    await expect(page.locator(".moderation-item").first()).toBeVisible();
    await expectNoA11yViolations();
    await page.goto(`/${locale}/moderation/log`);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoA11yViolations();
  });
}
