import { expect, SLUG, test } from "./fixtures";
import { signUp, useOwnAddress } from "./support/accounts";

// ADR 0012: every reader gets the same cached page; a signed-in reader's own highlights and
// counts arrive from POST /api/articles/{slug}/reading and are drawn in place.

const reader = (ui: "en" | "ja", text: "en" | "ja" | "both") => `/${ui}/articles/${SLUG}?text=${text}`;

test("a private highlight is drawn over the cached page after it loads, without moving the text; nobody else gets it", async ({ browser, page, context }) => {
  await useOwnAddress(context);
  await signUp(context, { name: "Mika Private" });

  // Hold the reader state back until the page has been measured without it.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/api/articles/*/reading", async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(reader("ja", "en"));
  const paragraph = page.locator("#p-7");
  const text = (await paragraph.locator(".para-body > [data-text-locale='en']").textContent()) ?? "";
  const exact = Array.from(text).slice(4, 24).join("");
  const created = await context.request.post("/api/notes", {
    data: {
      paragraphId: await paragraph.getAttribute("data-paragraph-id"),
      locale: "en",
      kind: "annotation",
      visibility: "private",
      body: "",
      tag: "vocabulary",
      range: { start: 4, end: 24, exact },
      idempotencyKey: crypto.randomUUID().replaceAll("-", ""),
    },
  });
  expect(created.status()).toBe(201);
  const id = ((await created.json()) as { note: { id: string } }).note.id;

  // The shared page (what the server sends this reader too) never carries the private note.
  const html = await (await context.request.get(reader("ja", "en"))).text();
  expect(html).not.toContain(id);

  await page.reload();
  const marker = paragraph.locator(".note-marker");
  const publicCount = Number(await marker.getAttribute("data-count"));
  await expect(paragraph.locator(`mark[data-note-id="${id}"]`)).toHaveCount(0);
  const before = await paragraph.boundingBox();
  release();

  const mark = paragraph.locator(`mark.hl-vocabulary[data-note-id="${id}"]`);
  await expect(mark).toHaveText(exact);
  await expect(marker).toHaveAttribute("data-count", String(publicCount + 1));
  // Redrawn in place: the paragraph keeps its box to the pixel.
  expect(await paragraph.boundingBox()).toEqual(before);
  // The reader's layers and groups came with it (the switcher shows only for a known reader).
  await expect(page.getByTestId("layer-switcher")).toBeVisible();

  // Another signed-in reader, English interface: the same page, their own state, no such mark.
  const other = await browser.newContext();
  await useOwnAddress(other);
  await signUp(other, { name: "Noa Other" });
  const otherPage = await other.newPage();
  await otherPage.goto(reader("en", "en"));
  await expect(otherPage.getByTestId("layer-switcher")).toBeVisible();
  await expect(otherPage.locator(`#p-7 mark[data-note-id="${id}"]`)).toHaveCount(0);
  await expect(otherPage.locator("#p-7 .note-marker")).toHaveAttribute("data-count", String(publicCount));
  const state = await other.request.post(`/api/articles/${SLUG}/reading`, { data: {} });
  expect(state.status()).toBe(200);
  expect(await state.text()).not.toContain(id);
  await other.close();
});
