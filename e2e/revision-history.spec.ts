import { createHash, randomBytes, randomUUID } from "node:crypto";
import type pg from "pg";
import { expect, test } from "./fixtures";
import { signUp, useOwnAddress } from "./support/accounts";
import { withDatabase } from "./support/database";

// Issue 11: the revision history (a per-paragraph diff in both languages) and "notes whose
// passage changed" under the reader's text. Each test writes its own article with two revisions
// straight into the database, as publishing leaves it (paragraph matching is tested elsewhere):
//   revision 1: p-1 "…Tokyo…", p-2
//   revision 2: p-3 inserted at the top, p-1 "…Osaka…", p-2 removed (parked at position 0)

const hash = (text: string) => createHash("sha256").update(text).digest("hex");

const P1_BEFORE = { en: "The minister visited Tokyo on Monday.", ja: "大臣は月曜日に東京を訪れた。" };
const P1_AFTER = { en: "The minister visited Osaka on Monday.", ja: "大臣は月曜日に大阪を訪れた。" };
const P2 = { en: "Officials said the plan was approved.", ja: "当局者は計画が承認されたと述べた。" };
const P3 = { en: "A new opening paragraph.", ja: "新しい冒頭の段落。" };

type Fixture = { slug: string; articleId: string; paragraphs: Record<string, string>; editorName: string };

async function createArticle(client: pg.Client): Promise<Fixture> {
  const slug = `revision-history-${randomBytes(4).toString("hex")}`;
  const meta = {
    slug,
    originalLocale: "en",
    source: "Test Wire",
    publishedAt: "2026-11-01",
    tags: [],
    translations: { en: { title: "Ministers and revisions", summary: "S" }, ja: { title: "大臣と改訂", summary: "要約" } },
  };
  const editorId = randomUUID();
  const editorName = `Editor ${randomBytes(2).toString("hex")}`;
  await client.query(`INSERT INTO "user" (id, name, email, updated_at) VALUES ($1, $2, $3, now())`, [editorId, editorName, `${editorId}@example.com`]);
  const {
    rows: [article],
  } = await client.query<{ id: string }>(
    `INSERT INTO article (id, slug, original_locale, source, published_at, revision, first_published_at, updated_at)
     VALUES (gen_random_uuid(), $1, 'en', 'Test Wire', '2026-11-01', 2, now(), now()) RETURNING id::text`,
    [slug],
  );
  const articleId = article!.id;
  for (const [locale, title] of [["en", "Ministers and revisions"], ["ja", "大臣と改訂"]]) {
    await client.query(`INSERT INTO article_translation (article_id, locale, title, summary, content_hash, updated_at) VALUES ($1, $2, $3, 'S', $4, now())`, [
      articleId,
      locale,
      title,
      hash(title!),
    ]);
  }
  const paragraphs: Record<string, string> = {};
  for (const [key, position, removedIn, text] of [
    ["p-3", 1, null, P3],
    ["p-1", 2, null, P1_AFTER],
    ["p-2", 0, 2, P2],
  ] as const) {
    const {
      rows: [row],
    } = await client.query<{ id: string }>(
      `INSERT INTO paragraph (id, article_id, key, position, removed_in_revision) VALUES (gen_random_uuid(), $1, $2, $3, $4) RETURNING id::text`,
      [articleId, key, position, removedIn],
    );
    paragraphs[key] = row!.id;
    for (const locale of ["en", "ja"] as const) {
      await client.query(`INSERT INTO paragraph_text (paragraph_id, locale, text, content_hash, updated_at) VALUES ($1, $2, $3, $4, now())`, [
        row!.id,
        locale,
        text[locale],
        hash(text[locale]),
      ]);
    }
  }
  const snapshot1 = { meta, paragraphs: [{ key: "p-1", heading: false, text: P1_BEFORE }, { key: "p-2", heading: false, text: P2 }] };
  const snapshot2 = { meta, paragraphs: [{ key: "p-3", heading: false, text: P3 }, { key: "p-1", heading: false, text: P1_AFTER }] };
  await client.query(
    `INSERT INTO article_revision (id, article_id, number, author_id, summary, snapshot, created_at) VALUES
       (gen_random_uuid(), $1, 1, NULL, 'Imported', $2, now() - interval '1 day'),
       (gen_random_uuid(), $1, 2, $3, 'New opening; Tokyo → Osaka', $4, now())`,
    [articleId, JSON.stringify(snapshot1), editorId, JSON.stringify(snapshot2)],
  );
  return { slug, articleId, paragraphs, editorName };
}

/** A note a revision left without its passage (as publishing marks it). */
async function passageChangedNote(
  client: pg.Client,
  fixture: Fixture,
  input: { authorId: string; key: string; body: string; quote: string; visibility: "public" | "private"; changedIn: number },
) {
  await client.query(
    `INSERT INTO note (id, article_id, paragraph_id, locale, author_id, kind, visibility, body, quote_exact, quote_prefix, quote_suffix,
       pos_start, pos_end, article_revision, passage_changed_at, passage_changed_in, updated_at)
     VALUES (gen_random_uuid(), $1, $2, 'en', $3, 'annotation', $4, $5, $6, '', '', $7, $8, 1, now(), $9, now())`,
    [
      fixture.articleId,
      fixture.paragraphs[input.key],
      input.authorId,
      input.visibility,
      input.body,
      input.quote,
      P1_AFTER.en.indexOf(input.quote),
      P1_AFTER.en.indexOf(input.quote) + input.quote.length,
      input.changedIn,
    ],
  );
}

for (const locale of ["en", "ja"] as const) {
  test(`the history lists the revisions and shows what changed, in both languages (${locale})`, async ({ page, expectNoA11yViolations }) => {
    const fixture = await withDatabase(createArticle);
    const t =
      locale === "en"
        ? { title: "Revision history", import: "import", added: "Added", removed: "Removed", changed: "Changed", compare: "Compare", unchanged: /unchanged/ }
        : { title: "改訂履歴", import: "インポート", added: "追加", removed: "削除", changed: "変更", compare: "比較", unchanged: /変更のない/ };

    // From the reader, through its link.
    await page.goto(`/${locale}/articles/${fixture.slug}`);
    await page.getByTestId("history-link").click();
    await expect(page).toHaveURL(new RegExp(`/${locale}/articles/${fixture.slug}/history$`));
    await expect(page.getByRole("heading", { level: 1 })).toContainText(t.title);

    // Newest first; the import has no author.
    const rows = page.getByTestId("revision-list").locator("tbody tr");
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(0)).toContainText(fixture.editorName);
    await expect(rows.nth(0)).toContainText("New opening; Tokyo → Osaka");
    await expect(rows.nth(1)).toContainText(t.import);

    // The default comparison: revision 1 → 2, paragraph by paragraph, matched by key.
    const diff = page.getByTestId("revision-diff");
    await expect(page.getByTestId("diff-p-3")).toHaveAttribute("data-kind", "added");
    await expect(page.getByTestId("diff-p-3")).toContainText(t.added);
    await expect(page.getByTestId("diff-p-2")).toHaveAttribute("data-kind", "removed");
    await expect(page.getByTestId("diff-p-2").locator("del").first()).toContainText(P2.en);
    const changed = page.getByTestId("diff-p-1");
    await expect(changed).toHaveAttribute("data-kind", "changed");
    // Inline, in both languages, with labels that do not rely on colour.
    await expect(changed.locator('p[lang="en"] del')).toContainText("Tokyo");
    await expect(changed.locator('p[lang="en"] ins')).toContainText("Osaka");
    await expect(changed.locator('p[lang="ja"] del')).toContainText("東京");
    await expect(changed.locator('p[lang="ja"] ins')).toContainText("大阪");
    await expect(changed.locator("del .visually-hidden").first()).toHaveAttribute("lang", locale);
    await expectNoA11yViolations();

    // The same revision on both sides: nothing to compare (a plain GET form, keyboard only).
    await page.getByLabel(locale === "en" ? "Older" : "古い方").selectOption("2");
    await page.getByRole("button", { name: t.compare }).focus();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/from=2&to=2/);
    await expect(diff).toHaveCount(0);

    // The paragraph's key opens the same paragraph in the reader.
    await page.goto(`/${locale}/articles/${fixture.slug}/history?from=1&to=2`);
    await changed.getByRole("link").first().click();
    await expect(page).toHaveURL(new RegExp(`/${locale}/articles/${fixture.slug}#p-1$`));
    await expect(page.locator("#p-1")).toBeInViewport();
  });
}

test.describe("unreadable articles", () => {
  // The 404 below is the point: the browser logs it as an error.
  test.use({ allowHttpErrorStatus: true });

  test("a draft's history is the ordinary 404", async ({ page }) => {
    const fixture = await withDatabase(createArticle);
    await withDatabase((client) => client.query(`UPDATE article SET status = 'draft' WHERE id = $1`, [fixture.articleId]));
    const response = await page.goto(`/en/articles/${fixture.slug}/history`);
    expect(response?.status()).toBe(404);
  });
});

test("notes whose passage changed are listed under the text, not drawn in it; private ones only for their author", async ({
  page,
  context,
  browser,
  expectNoA11yViolations,
}) => {
  const fixture = await withDatabase(createArticle);
  await useOwnAddress(context);
  await signUp(context, { name: "Ada Annotator" });
  const me = (await (await context.request.get("/api/me")).json()) as { user: { id: string } };
  await withDatabase(async (client) => {
    await passageChangedNote(client, fixture, { authorId: me.user.id, key: "p-1", body: "A public note about the minister", quote: "minister", visibility: "public", changedIn: 2 });
    await passageChangedNote(client, fixture, { authorId: me.user.id, key: "p-1", body: "My private thought", quote: "visited", visibility: "private", changedIn: 2 });
    await passageChangedNote(client, fixture, { authorId: me.user.id, key: "p-2", body: "On the removed paragraph", quote: "Officials", visibility: "public", changedIn: 2 });
  });

  // The author: their private note too (from the reader state).
  await page.goto(`/en/articles/${fixture.slug}`);
  const section = page.getByTestId("passage-changed");
  await expect(section.getByRole("heading", { name: /Notes whose passage changed/ })).toBeVisible();
  await section.locator("summary").focus();
  await page.keyboard.press("Enter");
  const notes = section.getByTestId("passage-changed-note");
  await expect(notes).toHaveCount(3);
  await expect(notes.filter({ hasText: "My private thought" })).toContainText("Private");
  await expect(notes.filter({ hasText: "On the removed paragraph" })).toContainText("Paragraph removed in revision 2");
  await expect(notes.filter({ hasText: "A public note about the minister" })).toContainText("Passage changed in revision 2");
  await expect(notes.filter({ hasText: "A public note about the minister" })).toContainText("Written on revision 1");
  await expect(notes.filter({ hasText: "A public note about the minister" }).locator('blockquote[lang="en"]')).toHaveText("minister");
  // "minister" is still in p-1 at the same place, yet the note is not drawn there.
  await expect(page.locator("#p-1 mark.hl")).toHaveCount(0);
  await expectNoA11yViolations();

  // Someone else (signed out): the public ones only, from the cached page.
  const visitor = await browser.newContext();
  const other = await visitor.newPage();
  await other.goto(`/ja/articles/${fixture.slug}`);
  const theirs = other.getByTestId("passage-changed");
  await expect(theirs.getByRole("heading", { name: /箇所が変更されたノート/ })).toBeVisible();
  await theirs.locator("summary").click();
  await expect(theirs.getByTestId("passage-changed-note")).toHaveCount(2);
  await expect(theirs).not.toContainText("My private thought");
  await visitor.close();
});
