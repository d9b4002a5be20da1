import { randomBytes, randomUUID } from "node:crypto";
import type { BrowserContext } from "@playwright/test";
import { expect, test } from "./fixtures";
import { signUp, useOwnAddress } from "./support/accounts";
import { waitForHealthy } from "./support/servers";
import { setSiteRole, withDatabase } from "./support/database";

// Caches that agree across instances (ADR 0022). scripts/e2e-server.ts runs a second instance on
// port + 1 against the same database. Each test has B serve a page from its cache (a HIT, so
// the test proves something), writes through A, and then expects B's very next signed-out page
// load to show the write within 1 s of A's acknowledgement.

const port = Number(process.env.E2E_PORT ?? 3100);
const secondBase = `http://127.0.0.1:${port + 1}`;
const DEADLINE_MS = 1_000;

test.describe.configure({ timeout: 90_000 });

/** A signed-out page load on B: no cookie, so the shared cached page is what B answers with. */
async function loadOnB(path: string): Promise<{ html: string; cache: string | null }> {
  const response = await fetch(`${secondBase}${path}`);
  expect(response.status).toBe(200);
  return { html: await response.text(), cache: response.headers.get("x-nextjs-cache") };
}

/** Loads the page on B until B answers from its cache, and returns that cached page. */
async function cachedOnB(path: string): Promise<string> {
  for (let i = 0; i < 5; i++) {
    const { html, cache } = await loadOnB(path);
    if (cache === "HIT") return html;
  }
  throw new Error(`B never served ${path} from its cache`);
}

/**
 * Fresh page loads on B from the write's acknowledgement until `seen` holds, at most 1 s:
 * returns how long it took.
 */
async function seenOnB(path: string, acknowledgedAt: number, seen: (html: string) => boolean): Promise<number> {
  for (;;) {
    const { html } = await loadOnB(path);
    const elapsed = performance.now() - acknowledgedAt;
    if (seen(html)) return elapsed;
    if (elapsed > DEADLINE_MS) throw new Error(`B still served the old page ${Math.round(elapsed)} ms after the write`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The note count in the margin marker of one paragraph, as the server rendered it. */
function noteCount(html: string, key: string): number {
  const start = html.indexOf(`data-paragraph-key="${key}"`);
  expect(start, `paragraph ${key} on the page`).toBeGreaterThan(-1);
  const next = html.indexOf("data-paragraph-key=", start + 1);
  const match = /data-count="(\d+)"/.exec(html.slice(start, next === -1 ? undefined : next));
  return Number(match?.[1] ?? Number.NaN);
}

function paragraphId(html: string, key: string): string {
  const match = new RegExp(`data-paragraph-id="([0-9a-f-]{36})" data-paragraph-key="${key}"`).exec(html);
  expect(match, `paragraph ${key} id`).not.toBeNull();
  return match![1]!;
}

async function signedUp(context: BrowserContext, role?: "editor" | "moderator"): Promise<string> {
  await useOwnAddress(context);
  const { email } = await signUp(context);
  const me = await (await context.request.get("/api/me")).json();
  if (role === "moderator") await setSiteRole(me.user.id, "moderator");
  if (role === "editor") await withDatabase((client) => client.query(`UPDATE "user" SET role = 'editor' WHERE email = $1`, [email]));
  return me.user.id as string;
}

type ArticleDocument = {
  meta: Record<string, unknown>;
  rows: { heading: boolean; text: { en: string; ja: string } }[];
};

/** A public article of its own, published through A's authoring API (no other test writes to it). */
async function publishArticle(editor: BrowserContext): Promise<{ id: string; slug: string }> {
  const stamp = randomBytes(4).toString("hex");
  const document: ArticleDocument = {
    meta: {
      slug: "",
      originalLocale: "en",
      source: "Taiyaku e2e",
      publishedAt: "2026-11-01",
      tags: ["e2e"],
      translations: { en: { title: `Coherent caches ${stamp}`, summary: "A summary." }, ja: { title: `一貫したキャッシュ ${stamp}`, summary: "要約。" } },
    },
    rows: [
      { heading: false, text: { en: "The first paragraph of a cached page.", ja: "キャッシュされたページの第一段落。" } },
      { heading: false, text: { en: "The second paragraph of a cached page.", ja: "キャッシュされたページの第二段落。" } },
    ],
  };
  const created = await editor.request.post("/api/authoring/articles", { data: { document } });
  expect(created.status(), await created.text()).toBe(201);
  const { id, slug } = (await created.json()) as { id: string; slug: string };
  const published = await editor.request.post(`/api/authoring/articles/${id}/publish`, { data: { version: 1, summary: "" } });
  expect(published.status(), await published.text()).toBe(200);
  return { id, slug };
}

test.beforeAll(async () => {
  await waitForHealthy(secondBase);
});

test("a public note created through A shows on B's next page load within 1 s", async ({ browser }) => {
  const editor = await browser.newContext();
  await signedUp(editor, "editor");
  const { slug } = await publishArticle(editor);
  const path = `/en/articles/${slug}?text=en`;
  const before = await cachedOnB(path);
  expect(noteCount(before, "p-1")).toBe(0);

  const response = await editor.request.post("/api/notes", {
    data: { paragraphId: paragraphId(before, "p-1"), locale: "en", kind: "comment", visibility: "public", body: "Seen everywhere", idempotencyKey: randomUUID().replaceAll("-", "") },
  });
  const acknowledgedAt = performance.now();
  expect(response.status()).toBe(201);
  const ms = await seenOnB(path, acknowledgedAt, (html) => noteCount(html, "p-1") === 1);
  console.log(`[cache-coherence] note created on A → on B's page after ${Math.round(ms)} ms`);
  await editor.close();
});

test("a moderator's hide on A is gone from B's next page load within 1 s", async ({ browser }) => {
  const writer = await browser.newContext();
  await signedUp(writer, "editor");
  const { slug } = await publishArticle(writer);
  const path = `/en/articles/${slug}?text=en`;
  // The note is written before B ever renders the page (the paragraph's id read from A).
  const html = await (await writer.request.get(path)).text();
  const created = await writer.request.post("/api/notes", {
    data: { paragraphId: paragraphId(html, "p-2"), locale: "en", kind: "comment", visibility: "public", body: "Off topic", idempotencyKey: randomUUID().replaceAll("-", "") },
  });
  expect(created.status()).toBe(201);
  const { note } = (await created.json()) as { note: { id: string; version: number } };
  // B caches the page with the note on it.
  expect(noteCount(await cachedOnB(path), "p-2")).toBe(1);

  const moderator = await browser.newContext();
  await signedUp(moderator, "moderator");
  const hidden = await moderator.request.post(`/api/moderation/notes/${note.id}`, {
    data: { action: "hide", version: note.version, publicReason: "Off topic" },
  });
  const acknowledgedAt = performance.now();
  expect(hidden.status(), await hidden.text()).toBe(200);
  const ms = await seenOnB(path, acknowledgedAt, (page) => noteCount(page, "p-2") === 0);
  console.log(`[cache-coherence] note hidden on A → gone from B's page after ${Math.round(ms)} ms`);
  await writer.close();
  await moderator.close();
});

test("an article edit published on A shows on B's next page load within 1 s", async ({ browser }) => {
  const editor = await browser.newContext();
  await signedUp(editor, "editor");
  const { id, slug } = await publishArticle(editor);
  const path = `/en/articles/${slug}?text=en`;
  const marker = `Corrected ${randomBytes(4).toString("hex")}`;
  expect(await cachedOnB(path)).not.toContain(marker);

  const live = (await (await editor.request.get(`/api/authoring/articles/${id}`)).json()) as { draft: { document: ArticleDocument } };
  const document = live.draft.document;
  document.rows[0]!.text.en = `${marker}: the first paragraph of a cached page.`;
  const saved = await editor.request.put(`/api/authoring/articles/${id}/draft`, { data: { version: 0, document } });
  expect(saved.status(), await saved.text()).toBe(200);
  const { version } = (await saved.json()) as { version: number };
  const published = await editor.request.post(`/api/authoring/articles/${id}/publish`, { data: { version, summary: "Typo" } });
  const acknowledgedAt = performance.now();
  expect(published.status(), await published.text()).toBe(200);
  const ms = await seenOnB(path, acknowledgedAt, (html) => html.includes(marker));
  console.log(`[cache-coherence] article edit published on A → on B's page after ${Math.round(ms)} ms`);
  await editor.close();
});
