import { expect, SLUG, test } from "./fixtures";
import { signUp, useOwnAddress } from "./support/accounts";
import { selectInParagraph } from "./support/selection";

// Issue 4's whole story in one test: invite link → join → a Japanese highlight in the group
// layer reaches the English reader live → a reply that mentions → a notification → an
// outsider sees nothing.

test("invite → join → Japanese group highlight appears live on the English view → mention reply → notification; outsiders see nothing", async ({ browser }) => {
  test.setTimeout(120_000);
  const suffix = Math.random().toString(36).slice(2, 6);
  const make = async (name: string) => {
    const context = await browser.newContext();
    await useOwnAddress(context);
    await signUp(context, { name });
    return { context, page: await context.newPage(), name };
  };
  const a = await make(`Aoi ${suffix}`);
  const b = await make(`Ben ${suffix}`);
  const c = await make(`Cy ${suffix}`);

  // A creates the group and an invite link; B joins through the link's page.
  const groupName = `Live circle ${suffix}`;
  const created = await (await a.context.request.post("/api/groups", { data: { name: groupName } })).json();
  const invite = await (await a.context.request.post(`/api/groups/${created.group.id}/invites`, { data: { expiresIn: "7d" } })).json();
  await b.page.goto(invite.path.replace(/^\/ja\//, "/en/"));
  await b.page.getByRole("button", { name: `Join ${groupName}` }).click();
  await expect(b.page).toHaveURL(new RegExp(`/en/groups/${created.group.id}$`));

  // B reads the English text; C (not a member) too.
  await b.page.goto(`/en/articles/${SLUG}?text=en`);
  await c.page.goto(`/en/articles/${SLUG}?text=en`);
  // Other specs share this database: count from what is there now.
  const before = Number(await b.page.locator("#p-4 .note-marker").getAttribute("data-count"));
  const outsiderBefore = Number(await c.page.locator("#p-4 .note-marker").getAttribute("data-count"));

  // A highlights Japanese ¶4 for the group.
  await a.page.goto(`/ja/articles/${SLUG}?text=ja`);
  const jaText = (await a.page.locator("#p-4 .para-body > [data-text-locale='ja']").textContent())!;
  await a.page.locator("#p-4").scrollIntoViewIfNeeded();
  await selectInParagraph(a.page, "p-4", "ja", 0, 5);
  await a.page.getByRole("group", { name: "選択したテキスト" }).getByRole("button", { name: "注釈を書く" }).click();
  const panelA = a.page.getByRole("complementary", { name: "第4段落のメモ" });
  await panelA.getByRole("radio", { name: `グループ：${groupName}` }).check();
  await panelA.getByRole("combobox", { name: "メモ" }).fill("この部分の訳し方を話し合いたい");
  await panelA.getByRole("button", { name: "投稿する" }).click();
  const posted = panelA.locator("article.note").filter({ hasText: "この部分の訳し方" });
  await expect(posted).not.toHaveClass(/note-pending/);
  const postedAt = Date.now();
  const noteId = (await posted.getAttribute("id"))!.replace("note-", "");

  // B, on the English view, gets it without reloading: the margin count moves and the
  // announcement offers it.
  await expect(b.page.locator("#p-4 .note-marker")).toHaveAttribute("data-count", String(before + 1), { timeout: 5_000 });
  expect(Date.now() - postedAt).toBeLessThan(5_000);
  await b.page.locator("#p-4 .note-marker").click();
  const panelB = b.page.getByRole("complementary", { name: "Notes on paragraph 4" });
  const seen = panelB.locator(`#note-${noteId}`);
  await expect(seen).toContainText("この部分の訳し方");
  await expect(seen.locator(".lang-badge")).toContainText("JA");
  await expect(seen.locator("blockquote")).toHaveText(jaText.slice(0, 5));

  // B replies, mentioning A by name (picked from the autocomplete).
  await seen.getByRole("button", { name: "Reply" }).click();
  const replyBox = panelB.getByRole("combobox", { name: "Your reply" });
  await replyBox.click();
  await replyBox.pressSequentially(`Agreed @${a.name.slice(0, 3)}`);
  await expect(panelB.getByRole("listbox", { name: "Group members" }).getByRole("option", { name: a.name })).toBeVisible();
  await replyBox.press("Enter");
  await panelB.getByRole("button", { name: "Post reply" }).click();
  await expect(panelB.locator(".note-replies article.note").filter({ hasText: "Agreed" })).not.toHaveClass(/note-pending/);

  // A is notified.
  await a.page.goto("/ja/notifications");
  await expect(a.page.getByTestId("notification").first()).toContainText(b.name);

  // C, who is not in the group: 404 for the note, no count, nothing in the page.
  expect((await c.context.request.get(`/api/notes/${noteId}`)).status()).toBe(404);
  await c.page.reload();
  await expect(c.page.locator("#p-4 .note-marker")).toHaveAttribute("data-count", String(outsiderBefore));
  expect(await c.page.content()).not.toContain("この部分の訳し方");

  for (const user of [a, b, c]) await user.context.close();
});
