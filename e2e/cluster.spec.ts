import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { TEST_PASSWORD } from "./support/accounts";

// The cluster test (ADR 0023), with real processes: `npm run start:cluster` with three instances
// behind nginx on a throwaway database, 50 writers posting notes through the proxy for 30 s and
// live readers on the article. Mid-run one instance is SIGKILLed and another gets SIGTERM; the
// cluster script starts both again. Nothing acknowledged may be lost, nothing duplicated, the
// proxy must route around the dead instance, and every reader that lost its stream must come
// back and receive every note written after it first connected.
//
// It runs in its own Playwright project after the desktop suite (playwright.config.ts): it loads
// both cores by itself. Alone: `npx playwright test --project cluster --no-deps`.

const PROXY_PORT = Number(process.env.CLUSTER_E2E_PORT ?? 3420);
const INSTANCES = 3;
const WRITERS = 50;
const RUN_MS = 30_000;
/** One note per writer every 2 s: 25 notes/s, so a reader's replay after a 3 s gap stays far below the 200-change limit. */
const PERIOD_MS = 2_000;
const READERS = 6;
const KILL_AT_MS = 8_000;
const TERM_AT_MS = 19_000;
const base = `http://127.0.0.1:${PROXY_PORT}`;

type ClusterState = { proxy: { port: number; pid: number | null }; databaseUrl: string; instances: { port: number; pid: number | null; restarts: number }[] };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN);

test.describe.configure({ mode: "serial" });

test("three instances behind nginx: a killed and a restarted instance lose no note, duplicate none, and readers catch up", async () => {
  test.setTimeout(240_000);
  const stateFile = path.join(os.tmpdir(), `taiyaku-cluster-${PROXY_PORT}-${randomBytes(4).toString("hex")}.json`);
  const cluster = startCluster(stateFile);
  let db: pg.Client | null = null;
  const readers: SseReader[] = [];
  let probe: SseReader | null = null;
  try {
    const state = await cluster.ready();
    db = new pg.Client({ connectionString: state.databaseUrl });
    await db.connect();

    // The article and its paragraphs; 50 accounts signed up through the proxy.
    const { rows: articles } = await db.query<{ id: string; slug: string }>(
      `SELECT id, slug FROM article WHERE status = 'published' AND group_id IS NULL ORDER BY slug LIMIT 1`,
    );
    const article = articles[0]!;
    const { rows: paragraphs } = await db.query<{ id: string }>(
      `SELECT p.id FROM paragraph p JOIN paragraph_text t ON t.paragraph_id = p.id AND t.locale = 'en' WHERE p.article_id = $1 AND p.position > 0 ORDER BY p.position`,
      [article.id],
    );
    expect(paragraphs.length).toBeGreaterThan(0);
    const agent = new http.Agent({ keepAlive: true, maxSockets: WRITERS + 10 });
    const accounts = await signUpAccounts(agent, WRITERS);

    for (let i = 0; i < READERS; i++) readers.push(new SseReader(`/api/articles/${article.slug}/events`));
    await expect.poll(() => readers.every((r) => r.firstReadyAt > 0), { timeout: 20_000 }).toBe(true);

    // The run: writers, and the disruptions on the side.
    const started = Date.now();
    const endAt = started + RUN_MS;
    const attempts: { at: number; ms: number; status: number | "error" }[] = [];
    const acks: { key: string; id: string; author: string; firstSentAt: number; tries: number; body: string; cookie: string }[] = [];
    const unexpected: string[] = [];

    async function writer(index: number) {
      const account = accounts[index]!;
      for (let due = started + (index * PERIOD_MS) / WRITERS; due < endAt; due += PERIOD_MS) {
        await sleep(due - Date.now());
        const key = randomUUID();
        const body = JSON.stringify({
          paragraphId: paragraphs[(index + acks.length) % paragraphs.length]!.id,
          locale: "en",
          kind: "comment",
          visibility: "public",
          body: `Cluster note ${index}/${key.slice(0, 8)}`,
          idempotencyKey: key,
        });
        const firstSentAt = Date.now();
        // Retried with the same key until acknowledged: after a 5xx, a cut connection or a refusal.
        for (let tries = 1; ; tries++) {
          const t0 = Date.now();
          const answer = await post(agent, "/api/notes", body, account.cookie).catch(() => null);
          attempts.push({ at: t0, ms: Date.now() - t0, status: answer?.status ?? "error" });
          if (answer && (answer.status === 201 || answer.status === 200)) {
            acks.push({ key, id: (answer.json as { note: { id: string } }).note.id, author: account.id, firstSentAt, tries, body, cookie: account.cookie });
            break;
          }
          if (answer && answer.status < 500 && answer.status !== 429) {
            unexpected.push(`${answer.status} ${JSON.stringify(answer.json)}`);
            break;
          }
          if (Date.now() > endAt + 30_000) {
            unexpected.push(`gave up on ${key}`);
            break;
          }
          await sleep(answer?.status === 429 ? 1_000 : 200);
        }
        // A late answer pushes the next note back instead of piling requests up.
        if (Date.now() > due + PERIOD_MS) due = Date.now() - PERIOD_MS;
      }
    }

    const disruptions = (async () => {
      await sleep(started + KILL_AT_MS - Date.now());
      const killed = cluster.state().instances[1]!;
      process.kill(killed.pid!, "SIGKILL");
      const killedAt = Date.now();
      const killedBack = cluster.waitForRestart(1, killed.pid!).then(() => Date.now() - killedAt);
      // A reader straight on the instance about to get SIGTERM: it must be told to reconnect.
      const stopped = cluster.state().instances[2]!;
      probe = new SseReader(`/api/articles/${article.slug}/events`, `http://127.0.0.1:${stopped.port}`);
      await sleep(started + TERM_AT_MS - Date.now());
      expect(probe.firstReadyAt).toBeGreaterThan(0);
      process.kill(stopped.pid!, "SIGTERM");
      const termAt = Date.now();
      const exited = cluster.waitForExit(stopped.pid!).then(() => Date.now() - termAt);
      const termBack = cluster.waitForRestart(2, stopped.pid!).then(() => Date.now() - termAt);
      return { killedAt, termAt, killedBackMs: await killedBack, termExitMs: await exited, termBackMs: await termBack };
    })();

    await Promise.all(Array.from({ length: WRITERS }, (_, i) => writer(i)));
    const { killedAt, termAt, killedBackMs, termExitMs, termBackMs } = await disruptions;
    probe!.close();

    // Readers: every note acknowledged for a request sent after the reader first connected.
    const expectedFor = (reader: SseReader) => acks.filter((a) => a.firstSentAt > reader.firstReadyAt).map((a) => a.id);
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && readers.some((r) => expectedFor(r).some((id) => !r.ids.has(id)))) await sleep(100);
    const readerReport = readers.map((r) => ({ connects: r.connects, missing: expectedFor(r).filter((id) => !r.ids.has(id)).length, expected: expectedFor(r).length, resyncs: r.resyncs }));

    // The database: every acknowledged note is there, once per key, and nothing else was written.
    const authorIds = accounts.map((a) => a.id);
    const { rows: stored } = await db.query<{ id: string; client_key: string }>(
      `SELECT id::text, client_key FROM note WHERE author_id = ANY($1::text[])`,
      [authorIds],
    );
    const storedById = new Map(stored.map((row) => [row.id, row.client_key]));
    const lost = acks.filter((a) => storedById.get(a.id) !== a.key);
    const perKey = new Map<string, number>();
    for (const row of stored) perKey.set(row.client_key, (perKey.get(row.client_key) ?? 0) + 1);
    const duplicates = [...perKey.values()].filter((n) => n > 1).length;
    const ackedKeys = new Set(acks.map((a) => a.key));
    const unacknowledgedStored = stored.filter((row) => !ackedKeys.has(row.client_key)).length;

    // A writer that lost the answer and sends again gets the original note, on whichever instance.
    const replayed = await Promise.all(
      acks.slice(0, WRITERS).map(async (a) => {
        const answer = await post(agent, "/api/notes", a.body, a.cookie);
        const json = answer.json as { note?: { id: string }; replayed?: boolean };
        return answer.status === 200 && json.replayed === true && json.note?.id === a.id;
      }),
    );

    const latencies = attempts.map((a) => a.ms).sort((a, b) => a - b);
    const fiveXx = attempts.filter((a) => typeof a.status === "number" && a.status >= 500);
    const afterKill = fiveXx.filter((a) => a.at > killedAt + 1_000 && a.at < termAt);
    const afterTerm = fiveXx.filter((a) => a.at >= termAt);
    const connectionErrors = attempts.filter((a) => a.status === "error").length;
    const figures = {
      requests: attempts.length,
      acks: acks.length,
      retries: acks.reduce((n, a) => n + a.tries - 1, 0),
      replays: attempts.filter((a) => a.status === 200).length,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: latencies.at(-1),
      fiveXx: fiveXx.length,
      fiveXxAfterFirstSecondOfKill: afterKill.length,
      fiveXxAfterSigterm: afterTerm.length,
      connectionErrors,
      killedInstanceBackMs: killedBackMs,
      sigtermExitMs: termExitMs,
      sigtermStreamHintMs: probe!.shutdownHintAt - termAt,
      sigtermStreamEndMs: probe!.firstEndAt - termAt,
      sigtermInstanceBackMs: termBackMs,
      lost: lost.length,
      duplicates,
      unacknowledgedStored,
      replaysOfAcknowledged: `${replayed.filter(Boolean).length}/${replayed.length}`,
      readers: readerReport,
    };
    console.log(`[cluster] ${JSON.stringify(figures)}`);
    test.info().annotations.push({ type: "cluster figures", description: JSON.stringify(figures) });

    expect(unexpected).toEqual([]);
    expect(acks.length).toBeGreaterThan(WRITERS * (RUN_MS / PERIOD_MS) * 0.8);
    expect(lost.length).toBe(0);
    expect(duplicates).toBe(0);
    expect(unacknowledgedStored).toBe(0);
    expect(replayed.every(Boolean)).toBe(true);
    expect(afterKill.length).toBe(0);
    expect(afterTerm.length).toBe(0);
    expect(connectionErrors).toBe(0);
    expect(termExitMs).toBeLessThan(10_000);
    // The stream on the stopping instance got the short retry hint and ended at once.
    expect(probe!.shutdownHintAt - termAt).toBeGreaterThanOrEqual(0);
    expect(probe!.shutdownHintAt - termAt).toBeLessThan(1_000);
    expect(probe!.firstEndAt - termAt).toBeLessThan(2_000);
    // Both disruptions cut streams: readers came back (a stream on the surviving instance may never drop).
    expect(readerReport.reduce((n, r) => n + r.connects, 0)).toBeGreaterThan(READERS);
    for (const r of readerReport) {
      expect(r.missing).toBe(0);
      expect(r.resyncs).toBe(0);
    }
  } finally {
    for (const reader of [...readers, probe]) reader?.close();
    await db?.end().catch(() => undefined);
    await cluster.stop();
  }
});

function startCluster(stateFile: string) {
  const tail: string[] = [];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // Fifty accounts from one address in a few seconds.
    TAIYAKU_SIGN_UP_PER_ADDRESS_PER_HOUR: "100000",
    TAIYAKU_SIGN_UPS_PER_MINUTE: "100000",
    // No access log line per request from the instances: thousands of lines the test does not read.
    LOG_ACCESS: "0",
  };
  delete env.DATABASE_URL;
  delete env.DIRECT_DATABASE_URL;
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join("node_modules", "tsx", "dist", "cli.mjs"), "--conditions=react-server", "scripts/start-cluster.ts",
      "--instances", String(INSTANCES), "--port", String(PROXY_PORT), "--throwaway-database", "--state-file", stateFile],
    { env, stdio: ["ignore", "pipe", "pipe"] },
  );
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) if (line.trim()) tail.push(line);
    if (tail.length > 200) tail.splice(0, tail.length - 200);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const state = (): ClusterState => JSON.parse(readFileSync(stateFile, "utf8")) as ClusterState;
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  // No keep-alive: an idle connection of ours would hold up an instance's graceful shutdown.
  const healthy = (port: number) =>
    new Promise<boolean>((resolve) => {
      const request = http.get({ host: "127.0.0.1", port, path: "/api/health", agent: false, timeout: 5_000 }, (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      });
      request.on("timeout", () => request.destroy());
      request.on("error", () => resolve(false));
    });
  return {
    state,
    async ready(): Promise<ClusterState> {
      const deadline = Date.now() + 180_000;
      while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`start:cluster exited:\n${tail.join("\n")}`);
        if (existsSync(stateFile) && state().proxy.pid && (await healthy(PROXY_PORT))) return state();
        await sleep(250);
      }
      throw new Error(`the cluster did not start:\n${tail.join("\n")}`);
    },
    async waitForExit(pid: number) {
      while (alive(pid)) await sleep(20);
    },
    async waitForRestart(index: number, oldPid: number) {
      for (;;) {
        const now = state().instances[index]!;
        if (now.pid && now.pid !== oldPid && (await healthy(now.port))) return;
        await sleep(100);
      }
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(stateFile, { force: true });
      if (process.env.CLUSTER_E2E_LOG) console.log(tail.join("\n"));
    },
  };
}

async function signUpAccounts(agent: http.Agent, count: number) {
  const accounts: { id: string; cookie: string }[] = [];
  let next = 0;
  async function worker() {
    while (next < count) {
      const i = next++;
      const email = `cluster-${i}-${randomBytes(4).toString("hex")}@example.com`;
      const answer = await post(agent, "/api/auth/sign-up", JSON.stringify({ email, name: `Cluster writer ${i}`, password: TEST_PASSWORD }));
      expect(answer.status, JSON.stringify(answer.json)).toBe(201);
      const cookie = answer.cookies.map((c) => c.split(";")[0]!).filter((c) => c.startsWith("taiyaku.")).join("; ");
      expect(cookie).toContain("taiyaku.session_token=");
      accounts[i] = { id: (answer.json as { user: { id: string } }).user.id, cookie };
    }
  }
  await Promise.all(Array.from({ length: 6 }, worker));
  return accounts;
}

function post(agent: http.Agent, pathname: string, body: string, cookie?: string) {
  return new Promise<{ status: number; json: unknown; cookies: string[] }>((resolve, reject) => {
    const request = http.request(
      `${base}${pathname}`,
      {
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...(cookie ? { cookie } : {}) },
        timeout: 30_000,
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => {
          let json: unknown = null;
          try {
            json = JSON.parse(text);
          } catch {
            json = text.slice(0, 200);
          }
          resolve({ status: response.statusCode ?? 0, json, cookies: response.headers["set-cookie"] ?? [] });
        });
        response.on("error", reject);
        response.on("aborted", () => reject(new Error("aborted")));
      },
    );
    request.on("timeout", () => request.destroy(new Error("timeout")));
    request.on("error", reject);
    request.end(body);
  });
}

/** An EventSource as browsers implement it: `retry:` hints, Last-Event-ID on reconnect. */
class SseReader {
  ids = new Set<string>();
  firstReadyAt = 0;
  /** When a short retry hint (a server shutting down) arrived, and when a stream first ended. */
  shutdownHintAt = 0;
  firstEndAt = 0;
  connects = 0;
  resyncs = 0;
  private lastEventId = "";
  private retryMs = 3_000;
  private closed = false;
  private request: http.ClientRequest | null = null;

  constructor(
    private readonly pathname: string,
    private readonly origin = base,
  ) {
    this.connect();
  }

  close() {
    this.closed = true;
    this.request?.destroy();
  }

  private connect() {
    if (this.closed) return;
    let done = false;
    const again = (ms: number) => {
      if (done) return;
      done = true;
      setTimeout(() => this.connect(), ms);
    };
    const request = http.get(
      `${this.origin}${this.pathname}`,
      { agent: false, headers: { accept: "text/event-stream", ...(this.lastEventId ? { "last-event-id": this.lastEventId } : {}) } },
      (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          return again(1_000);
        }
        response.setEncoding("utf8");
        let buffer = "";
        response.on("data", (chunk: string) => {
          buffer += chunk;
          let cut: number;
          while ((cut = buffer.indexOf("\n\n")) !== -1) {
            this.dispatch(buffer.slice(0, cut));
            buffer = buffer.slice(cut + 2);
          }
        });
        response.on("end", () => {
          this.firstEndAt ||= Date.now();
          again(this.retryMs);
        });
        response.on("error", () => again(this.retryMs));
        response.on("aborted", () => again(this.retryMs));
      },
    );
    request.on("error", () => again(this.retryMs));
    this.request = request;
  }

  private dispatch(block: string) {
    let event = "message";
    let data = "";
    for (const line of block.split("\n")) {
      if (line.startsWith("retry: ")) {
        this.retryMs = Number(line.slice(7));
        if (this.retryMs < 1_000 && !this.shutdownHintAt) this.shutdownHintAt = Date.now();
      }
      else if (line.startsWith("id: ")) this.lastEventId = line.slice(4);
      else if (line.startsWith("event: ")) event = line.slice(7);
      else if (line.startsWith("data: ")) data += line.slice(6);
    }
    if (event === "ready") {
      this.connects += 1;
      if (!this.firstReadyAt) this.firstReadyAt = Date.now();
    } else if (event === "note") {
      this.ids.add((JSON.parse(data) as { id: string }).id);
    } else if (event === "resync") this.resyncs += 1;
  }
}
