import type { Browser, BrowserContext } from "@playwright/test";
import { expect, SLUG, test } from "./fixtures";
import { signUp, useOwnAddress } from "./support/accounts";
import { setSiteRole, withDatabase } from "./support/database";
import { selectInParagraph } from "./support/selection";

// Issue 10 (part 6): the selection popover after a write, "you flagged this" after a reload,
// suspended readers, and long paragraph threads in pages. Each test keeps to paragraphs no other
// spec writes to (p-14, p-16, p-18, p-21).

const reader = (locale: "en" | "ja") => `/${locale}/articles/${SLUG}?text=${locale}`;

async function newUser(browser: Browser, name: string, locale: "en" | "ja" = "en") {
  const context = await browser.newContext();
  await useOwnAddress(context);
  await signUp(context, { name, locale });
  const me = await (await context.request.get("/api/me")).json();
  const page = await context.newPage();
  return { context, page, id: me.user.id as string, name };
}

async function postNote(context: BrowserContext, paragraphId: string, body: string) {
  const response = await context.request.post("/api/notes", {
    data: { paragraphId, locale: "en", kind: "comment", visibility: "public", body, idempotencyKey: crypto.randomUUID().replaceAll("-", "") },
  });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()).note as { id: string };
}

test("the selection popover comes back after Highlight, after Annotate + post and after Annotate + cancel", async ({ page, context }) => {
  await useOwnAddress(context);
  await signUp(context);
  await page.goto(reader("en"));
  const popover = page.getByRole("group", { name: "Selected text" });

  // Highlight: the popover goes away under the pointer (the click left the mouse on it)…
  await selectInParagraph(page, "p-14", "en", 0, 5);
  await popover.getByRole("button", { name: "Highlight" }).click();
  await expect(page.locator("#p-14 mark.hl")).toHaveCount(1);
  await expect(popover).toBeHidden();
  // …and selecting other words shows it again, without a reload.
  await selectInParagraph(page, "p-14", "en", 10, 20);
  await expect(popover.getByRole("button", { name: "Annotate" })).toBeVisible();

  // Annotate, then post.
  await popover.getByRole("button", { name: "Annotate" }).click();
  const panel = page.getByRole("complementary", { name: "Notes on paragraph 14" });
  await expect(panel.getByText("Selected passage")).toBeVisible();
  await expect(popover).toBeHidden();
  await panel.getByLabel("Your note").fill("Annotated, then selected again");
  await panel.getByRole("button", { name: "Post note" }).click();
  await expect(panel.locator("article.note").filter({ hasText: "Annotated, then selected again" })).toBeVisible();
  // The paragraph is redrawn with the new annotation's mark; a selection made before that redraw
  // lands on text nodes that are then replaced (as it would for a reader selecting that instant).
  await expect.poll(() => page.locator("#p-14 mark.hl").count()).toBeGreaterThanOrEqual(2);
  await selectInParagraph(page, "p-14", "en", 25, 35);
  await expect(popover.getByRole("button", { name: "Highlight" })).toBeVisible();

  // Annotate, then cancel.
  await popover.getByRole("button", { name: "Annotate" }).click();
  await expect(panel.getByText("Selected passage")).toBeVisible();
  await panel.getByRole("button", { name: "Cancel" }).click();
  await expect(panel.getByText("Selected passage")).toBeHidden();
  await selectInParagraph(page, "p-14", "en", 40, 48);
  await expect(popover.getByRole("button", { name: "Annotate" })).toBeVisible();
});

test("a flagged note still says “You flagged this note.” after a reload", async ({ browser }) => {
  const author = await newUser(browser, "Ana Author");
  const flagger = await newUser(browser, "Fei Flagger");
  await author.page.goto(reader("en"));
  const paragraphId = (await author.page.locator("#p-16").getAttribute("data-paragraph-id"))!;
  const { id } = await postNote(author.context, paragraphId, "A note worth flagging");

  const page = flagger.page;
  await page.goto(reader("en"));
  await page.locator("#p-16 .note-marker").click();
  const note = page.locator(`#notes-panel #note-${id}`);
  await note.getByRole("button", { name: "Flag" }).click();
  await note.getByLabel("Reason").selectOption("spam");
  await note.getByRole("button", { name: "Send flag" }).click();
  await expect(note.getByText("You flagged this note.")).toBeVisible();

  await page.reload();
  await page.locator("#p-16 .note-marker").click();
  await expect(note).toContainText("A note worth flagging");
  await expect(note.getByText("You flagged this note.")).toBeVisible();
  await expect(note.getByRole("button", { name: "Flag" })).toHaveCount(0);

  // Someone else still gets the Flag button.
  const other = await newUser(browser, "Olu Other");
  await other.page.goto(reader("en"));
  await other.page.locator("#p-16 .note-marker").click();
  await expect(other.page.locator(`#notes-panel #note-${id}`).getByRole("button", { name: "Flag" })).toBeVisible();
  for (const user of [author, flagger, other]) await user.context.close();
});

test("a suspended reader has no way to write: no passage picker, composer, reply or popover actions; the notice stays", async ({
  browser,
  expectNoA11yViolations,
}) => {
  const admin = await newUser(browser, "Ada Admin");
  await setSiteRole(admin.id, "admin");
  const writer = await newUser(browser, "Wen Writer");
  const member = await newUser(browser, "Sol Suspended");
  await writer.page.goto(reader("en"));
  const paragraphId = (await writer.page.locator("#p-18").getAttribute("data-paragraph-id"))!;
  const { id } = await postNote(writer.context, paragraphId, "Readable by the suspended reader");
  const until = new Date(Date.now() + 3 * 24 * 3600_000).toISOString();
  const suspended = await admin.context.request.post(`/api/moderation/users/${member.id}/suspension`, {
    data: { reason: "Repeated spam links", endsAt: until },
  });
  expect(suspended.ok(), await suspended.text()).toBe(true);

  const page = member.page;
  await page.goto(reader("en"));
  await page.locator("#p-18 .note-marker").click();
  const panel = page.locator("#notes-panel");
  await expect(panel.getByTestId("suspension-notice")).toContainText("Repeated spam links");
  await expect(panel.locator(`#note-${id}`)).toContainText("Readable by the suspended reader");
  await expect(panel.getByRole("button", { name: "Annotate a passage" })).toHaveCount(0);
  await expect(panel.locator("textarea")).toHaveCount(0);
  await expect(panel.getByRole("button", { name: "Reply" })).toHaveCount(0);
  await expect(panel.getByRole("button", { name: /Helpful/ })).toHaveCount(0);
  await expectNoA11yViolations(page);

  // Selecting text offers nothing to write with either.
  await selectInParagraph(page, "p-18", "en", 0, 6);
  await page.waitForTimeout(400);
  await expect(page.getByRole("group", { name: "Selected text" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Highlight" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Annotate", exact: true })).toHaveCount(0);

  // The writer (not suspended) still has every way to write.
  await writer.page.locator("#p-18 .note-marker").click();
  await expect(writer.page.locator("#notes-panel").getByRole("button", { name: "Annotate a passage" })).toBeVisible();
  for (const user of [admin, writer, member]) await user.context.close();
});

test("a paragraph with 120 threads opens at its newest 50; “Older notes” loads the rest above them", async ({ page, context, expectNoA11yViolations }) => {
  await useOwnAddress(context);
  await signUp(context, { name: "Pat Pager" });
  const me = await (await context.request.get("/api/me")).json();
  // Straight into the database: 120 API writes would take long and hit the write limit. Dated
  // in 2001 so they never push other specs' notes off the first page of "All notes".
  await withDatabase((client) =>
    client.query(
      `INSERT INTO note (id, article_id, paragraph_id, locale, author_id, kind, visibility, body, created_at, updated_at)
       SELECT gen_random_uuid(), p.article_id, p.id, 'en', $1, 'comment', 'public', 'Paged note #' || lpad(g::text, 3, '0'),
         timestamptz '2001-01-01 00:00:00+00' + g * interval '1 minute', now()
       FROM paragraph p JOIN article a ON a.id = p.article_id, generate_series(1, 120) g
       WHERE a.slug = $2 AND p.key = 'p-21'`,
      [me.user.id, SLUG],
    ),
  );

  await page.goto(reader("en"));
  await page.locator("#p-21 .note-marker").click();
  const panel = page.getByRole("complementary", { name: "Notes on paragraph 21" });
  const threads = panel.locator(".note-threads > li > article.note");
  await expect(threads).toHaveCount(50);
  await expect(panel.getByText("Showing the newest 50 of 120 threads")).toBeVisible();
  // Oldest first within what is loaded: #071 … #120, the newest next to the composer.
  await expect(threads.first()).toContainText("Paged note #071");
  await expect(threads.last()).toContainText("Paged note #120");
  await expect(panel.getByText("Paged note #070")).toHaveCount(0);

  const older = panel.getByRole("button", { name: "Older notes" });
  await older.click();
  await expect(threads).toHaveCount(100);
  await expect(panel.getByText("Showing the newest 100 of 120 threads")).toBeVisible();
  await expect(threads.first()).toContainText("Paged note #021");
  await older.click();
  await expect(threads).toHaveCount(120);
  await expect(older).toHaveCount(0);
  await expect(threads.first()).toContainText("Paged note #001");
  await expect(threads.last()).toContainText("Paged note #120");
  const bodies = await threads.locator(".note-body, p").allTextContents();
  const numbers = bodies.join("\n").match(/#\d{3}/g) ?? [];
  expect(new Set(numbers).size).toBe(120);
  await expectNoA11yViolations(page);
});
