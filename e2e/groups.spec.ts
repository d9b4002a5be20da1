import { expect, SLUG, test } from "./fixtures";
import { randomEmail, signUp, TEST_PASSWORD, useOwnAddress } from "./support/accounts";

// The last-owner refusal is a 409 the browser logs as a failed resource load.
test.use({ allowHttpErrorStatus: true });

test("create a group, invite a newcomer who signs up from the link, promote, leave; the last owner stays", async ({
  browser,
  page,
  context,
  expectNoA11yViolations,
}) => {
  await useOwnAddress(context);
  await signUp(context, { name: "Ann Owner" });

  // A creates a group on "My groups" (English).
  await page.goto("/en/groups");
  await expect(page.getByRole("heading", { level: 1, name: "My groups" })).toBeVisible();
  await expectNoA11yViolations();
  await page.getByLabel("Group name").fill("Kanji circle");
  await page.getByLabel("Description").fill("We read the news in Japanese.");
  await page.getByLabel("Language focus").selectOption("ja");
  await page.getByRole("button", { name: "Create group" }).click();
  await expect(page).toHaveURL(/\/en\/groups\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1, name: "Kanji circle" })).toBeVisible();
  const groupPath = new URL(page.url()).pathname;

  // …and an invite link, shown once.
  await page.getByLabel("Valid for").selectOption("1d");
  await page.getByLabel("Use limit").fill("5");
  await page.getByRole("button", { name: "Create invite link" }).click();
  const link = await page.getByTestId("invite-link").inputValue();
  expect(link).toMatch(/\/en\/invite\/[A-Za-z0-9_-]{43}$/);
  await expect(page.getByTestId("invite-manager").getByRole("listitem")).toHaveCount(1);
  await expectNoA11yViolations();

  // B opens the link signed out, in Japanese, and signs up from the invite page.
  const otherContext = await browser.newContext();
  await useOwnAddress(otherContext);
  const b = await otherContext.newPage();
  const invitePath = new URL(link).pathname.replace("/en/", "/ja/");
  await b.goto(invitePath);
  await expect(b.getByTestId("invite-group")).toContainText("Kanji circle");
  await expectNoA11yViolations(b);
  await b.getByTestId("invite-sign-up").click();
  await expect(b).toHaveURL(/\/ja\/sign-up\?next=/);
  await b.getByLabel("表示名").fill("Ben Guest");
  await b.getByLabel("メールアドレス").fill(randomEmail());
  await b.getByLabel("パスワード").fill(TEST_PASSWORD);
  await b.getByRole("button", { name: "アカウントを作成" }).click();
  await expect(b).toHaveURL(new RegExp(`${invitePath}$`));
  await b.getByRole("button", { name: "Kanji circle に参加" }).click();
  await expect(b).toHaveURL(new RegExp(`/ja${groupPath.slice(3)}$`));
  await expect(b.getByTestId("member")).toHaveCount(2);
  await expect(b.getByTestId("member-list")).toContainText("Ann Owner");
  await expect(b.getByTestId("member-list")).toContainText("Ben Guest");
  await expectNoA11yViolations(b);

  // Opening the link again: already a member, no second row.
  await b.goto(invitePath);
  await expect(b.getByText("このグループにはすでに参加しています。")).toBeVisible();

  // A promotes B to moderator.
  await page.reload();
  const benRow = page.getByTestId("member").filter({ hasText: "Ben Guest" });
  await benRow.getByLabel("Role of Ben Guest").selectOption("moderator");
  await benRow.getByRole("button", { name: "Change role: Ben Guest" }).click();
  await expect(benRow.getByTestId("member-role")).toHaveText("moderator");

  // B, now a moderator, sees invite management; then leaves.
  await b.goto(groupPath.replace("/en/", "/ja/"));
  await expect(b.getByRole("heading", { name: "招待リンク" })).toBeVisible();
  await b.getByTestId("leave-group").getByRole("button", { name: "グループを退出" }).click();
  await b.getByRole("button", { name: "はい、続ける" }).click();
  await expect(b).toHaveURL(/\/ja\/groups$/);
  await expect(b.getByText("まだどのグループにも参加していません。", { exact: false })).toBeVisible();
  // Former members get the ordinary 404 page, like anyone who was never in the group.
  expect((await b.goto(groupPath))?.status()).toBe(404);
  await otherContext.close();

  // A is the only owner: leaving is refused with a clear message.
  await page.reload();
  await expect(page.getByTestId("member")).toHaveCount(1);
  await page.getByTestId("leave-group").getByRole("button", { name: "Leave group" }).click();
  await page.getByRole("button", { name: "Yes, continue" }).click();
  await expect(page.getByTestId("leave-group").getByRole("alert")).toContainText("You are the group’s only owner.");
  await expect(page).toHaveURL(new RegExp(`${groupPath}$`));
});

test("a garbled invite link explains itself; /groups sends signed-out visitors to sign-in", async ({ page, context, expectNoA11yViolations }) => {
  await useOwnAddress(context);
  await page.goto("/ja/invite/not-a-real-token");
  await expect(page.getByRole("heading", { level: 1, name: "この招待は使えません" })).toBeVisible();
  await expectNoA11yViolations();
  await page.goto("/en/groups");
  await expect(page).toHaveURL(/\/en\/sign-in\?next=%2Fen%2Fgroups$/);
});

test("My groups works on a phone @phone", async ({ page, context, expectNoA11yViolations }) => {
  await useOwnAddress(context);
  await signUp(context, { name: "Phone Reader", locale: "ja" });
  await page.goto("/ja/groups");
  await page.getByLabel("グループ名").fill("通勤読書会");
  await page.getByRole("button", { name: "グループを作成" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "通勤読書会" })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expectNoA11yViolations();
  // Dark mode, with the destructive confirmation open.
  await page.emulateMedia({ colorScheme: "dark" });
  await page.getByRole("button", { name: "グループを削除" }).click();
  await expect(page.getByRole("button", { name: "はい、続ける" })).toBeVisible();
  await expectNoA11yViolations();
  await page.getByRole("button", { name: "はい、続ける" }).click();
  await expect(page).toHaveURL(/\/ja\/groups$/);
  await expect(page.getByTestId("my-groups")).toHaveCount(0);
});

test("the activity feed lists group notes 20 at a time and links to each note", async ({ page, context, expectNoA11yViolations }) => {
  await useOwnAddress(context);
  await signUp(context, { name: "Feed Writer" });
  const created = await context.request.post("/api/groups", { data: { name: "Feed group" }, headers: { "x-ui-locale": "en" } });
  expect(created.status()).toBe(201);
  const groupId = (await created.json()).group.id as string;

  await page.goto(`/en/articles/${SLUG}`);
  const paragraphId = await page.locator("#p-3").getAttribute("data-paragraph-id");
  const ids: string[] = [];
  for (let i = 0; i < 21; i++) {
    const data = { paragraphId, locale: "en", kind: "comment", visibility: "group", groupId, body: `Feed note ${i}`, idempotencyKey: `feed-note-${i}-${groupId.slice(0, 8)}` };
    let response = await context.request.post("/api/notes", { data });
    // Notes are limited to bursts of 8: wait out the bucket instead of failing the setup.
    while (response.status() === 429) {
      await page.waitForTimeout(((await response.json()).retryAfterSeconds as number) * 1000);
      response = await context.request.post("/api/notes", { data });
    }
    expect(response.status()).toBe(201);
    ids.push((await response.json()).note.id);
  }

  await page.goto(`/en/groups/${groupId}`);
  const feed = page.getByTestId("activity");
  await expect(feed.getByRole("listitem")).toHaveCount(20);
  await expect(feed.getByRole("listitem").first()).toContainText("Feed note 20");
  await expect(feed.getByRole("listitem").first()).toContainText("wrote on ¶3 of");
  await expect(page.getByRole("link", { name: "Open the note" }).first()).toHaveAttribute("href", `/en/articles/${SLUG}#note-${ids[20]}`);
  await expect(page.getByText("21 group notes")).toBeVisible();
  await expectNoA11yViolations();
  await page.getByTestId("older-activity").click();
  await expect(feed.getByRole("listitem")).toHaveCount(1);
  await expect(feed).toContainText("Feed note 0");
  await expect(page.getByTestId("older-activity")).toHaveCount(0);
  await page.getByRole("link", { name: "Open the note" }).click();
  await expect(page).toHaveURL(new RegExp(`/en/articles/${SLUG}#note-${ids[0]}$`));
});
