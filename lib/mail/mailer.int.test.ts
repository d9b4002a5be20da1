import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createAppTestDatabase } from "@/lib/testing/test-database";
import { startSmtpSink, type SmtpSink } from "@/lib/testing/smtp-sink";

// Mail through the outbox and the queue to a real SMTP server (smtp-server in the test, ADR 0033):
// what arrives, the retry after the server refuses the first attempt, the "logged" outbox copy
// without SMTP_URL, and header injection refused before anything is stored.

type Mailer = typeof import("@/lib/mail/mailer");
type Queue = typeof import("@/lib/jobs/queue");
type Prisma = ReturnType<typeof import("@/lib/db/prisma").getPrisma>;

let db: Awaited<ReturnType<typeof createAppTestDatabase>>;
let mailer: Mailer;
let queue: Queue;
let prisma: Prisma;
let renderMail: typeof import("@/lib/mail/render").renderMail;
let sink: SmtpSink | null = null;

beforeAll(async () => {
  db = await createAppTestDatabase("mail");
  process.env.LOG_LEVEL = "silent";
  process.env.MAIL_FROM = "Taiyaku Test <no-reply@taiyaku.test>";
  await import("@/app/job-handlers");
  mailer = await import("@/lib/mail/mailer");
  queue = await import("@/lib/jobs/queue");
  renderMail = (await import("@/lib/mail/render")).renderMail;
  prisma = (await import("@/lib/db/prisma")).getPrisma();
}, 120_000);

afterEach(async () => {
  delete process.env.SMTP_URL;
  await sink?.close();
  sink = null;
});

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

function message(overrides: Partial<Parameters<Mailer["queueMail"]>[0]> = {}): Parameters<Mailer["queueMail"]>[0] {
  const body = renderMail("ja", {
    heading: "見出し <b>",
    paragraphs: ["一段落目 & <script>", "二段落目"],
    action: { label: "開く", url: "https://taiyaku.test/ja/x?a=1&b=2" },
    footer: ["配信停止はこちら"],
  });
  return { to: "hanako@example.test", toName: "山田 花子", locale: "ja", subject: "テストの件名", kind: "notification", ...body, ...overrides };
}

describe("renderMail", () => {
  it("builds text and escaped HTML from the same parts, in the locale's layout", () => {
    const { text, html } = message();
    expect(text).toContain("一段落目 & <script>");
    expect(text).toContain("開く:\nhttps://taiyaku.test/ja/x?a=1&b=2");
    expect(text).toContain("このメールは Taiyaku から自動で送信されています");
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain("一段落目 &amp; &lt;script&gt;");
    expect(html).not.toContain("<script>");
    expect(html).toContain('href="https://taiyaku.test/ja/x?a=1&amp;b=2"');
    expect(() => renderMail("en", { heading: "x", paragraphs: [], action: { label: "x", url: "javascript:alert(1)" } })).toThrow(/refusing/);
  });
});

describe("queueMail", () => {
  it("refuses header injection in the name, subject, address or extra headers, storing nothing", async () => {
    const before = await prisma.mailOutbox.count();
    const bads: Partial<Parameters<Mailer["queueMail"]>[0]>[] = [
      { toName: "Eve\r\nBcc: victim@example.test" },
      { toName: "Eve\nX-Injected: 1" },
      { subject: "Hello\r\nBcc: victim@example.test" },
      { to: "eve@example.test\r\nBcc: victim@example.test" },
      { to: "Eve <eve@example.test>" },
      { to: "a@example.test, b@example.test" },
      { headers: { "List-Unsubscribe": "<https://x.test/u>\r\nBcc: victim@example.test" } },
      { headers: { "Bcc": "victim@example.test" } },
      { headers: { "X-Bad:Name": "1" } },
    ];
    for (const bad of bads) {
      await expect(mailer.queueMail(message(bad))).rejects.toBeInstanceOf(mailer.MailRefused);
    }
    expect(await prisma.mailOutbox.count()).toBe(before);
  });

  it("is delivered by the queue to a real SMTP server: sender, recipient name, subject, text, HTML, headers", async () => {
    sink = await startSmtpSink();
    process.env.SMTP_URL = sink.url;
    const { id } = await mailer.queueMail(
      message({ headers: { "List-Unsubscribe": "<https://taiyaku.test/u/abc>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" } }),
    );
    expect((await prisma.mailOutbox.findUniqueOrThrow({ where: { id } })).status).toBe("queued");
    await queue.runDueJobs();
    const [mail] = await sink.waitFor(1);
    expect(mail!.subject).toBe("テストの件名");
    expect(mail!.from?.value[0]).toMatchObject({ address: "no-reply@taiyaku.test", name: "Taiyaku Test" });
    expect(mail!.to && !Array.isArray(mail!.to) ? mail!.to.value[0] : null).toMatchObject({ address: "hanako@example.test", name: "山田 花子" });
    expect(mail!.text).toContain("一段落目 & <script>");
    expect(mail!.html).toContain("一段落目 &amp; &lt;script&gt;");
    const header = (name: string) => mail!.headerLines.find((line) => line.key === name)?.line;
    expect(header("list-unsubscribe-post")).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    expect(header("list-unsubscribe")).toBe("List-Unsubscribe: <https://taiyaku.test/u/abc>");
    const row = await prisma.mailOutbox.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "sent", attempts: 1 });
    expect(row.sentAt).not.toBeNull();
  });

  it("is retried with backoff after the SMTP server refuses the first attempt", async () => {
    sink = await startSmtpSink({ rejectFirst: 1 });
    process.env.SMTP_URL = sink.url;
    const { id } = await mailer.queueMail(message({ subject: "Retry me" }));
    const first = await queue.runDueJobs();
    expect(first.failed).toBe(1);
    expect(sink.rejected()).toBe(1);
    expect(sink.messages).toHaveLength(0);
    let row = await prisma.mailOutbox.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "queued", attempts: 1 });
    expect(row.lastError).toMatch(/451|Temporary failure/);
    const job = await prisma.job.findFirstOrThrow({ where: { kind: mailer.MAIL_JOB, payload: { equals: { mailId: id } } } });
    expect(job).toMatchObject({ status: "pending", attempts: 1 });
    // Not before the backoff…
    await queue.runDueJobs();
    expect(sink.messages).toHaveLength(0);
    // …then delivered.
    await queue.runDueJobs({ now: new Date(Date.now() + 60_000) });
    const [mail] = await sink.waitFor(1);
    expect(mail!.subject).toBe("Retry me");
    row = await prisma.mailOutbox.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "sent", attempts: 2 });
    expect((await prisma.job.findUniqueOrThrow({ where: { id: job.id } })).status).toBe("done");
  });

  it("without SMTP_URL the outbox row is the delivered copy (logged)", async () => {
    const { id } = await mailer.queueMail(message({ subject: "Logged only" }));
    await queue.runDueJobs();
    const row = await prisma.mailOutbox.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe("logged");
    expect(row.sentAt).not.toBeNull();
    expect(row.text).toContain("https://taiyaku.test/ja/x?a=1&b=2");
  });

  it("queued in the caller's transaction: a rolled-back change sends nothing", async () => {
    const before = await prisma.mailOutbox.count();
    await expect(
      prisma.$transaction(async (tx) => {
        await mailer.queueMail(message({ subject: "Never" }), tx);
        throw new Error("rollback");
      }),
    ).rejects.toThrow("rollback");
    expect(await prisma.mailOutbox.count()).toBe(before);
  });
});
