import net from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import en from "@/messages/en.json";
import { deployMigrations } from "@/lib/db/migration-engine";
import { createTestDatabase } from "@/lib/testing/test-database";
import { signUpTestUser, type TestUser } from "@/lib/testing/test-users";
import { seedContent } from "@/prisma/seed";

// With the database gone, the API says "unavailable, try again" (503 + Retry-After) on reads and
// writes alike — never "unauthenticated" (a signed-in reader is not signed out by an outage) and
// never a 500 — and recovers by itself when the database returns. The app reaches PostgreSQL
// through a TCP relay this test can cut.

vi.mock("next/cache", () => ({ unstable_cache: <T>(fn: T) => fn, revalidateTag: vi.fn() }));
process.env.LOG_LEVEL = "silent";

const SLUG = "japan-patriot-missile-export";
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let relay: net.Server;
let relayPort = 0;
let relayOpen = true;
const sockets = new Set<net.Socket>();
let user: TestUser;
let notes: typeof import("@/features/notes/api");
let groups: typeof import("@/features/groups/api");
let accounts: typeof import("@/features/accounts/api");
let notifications: typeof import("@/features/notifications/api");
let paragraphId: string;

function startRelay(target: URL): Promise<void> {
  relay = net.createServer((client) => {
    if (!relayOpen) return client.destroy();
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  return new Promise((resolve) => relay.listen(0, "127.0.0.1", () => ((relayPort = (relay.address() as net.AddressInfo).port), resolve())));
}

function cut() {
  relayOpen = false;
  for (const socket of sockets) socket.destroy();
}

beforeAll(async () => {
  db = await createTestDatabase("outage");
  await deployMigrations(db.url);
  await seedContent(db.url);
  const target = new URL(db.url);
  await startRelay(target);
  const relayed = new URL(db.url);
  relayed.hostname = "127.0.0.1";
  relayed.port = String(relayPort);
  process.env.DATABASE_URL = relayed.toString();
  process.env.BETTER_AUTH_SECRET = "test-secret-for-outage-integration-0123456789";
  notes = await import("@/features/notes/api");
  groups = await import("@/features/groups/api");
  accounts = await import("@/features/accounts/api");
  notifications = await import("@/features/notifications/api");
  user = await signUpTestUser("outage");
  const { getPrisma } = await import("@/lib/db/prisma");
  paragraphId = (await getPrisma().paragraph.findFirstOrThrow({ where: { article: { slug: SLUG }, position: 1 }, select: { id: true } })).id;
});

afterAll(async () => {
  cut();
  relay?.close();
  await db?.drop();
});

function request(method: string, path: string, body?: unknown): Request {
  const headers: Record<string, string> = { cookie: user.cookie, "x-ui-locale": "en" };
  if (body !== undefined) headers["content-type"] = "application/json";
  return new Request(`http://localhost${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

const comment = () => ({ paragraphId, locale: "en", kind: "comment", visibility: "public", body: "During an outage?", idempotencyKey: `outage-${Date.now()}-${Math.random().toString(36).slice(2)}` });

describe("database outage", () => {
  it("answers 503 with Retry-After on API reads and writes, then recovers by itself", async () => {
    expect((await notes.postNote(request("POST", "/api/notes", comment()))).status).toBe(201);

    cut();
    const calls: [string, () => Promise<Response>][] = [
      ["create note", () => notes.postNote(request("POST", "/api/notes", comment()))],
      ["list notes", () => notes.listNotes(request("GET", `/api/notes?article=${SLUG}`))],
      ["note by id", () => notes.getNote(request("GET", "/api/notes/x"), crypto.randomUUID())],
      ["notifications", () => notifications.getNotifications(request("GET", "/api/notifications"))],
      ["my groups", () => groups.getMyGroups(request("GET", "/api/groups/mine"))],
      ["create group", () => groups.postGroup(request("POST", "/api/groups", { name: "Outage" }))],
      ["me", () => accounts.me(request("GET", "/api/me"))],
      ["sign in", () => accounts.signIn(request("POST", "/api/auth/sign-in", { email: user.email, password: "whatever password" }))],
    ];
    for (const [what, run] of calls) {
      const response = await run();
      expect({ what, status: response.status }).toEqual({ what, status: 503 });
      expect(response.headers.get("retry-after")).toBe("5");
      expect(await response.json()).toMatchObject({ ok: false, code: "unavailable", message: en.Api.unavailable });
    }

    relayOpen = true;
    // The pool reconnects on the next request: no restart.
    let status = 0;
    for (let attempt = 0; attempt < 20 && status !== 200; attempt += 1) {
      status = (await notes.listNotes(request("GET", `/api/notes?article=${SLUG}`))).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(status).toBe(200);
    expect((await notes.postNote(request("POST", "/api/notes", comment()))).status).toBe(201);
  });
});
