import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { createAppTestDatabase } from "@/lib/testing/test-database";
import type { LiveListener } from "@/lib/live/listener";

// Graceful shutdown (ADR 0023): the production server emits `taiyaku:shutdown` on SIGTERM. Open
// streams must say "reconnect in 0.2 s" and end, a stream opened afterwards must end the same
// way at once, and the process's LISTEN connection must close. In its own file: the shutdown is
// one-way for the module, as it is for a process.

vi.mock("next/cache", () => ({ unstable_cache: <T>(fn: T) => fn, revalidateTag: vi.fn() }));

const SLUG = "japan-patriot-missile-export";
let db: Awaited<ReturnType<typeof createAppTestDatabase>>;
let liveApi: typeof import("./api");
let listener: LiveListener;

beforeAll(async () => {
  db = await createAppTestDatabase("live-shutdown");
  liveApi = await import("./api");
  const listenerModule = await import("@/lib/live/listener");
  // The process-wide listener, as the server uses it: it must end on the shutdown event.
  listener = listenerModule.getLiveListener();
  await listener.start();
});

afterAll(async () => {
  await listener?.stop();
  await (await import("@/lib/db/prisma")).getPrisma().$disconnect();
  await db?.drop();
});

/** Reads a stream to its end (or until the timeout) and returns its text. */
async function readAll(response: Response, timeoutMs: number): Promise<{ text: string; ended: boolean }> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) {
      await reader.cancel();
      return { text, ended: false };
    }
    const next = await Promise.race([reader.read(), new Promise<null>((resolve) => setTimeout(() => resolve(null), left))]);
    if (next === null) continue;
    if (next.done) return { text, ended: true };
    text += next.value;
  }
}

const open = () => liveApi.articleEventsEndpoint()(new Request(`http://localhost/api/articles/${SLUG}/events`), SLUG);

it("tells open streams to reconnect elsewhere and ends them, ends new ones at once, and closes LISTEN", async () => {
  const before = await open();
  expect(before.status).toBe(200);
  const reading = readAll(before, 5_000);
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(listener.connected).toBe(true);

  const t0 = Date.now();
  process.emit("taiyaku:shutdown" as never);
  const { text, ended } = await reading;
  expect(ended).toBe(true);
  expect(Date.now() - t0).toBeLessThan(1_500);
  expect(text).toContain("event: ready");
  expect(text).toMatch(new RegExp(`retry: ${liveApi.LIVE_SHUTDOWN_RETRY_MS}\\n`));
  // The short hint is the stream's last word.
  expect(text.trimEnd().endsWith(": reconnect")).toBe(true);

  const after = await open();
  expect(after.status).toBe(200);
  const late = await readAll(after, 2_000);
  expect(late.ended).toBe(true);
  expect(late.text).toContain(`retry: ${liveApi.LIVE_SHUTDOWN_RETRY_MS}\n`);

  await expect.poll(() => listener.connected, { timeout: 2_000 }).toBe(false);
});
