import { expect, SLUG, test } from "./fixtures";
import { signUp, useOwnAddress } from "./support/accounts";
import { waitForHealthy } from "./support/servers";

// Live updates (ADR 0010). scripts/e2e-server.ts runs a second instance of the app on port + 1
// against the same database: a note written through one instance must reach a stream held by
// the other, which only works through Postgres (LISTEN/NOTIFY), not through process memory.

const port = Number(process.env.E2E_PORT ?? 3100);
const secondBase = `http://127.0.0.1:${port + 1}`;

/** Reads an SSE response and resolves when an event matches. */
function sseReader(response: Response) {
  const events: { event: string; data: unknown; at: number }[] = [];
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let cut: number;
        while ((cut = buffer.indexOf("\n\n")) !== -1) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let event = "message";
          let data = "";
          for (const line of block.split("\n")) {
            if (line.startsWith("event: ")) event = line.slice(7);
            else if (line.startsWith("data: ")) data += line.slice(6);
          }
          if (data) events.push({ event, data: JSON.parse(data), at: performance.now() });
        }
      }
    } catch {
      // Cancelled.
    }
  })();
  return {
    events,
    async waitFor(predicate: (e: { event: string; data: unknown }) => boolean, timeoutMs: number) {
      const deadline = performance.now() + timeoutMs;
      while (performance.now() < deadline) {
        const hit = events.find(predicate);
        if (hit) return hit;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`no matching event within ${timeoutMs} ms: ${JSON.stringify(events)}`);
    },
    async close() {
      await reader.cancel().catch(() => undefined);
      await pump;
    },
  };
}

test("a note written through instance A reaches a stream on instance B within 1 s", async ({ context, page }) => {
  test.setTimeout(90_000);
  await waitForHealthy(secondBase);
  const stream = await fetch(`${secondBase}/api/articles/${SLUG}/events`, { headers: { accept: "text/event-stream" } });
  expect(stream.status).toBe(200);
  expect(stream.headers.get("content-type")).toMatch(/^text\/event-stream/);
  const events = sseReader(stream);
  try {
    await events.waitFor((e) => e.event === "ready", 5_000);

    await useOwnAddress(context);
    await signUp(context);
    await page.goto(`/en/articles/${SLUG}?text=en`);
    const paragraphId = await page.locator("#p-4").getAttribute("data-paragraph-id");
    const response = await context.request.post("/api/notes", {
      data: { paragraphId, locale: "en", kind: "comment", visibility: "public", body: "Across instances", idempotencyKey: crypto.randomUUID().replaceAll("-", "") },
    });
    // From the moment the note exists (the create response) to the event on the other instance.
    const t0 = performance.now();
    expect(response.status()).toBe(201);
    const { note } = (await response.json()) as { note: { id: string } };
    const hit = await events.waitFor((e) => e.event === "note" && (e.data as { id: string }).id === note.id, 1_000);
    expect(hit.data).toMatchObject({ id: note.id, op: "created", paragraphKey: "p-4", note: { body: "Across instances" } });
    expect(hit.at - t0).toBeLessThan(1_000);
  } finally {
    await events.close();
  }
});

test("streams are capped per user and a closed stream frees its slot on the real server", async () => {
  await waitForHealthy(secondBase);
  const signUp = await fetch(`${secondBase}/api/auth/sign-up`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": "10.250.250.250" },
    body: JSON.stringify({ email: `live-cap-${Date.now()}@example.com`, name: "Many Tabs", password: "e2e password 123" }),
  });
  expect(signUp.status).toBe(201);
  const cookie = signUp.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const headers = { accept: "text/event-stream", cookie };
  const open = async () => {
    const abort = new AbortController();
    const response = await fetch(`${secondBase}/api/articles/${SLUG}/events`, { headers, signal: abort.signal });
    return { response, close: () => abort.abort() };
  };
  const streams = [];
  for (let i = 0; i < 10; i++) streams.push(await open());
  expect(streams.map((s) => s.response.status)).toEqual(Array(10).fill(200));
  const refused = await open();
  expect(refused.response.status).toBe(429);
  expect((await refused.response.json()).code).toBe("rate_limited");
  // The browser going away (a closed tab) must release the slot.
  streams.pop()!.close();
  await expect.poll(async () => {
    const again = await open();
    again.close();
    return again.response.status;
  }).toBe(200);
  for (const s of streams) s.close();
});

test("B, reading in Japanese, sees A's new note announced within 1 s without reloading", async ({ browser, expectNoA11yViolations }) => {
  const contextA = await browser.newContext();
  const contextB = await browser.newContext();
  try {
    await Promise.all([useOwnAddress(contextA), useOwnAddress(contextB)]);
    await signUp(contextA, { name: "Live Writer" });
    await signUp(contextB, { name: "Live Reader", locale: "ja" });
    // Unique per run: the database is shared by every test (and by --repeat-each).
    const first = `Live from the English side ${crypto.randomUUID().slice(0, 8)}`;
    const second = `A second live note ${crypto.randomUUID().slice(0, 8)}`;
    const pageA = await contextA.newPage();
    const pageB = await contextB.newPage();
    const errors: string[] = [];
    for (const p of [pageA, pageB]) {
      p.on("pageerror", (error) => errors.push(error.message));
      p.on("console", (message) => message.type() === "error" && errors.push(message.text()));
    }
    await pageA.goto(`/en/articles/${SLUG}?text=en`);
    await pageB.goto(`/ja/articles/${SLUG}?text=ja`);
    await expect(pageB.locator(".live-notes")).toHaveAttribute("data-live", "connected");
    const markerB = pageB.locator("#p-17 .note-marker");
    const before = Number(await markerB.getAttribute("data-count"));
    const textBefore = await pageB.locator("#p-17 .para-body").boundingBox();
    // null (not rendered) would equal null afterwards and prove nothing.
    expect(textBefore).not.toBeNull();

    // A posts a comment on ¶17 through the English reader.
    await pageA.locator("#p-17 .note-marker").click();
    const panelA = pageA.getByRole("complementary", { name: "Notes on paragraph 17" });
    await panelA.getByLabel("Your note").fill(first);
    await panelA.getByRole("radio", { name: "Everyone" }).check();
    await panelA.getByRole("button", { name: "Post note" }).click();

    // B: the count changes in place and a polite button offers the new note; the text stays put.
    // Other tests write to the same article at the same time: their notes may join the count.
    const button = pageB.getByRole("button", { name: /^新しいメモ \d+ 件$/ });
    await expect(button).toBeVisible({ timeout: 1_000 });
    expect(await button.textContent()).toMatch(/^新しいメモ [1-9]\d* 件$/);
    await expect(markerB).toHaveAttribute("data-count", String(before + 1), { timeout: 1_000 });
    const textAfter = await pageB.locator("#p-17 .para-body").boundingBox();
    expect(textAfter).not.toBeNull();
    expect(textAfter).toEqual(textBefore);
    await expect(pageB.locator(".live-notes")).toHaveAttribute("aria-live", "polite");
    await expectNoA11yViolations(pageB);

    // Clicking shows it: ¶17's thread opens with A's note (or "all notes", when notes written by
    // tests running in parallel arrived on other paragraphs too: then B opens ¶17 itself).
    await button.click();
    await expect(pageB.locator("#notes-panel")).toBeVisible();
    const panelB = pageB.getByRole("complementary", { name: "第17段落のメモ" });
    if (!(await panelB.isVisible())) await markerB.click();
    await expect(panelB.locator("article.note").filter({ hasText: first })).toBeVisible();
    await expect(markerB).toHaveAttribute("data-count", String(before + 1));

    // With the thread open, A's next note appears in it directly.
    await panelA.getByLabel("Your note").fill(second);
    await panelA.getByRole("button", { name: "Post note" }).click();
    await expect(panelB.locator("article.note").filter({ hasText: second })).toBeVisible({ timeout: 1_000 });
    await expect(markerB).toHaveAttribute("data-count", String(before + 2), { timeout: 1_000 });
    expect(errors).toEqual([]);
  } finally {
    await contextA.close();
    await contextB.close();
  }
});
