import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import type { APIRequestContext } from "@playwright/test";
import { expect, SLUG, test } from "./fixtures";
import { signUp, useOwnAddress } from "./support/accounts";

// Discussion in a study group: group note with an @mention picked by keyboard, the mentioned
// member's notification, helpful reactions, an answered question, and the layer switcher.
// Groups have no UI in this branch yet, so the group and its members are inserted directly into
// the e2e server's database (scripts/e2e-server.ts writes its URL next to the build).

const port = Number(process.env.E2E_PORT ?? 3100);
const reader = (locale: "en" | "ja") => `/${locale}/articles/${SLUG}?text=${locale}`;

async function userId(request: APIRequestContext): Promise<string> {
  const response = await request.get("/api/me");
  return ((await response.json()) as { user: { id: string } }).user.id;
}

async function createGroup(name: string, ownerId: string, memberIds: string[]): Promise<string> {
  const url = readFileSync(path.join(".next", `e2e-database-url-${port}`), "utf8").trim();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO "group" (id, name, created_by_id, updated_at) VALUES (gen_random_uuid(), $1, $2, now()) RETURNING id`,
      [name, ownerId],
    );
    const groupId = rows[0]!.id;
    for (const [index, id] of [ownerId, ...memberIds].entries()) {
      await client.query(`INSERT INTO group_member (group_id, user_id, role) VALUES ($1, $2, $3)`, [groupId, id, index === 0 ? "owner" : "member"]);
    }
    return groupId;
  } finally {
    await client.end();
  }
}

test("group question with a keyboard @mention → notification → helpful → answered → layers hide it", async ({ browser, page, context, expectNoA11yViolations }) => {
  test.setTimeout(90_000);
  await useOwnAddress(context);
  const suffix = Math.random().toString(36).slice(2, 6);
  const aliceName = `Alice ${suffix}`;
  const bobName = `Bob ${suffix}`;
  await signUp(context, { name: aliceName });
  const aliceId = await userId(context.request);

  const bobContext = await browser.newContext();
  await useOwnAddress(bobContext);
  await signUp(bobContext, { name: bobName });
  const bobId = await userId(bobContext.request);
  const groupName = `Study circle ${suffix}`;
  await createGroup(groupName, aliceId, [bobId]);

  // Alice asks the group a question on paragraph 3 and mentions Bob, picking him by keyboard.
  await page.goto(reader("en"));
  await page.locator("#p-19 .note-marker").click();
  const panel = page.getByRole("complementary", { name: "Notes on paragraph 19" });
  await panel.getByRole("radio", { name: `Group: ${groupName}` }).check();
  await panel.getByLabel("Tag").selectOption("question");
  const box = panel.getByRole("combobox", { name: "Your note" });
  await box.click();
  await box.pressSequentially(`What does this mean, @${bobName.slice(0, 3)}`);
  const listbox = panel.getByRole("listbox", { name: "Group members" });
  await expect(listbox.getByRole("option", { name: bobName })).toBeVisible();
  await expect(box).toHaveAttribute("aria-activedescendant", /mention-0$/);
  await box.press("ArrowDown");
  await box.press("ArrowUp");
  await box.press("Enter");
  await expect(box).toHaveValue(`What does this mean, @${bobName} `);
  await box.pressSequentially("?");
  await panel.getByRole("button", { name: "Post note" }).click();
  const question = panel.locator("article.note").filter({ hasText: "What does this mean" });
  await expect(question.getByTestId("group-chip")).toHaveText(`Group: ${groupName}`);
  await expect(question).not.toHaveClass(/note-pending/);

  // Bob's header shows one unread notification; the notifications page links to the note.
  const bobPage = await bobContext.newPage();
  await bobPage.goto(reader("en"));
  await expect(bobPage.getByTestId("header-notifications")).toHaveText("Notifications (1)");
  await expect(bobPage.locator("#p-19 [data-testid=question-badge]")).toHaveText("?1");
  await bobPage.getByTestId("header-notifications").click();
  await expect(bobPage.getByRole("heading", { name: "Notifications" })).toBeVisible();
  const item = bobPage.getByTestId("notification").first();
  await expect(item).toContainText(`${aliceName} mentioned you`);
  await expect(item).toContainText("Unread");
  await expectNoA11yViolations(bobPage);
  await item.getByRole("link").click();
  await expect(bobPage).toHaveURL(/#note-[0-9a-f-]{36}$/);
  const bobPanel = bobPage.getByRole("complementary", { name: "Notes on paragraph 19" });
  const seen = bobPanel.locator("article.note.note-targeted");
  await expect(seen).toContainText("What does this mean");
  await expect(bobPage.getByTestId("header-notifications")).toHaveText("Notifications");

  // Bob finds it helpful and answers.
  const helpful = seen.getByTestId("helpful-button");
  await helpful.click();
  await expect(helpful).toHaveAttribute("aria-pressed", "true");
  await expect(helpful).toContainText("1");
  await seen.getByRole("button", { name: "Reply" }).click();
  await bobPanel.getByLabel("Your reply").fill("It means the export rules changed.");
  await bobPanel.getByRole("button", { name: "Post reply" }).click();
  await expect(bobPanel.getByRole("article", { name: `Written by ${bobName}` })).not.toHaveClass(/note-pending/);

  // Alice marks Bob's reply as the answer.
  await page.reload();
  await page.locator("#p-19 .note-marker").click();
  const reply = panel.getByRole("article", { name: `Written by ${bobName}` });
  await expect(panel.getByRole("article", { name: `Written by ${aliceName}` }).getByTestId("helpful-total")).toContainText("1");
  await reply.getByRole("button", { name: "Mark as answer" }).click();
  await expect(reply.getByTestId("answer-chip")).toHaveText("Answer");
  await expect(page.locator("#p-19 [data-testid=question-badge]")).toHaveCount(0);
  await panel.getByRole("button", { name: "Close" }).click();

  // Layers: hiding the group hides its two notes from the margin counts (other tests may add
  // public notes to the shared database, so the count is compared with what it was).
  const marker = page.locator("#p-19 .note-marker");
  const before = Number(await marker.getAttribute("data-count"));
  expect(before).toBeGreaterThanOrEqual(2);
  const switcher = page.getByTestId("layer-switcher");
  await switcher.locator("summary").click();
  await expectNoA11yViolations(page);
  await switcher.getByRole("checkbox", { name: `Group: ${groupName}` }).uncheck();
  await expect(marker).toHaveAttribute("data-count", String(before - 2));
  await page.reload();
  await expect(marker).toHaveAttribute("data-count", String(before - 2));
  await page.getByTestId("layer-switcher").locator("summary").click();
  await expect(page.getByTestId("layer-switcher").getByRole("checkbox", { name: `Group: ${groupName}` })).not.toBeChecked();
  await expect(page.getByTestId("layer-switcher").getByRole("checkbox", { name: "Public notes" })).toBeChecked();

  // Japanese: the reader with the switcher open and the notifications page pass axe too.
  await page.goto(reader("ja"));
  await page.getByTestId("layer-switcher").locator("summary").click();
  await expectNoA11yViolations(page);
  await bobPage.goto("/ja/notifications");
  await expect(bobPage.getByRole("heading", { name: "通知" })).toBeVisible();
  await expectNoA11yViolations(bobPage);
  await bobContext.close();
});
