import { randomUUID } from "node:crypto";
import { expect, SLUG, test } from "./fixtures";
import { signUp, useOwnAddress } from "./support/accounts";
import { withDatabase } from "./support/database";

// Notification mail (ADR 0035) in both interface languages: the preferences on the profile page
// (saved, kept after a reload, axe clean), and the unsubscribe link of a real notification mail
// (from the outbox: the e2e server has no SMTP_URL) opened signed out, honoured with one click.

const text = {
  en: {
    heading: "Notification mail",
    replies: "Replies to my notes",
    moderation: "Moderation notices about my notes",
    weekly: "Weekly digest",
    never: "Never",
    save: "Save mail settings",
    saved: "Mail settings saved.",
    unverified: "Notification mail goes only to a verified address",
    stopHeading: "Stop notification mail",
    unsubscribe: "Unsubscribe",
    done: "Done. You will no longer get mails about replies to your notes.",
    invalid: "This unsubscribe link is not valid",
  },
  ja: {
    heading: "通知メール",
    replies: "自分のメモへの返信",
    moderation: "自分のメモへのモデレーション通知",
    weekly: "毎週のダイジェスト",
    never: "送らない",
    save: "メール設定を保存",
    saved: "メール設定を保存しました。",
    unverified: "通知メールは確認済みのアドレスにだけ送られます",
    stopHeading: "通知メールの配信停止",
    unsubscribe: "配信を停止する",
    done: "完了しました。今後、自分のメモへの返信のメールは届きません。",
    invalid: "この配信停止リンクは無効です",
  },
} as const;

test.beforeEach(async ({ context }) => {
  await useOwnAddress(context);
});

for (const locale of ["en", "ja"] as const) {
  const t = text[locale];

  test(`choose how often notifications are mailed on the profile page (${locale})`, async ({ page, context, expectNoA11yViolations }) => {
    await signUp(context, { locale });
    await page.goto(`/${locale}/profile`);
    const section = page.getByRole("region", { name: t.heading });
    await expect(section).toBeVisible();
    await expect(section.getByTestId("mail-unverified")).toContainText(t.unverified);
    // The defaults: replies in the daily digest, moderation notices at once.
    await expect(section.getByLabel(t.replies)).toHaveValue("daily");
    await expect(section.getByLabel(t.moderation)).toHaveValue("immediate");

    await section.getByLabel(t.replies).selectOption({ label: t.weekly });
    await section.getByLabel(t.moderation).selectOption({ label: t.never });
    await section.getByRole("button", { name: t.save }).click();
    await expect(section.getByRole("status")).toHaveText(t.saved);
    await expectNoA11yViolations();

    await page.reload();
    await expect(page.getByRole("region", { name: t.heading }).getByLabel(t.replies)).toHaveValue("weekly");
    await expect(page.getByRole("region", { name: t.heading }).getByLabel(t.moderation)).toHaveValue("never");
  });

  test(`the unsubscribe link of a notification mail works signed out (${locale})`, async ({ context, browser, expectNoA11yViolations }) => {
    test.setTimeout(60_000);
    const author = await signUp(context, { locale });
    const { authorId, paragraphId } = await withDatabase(async (client) => {
      const user = await client.query<{ id: string }>(
        `UPDATE "user" SET email_verified = true, mail_replies = 'immediate', preferred_locale = $2 WHERE email = $1 RETURNING id`,
        [author.email, locale],
      );
      const paragraph = await client.query<{ id: string }>(
        `SELECT p.id FROM paragraph p JOIN article a ON a.id = p.article_id WHERE a.slug = $1 AND p.position = 4`,
        [SLUG],
      );
      return { authorId: user.rows[0]!.id, paragraphId: paragraph.rows[0]!.id };
    });
    const created = await context.request.post("/api/notes", {
      data: { paragraphId, locale: "en", kind: "comment", visibility: "public", body: `Mail me about replies ${randomUUID().slice(0, 6)}`, idempotencyKey: randomUUID() },
    });
    expect(created.status(), await created.text()).toBe(201);
    const noteId = (await created.json()).note.id as string;

    const replier = await browser.newContext();
    await useOwnAddress(replier);
    await signUp(replier, { locale: "en" });
    const replied = await replier.request.post("/api/notes", { data: { parentId: noteId, locale: "en", body: "A reply worth a mail", idempotencyKey: randomUUID() } });
    expect(replied.status(), await replied.text()).toBe(201);
    await replier.close();

    // The mail run waits a few seconds to coalesce bursts; start it now and wake the worker.
    await withDatabase((client) =>
      client.query(`UPDATE job SET run_at = now() WHERE kind = 'notification-mail' AND status = 'pending'; SELECT pg_notify('job_events', 'notification-mail')`),
    );
    let mailText = "";
    await expect
      .poll(
        async () => {
          const rows = await withDatabase((client) => client.query<{ text: string }>(`SELECT text FROM mail_outbox WHERE user_id = $1 AND kind = 'notification'`, [authorId]));
          mailText = rows.rows[0]?.text ?? "";
          return mailText;
        },
        { timeout: 30_000 },
      )
      .toContain(`/${locale}/unsubscribe?token=`);
    const link = /https?:\/\/[^/\s]+(\/(?:en|ja)\/unsubscribe\?token=[A-Za-z0-9._-]+)/.exec(mailText)![1]!;

    // Signed out: a fresh context without the author's cookies.
    const stranger = await browser.newContext();
    const signedOut = await stranger.newPage();
    await signedOut.goto(link);
    await expect(signedOut.getByRole("heading", { level: 1, name: t.stopHeading })).toBeVisible();
    // Opening the link changed nothing (mail scanners open links).
    const before = await withDatabase((client) => client.query<{ mail_replies: string }>(`SELECT mail_replies FROM "user" WHERE id = $1`, [authorId]));
    expect(before.rows[0]!.mail_replies).toBe("immediate");
    await signedOut.getByRole("button", { name: t.unsubscribe }).click();
    await expect(signedOut.getByTestId("unsubscribe").getByRole("status")).toHaveText(t.done);
    await expectNoA11yViolations(signedOut);
    const after = await withDatabase((client) => client.query<{ mail_replies: string }>(`SELECT mail_replies FROM "user" WHERE id = $1`, [authorId]));
    expect(after.rows[0]!.mail_replies).toBe("never");

    await signedOut.goto(`/${locale}/unsubscribe?token=u1.${authorId}.reply.forged`);
    await expect(signedOut.getByRole("heading", { level: 1, name: t.invalid })).toBeVisible();
    await stranger.close();
  });
}
