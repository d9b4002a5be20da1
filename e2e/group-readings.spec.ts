import { createHash, randomBytes } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "./fixtures";
import { signUp, useOwnAddress } from "./support/accounts";
import { withDatabase } from "./support/database";

// Group readings (ADR 0019): a group owner's reading is read by a member at /{locale}/readings/
// {slug}; an outsider gets the ordinary 404 there and at /articles/{slug}, and search finds
// nothing for them. The reading is inserted into the e2e server's database (the authoring UI is
// tested in its own spec); the group is made through the API like a user would.

// The outsider's 404s are logged by the browser as failed resource loads.
test.use({ allowHttpErrorStatus: true });

const sha = (text: string) => createHash("sha256").update(text).digest("hex");

async function userId(request: APIRequestContext): Promise<string> {
  return ((await (await request.get("/api/me")).json()) as { user: { id: string } }).user.id;
}

/** A published reading of the group, in both languages, with a word found nowhere else. */
async function createReading(groupId: string, ownerId: string, slug: string, word: string): Promise<void> {
  await withDatabase(async (client) => {
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO article (id, slug, status, group_id, created_by_id, original_locale, source, published_at, first_published_at, revision, updated_at)
       VALUES (gen_random_uuid(), $1, 'published', $2, $3, 'en', 'Class handout', '2026-11-20', now(), 1, now()) RETURNING id`,
      [slug, groupId, ownerId],
    );
    const articleId = rows[0]!.id;
    await client.query(
      `INSERT INTO article_translation (article_id, locale, title, summary, content_hash, updated_at) VALUES
       ($1, 'en', 'Our class reading', 'Read it before Friday.', $2, now()),
       ($1, 'ja', 'クラスの読み物', '金曜日までに読んでください。', $3, now())`,
      [articleId, sha(`${slug}en`), sha(`${slug}ja`)],
    );
    const texts = [
      { en: `The ${word} festival opens the season.`, ja: `${word}祭りで季節が始まります。` },
      { en: "Everyone in the class reads this paragraph.", ja: "クラスの全員がこの段落を読みます。" },
    ];
    for (const [index, text] of texts.entries()) {
      const { rows: paragraph } = await client.query<{ id: string }>(
        `INSERT INTO paragraph (id, article_id, key, position) VALUES (gen_random_uuid(), $1, $2, $3) RETURNING id`,
        [articleId, `p-${index + 1}`, index + 1],
      );
      await client.query(
        `INSERT INTO paragraph_text (paragraph_id, locale, text, content_hash, updated_at) VALUES ($1, 'en', $2, $3, now()), ($1, 'ja', $4, $5, now())`,
        [paragraph[0]!.id, text.en, sha(text.en), text.ja, sha(text.ja)],
      );
    }
    // Written row by row, not through applyDocument: the search document too (ADR 0021).
    await client.query(`SELECT refresh_article_search(ARRAY[$1::uuid])`, [articleId]);
  });
}

test("a member reads the group's reading at /readings; an outsider gets 404 and finds nothing", async ({ browser, page, context, expectNoA11yViolations }) => {
  test.setTimeout(90_000);
  const suffix = randomBytes(3).toString("hex");
  const slug = `class-reading-${suffix}`;
  const word = `zephyrine${suffix}`;

  // The owner makes a group; a member joins (inserted, like an accepted invite).
  await useOwnAddress(context);
  await signUp(context, { name: `Owner ${suffix}` });
  const created = await context.request.post("/api/groups", { data: { name: `Circle ${suffix}` }, headers: { "x-ui-locale": "en" } });
  expect(created.status()).toBe(201);
  const groupId = ((await created.json()) as { group: { id: string } }).group.id;
  const ownerId = await userId(context.request);
  await createReading(groupId, ownerId, slug, word);

  const memberContext = await browser.newContext();
  await useOwnAddress(memberContext);
  await signUp(memberContext, { name: `Member ${suffix}` });
  const memberId = await userId(memberContext.request);
  await withDatabase((client) => client.query(`INSERT INTO group_member (group_id, user_id, role) VALUES ($1, $2, 'member')`, [groupId, memberId]));

  // The owner's group page lists the reading and offers to add one.
  await page.goto(`/en/groups/${groupId}`);
  const readings = page.getByTestId("group-readings");
  await expect(readings.getByRole("heading", { level: 2, name: "Readings" })).toBeVisible();
  await expect(readings.getByRole("link", { name: "Our class reading" })).toHaveAttribute("href", `/en/readings/${slug}`);
  await expect(readings.getByTestId("add-reading")).toHaveAttribute("href", `/en/editor/new?group=${groupId}`);
  await expectNoA11yViolations();

  // The member reads it, in English and then in Japanese, side by side.
  const member = await memberContext.newPage();
  const response = await member.goto(`/en/readings/${slug}`);
  expect(response?.status()).toBe(200);
  await expect(member.getByRole("heading", { level: 1, name: "Our class reading" })).toBeVisible();
  await expect(member.getByTestId("group-reading-banner")).toContainText(`Circle ${suffix}`);
  await expect(member.locator("#p-1")).toContainText(word);
  await expect(member.locator('meta[name="robots"]')).toHaveAttribute("content", /noindex/);
  await expectNoA11yViolations(member);
  await member.getByTestId("text-mode-both").click();
  await expect(member).toHaveURL(new RegExp(`/en/readings/${slug}\\?text=both$`));
  await member.goto(`/ja/readings/${slug}`);
  await expect(member.getByRole("heading", { level: 1, name: "クラスの読み物" })).toBeVisible();
  await expect(member.getByTestId("group-reading-banner")).toContainText("メンバーだけ");
  await expectNoA11yViolations(member);

  // Members find it in search, marked as the group's, linking to /readings.
  await member.goto(`/en/search?q=${word}`);
  const result = member.getByTestId("search-result");
  await expect(result).toHaveCount(1);
  await expect(result.getByTestId("group-reading-mark")).toContainText(`Circle ${suffix}`);
  await expect(result.getByRole("link", { name: "Our class reading" })).toHaveAttribute("href", `/en/readings/${slug}`);

  // The public address is a 404 for everyone, members included.
  expect((await member.goto(`/en/articles/${slug}`))?.status()).toBe(404);

  // An outsider: 404 at both addresses, in both locales, and nothing in search.
  const outsiderContext = await browser.newContext();
  await useOwnAddress(outsiderContext);
  await signUp(outsiderContext, { name: `Outsider ${suffix}` });
  const outsider = await outsiderContext.newPage();
  for (const path of [`/en/readings/${slug}`, `/en/articles/${slug}`]) {
    expect((await outsider.goto(path))?.status(), path).toBe(404);
    await expect(outsider.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
    await expect(outsider.locator("body")).not.toContainText("Our class reading");
  }
  expect((await outsider.goto(`/ja/readings/${slug}`))?.status()).toBe(404);
  await expect(outsider.getByRole("heading", { level: 1, name: "ページが見つかりません" })).toBeVisible();
  await expectNoA11yViolations(outsider);
  await outsider.goto(`/en/search?q=${word}`);
  await expect(outsider.getByTestId("search-count")).toContainText("No articles found");
  await expect(outsider.getByTestId("search-result")).toHaveCount(0);
  await outsider.goto(`/ja/search?q=${word}`);
  await expect(outsider.getByTestId("search-result")).toHaveCount(0);
  // The reader APIs say the same.
  expect((await outsiderContext.request.get(`/api/notes?article=${slug}`)).status()).toBe(404);
  expect((await outsiderContext.request.get(`/api/articles/${slug}/export`)).status()).toBe(404);

  // Promoted to a public article (editors do it in the editor), the members-only address sends
  // everyone to the public one, keeping the text mode.
  await withDatabase((client) => client.query(`UPDATE article SET group_id = NULL WHERE slug = $1`, [slug]));
  const moved = await outsiderContext.request.get(`/en/readings/${slug}?text=both`, { maxRedirects: 0 });
  expect(moved.status()).toBe(307);
  expect(new URL(moved.headers().location!, "http://localhost").pathname + new URL(moved.headers().location!, "http://localhost").search).toBe(
    `/en/articles/${slug}?text=both`,
  );

  await Promise.all([memberContext.close(), outsiderContext.close()]);
});
