import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import en from "@/messages/en.json";
import ja from "@/messages/ja.json";
import { createRequestObserver, metricsOnlyListener, metricsTokenMatches, requestIdFor } from "@/scripts/lib/observability.mjs";
import { createRequestListener } from "@/scripts/lib/request-listener.mjs";

// The production server's request ids, access log and /metrics (scripts/lib/observability.mjs)
// over real sockets, with a stand-in for Next's handler.

const TOKEN = "s3cret-metrics-token-0123456789";
let server: http.Server | undefined;

type Line = Record<string, unknown>;

async function listen(listener: http.RequestListener): Promise<string> {
  server = http.createServer(listener);
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

async function serve(options: { trustRequestId: boolean; metricsToken: string | null }) {
  const lines: Line[] = [];
  const seenIds: (string | undefined)[] = [];
  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    seenIds.push(req.headers["x-request-id"] as string | undefined);
    res.writeHead(req.url?.startsWith("/api/missing") ? 404 : 200, { "content-type": "text/plain" });
    res.end("ok");
  };
  const observe = createRequestObserver({
    labelRoute: (pathname) => (pathname.startsWith("/api/notes/") ? "/api/notes/[id]" : "other"),
    log: { info: (fields) => lines.push(fields as Line) },
    ...options,
  });
  const base = await listen(createRequestListener({ handle, hops: options.trustRequestId ? 1 : 0, apiMessages: { en: en.Api, ja: ja.Api }, observe }));
  return { base, lines, seenIds };
}

/** Waits for the access-log line of a response already read (it is written on "close"). */
async function lineFor(lines: Line[], requestId: string): Promise<Line> {
  for (let i = 0; i < 50; i += 1) {
    const line = lines.find((entry) => entry.requestId === requestId);
    if (line) return line;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no access-log line for ${requestId}`);
}

afterEach(async () => {
  if (server) await new Promise((resolve) => server!.close(resolve));
  server = undefined;
});

describe("metrics token", () => {
  it("accepts exactly the configured bearer token", () => {
    expect(metricsTokenMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(metricsTokenMatches(`bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(metricsTokenMatches(`Bearer ${TOKEN}x`, TOKEN)).toBe(false);
    expect(metricsTokenMatches(`Bearer ${TOKEN.slice(0, -1)}`, TOKEN)).toBe(false);
    expect(metricsTokenMatches(TOKEN, TOKEN)).toBe(false);
    expect(metricsTokenMatches(`Basic ${TOKEN}`, TOKEN)).toBe(false);
    expect(metricsTokenMatches(undefined, TOKEN)).toBe(false);
  });

  it("accepts nothing when no token is configured", () => {
    expect(metricsTokenMatches("Bearer ", "")).toBe(false);
    expect(metricsTokenMatches("Bearer anything", null)).toBe(false);
    expect(metricsTokenMatches("Bearer anything", undefined)).toBe(false);
  });
});

describe("request ids", () => {
  it("keeps a well-formed id from a trusted proxy and replaces anything else", () => {
    expect(requestIdFor("abc12345-proxy.id_1", true)).toBe("abc12345-proxy.id_1");
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(requestIdFor("abc12345-proxy.id_1", false)).toMatch(uuid);
    for (const bad of ["short", "has space in it", "new\nline-injected", "x".repeat(129), "<script>alert(1)</script>", undefined]) {
      expect(requestIdFor(bad, true)).toMatch(uuid);
    }
    expect(requestIdFor(["abc12345", "def67890"], true)).toMatch(uuid);
  });

  it("passes the proxy's id to the app, answers with it and logs it with the route pattern", async () => {
    const { base, lines, seenIds } = await serve({ trustRequestId: true, metricsToken: TOKEN });
    const response = await fetch(`${base}/api/notes/123?x=1`, { headers: { "x-request-id": "proxy-id-0001" } });
    expect(response.headers.get("x-request-id")).toBe("proxy-id-0001");
    expect(seenIds).toEqual(["proxy-id-0001"]);
    const line = await lineFor(lines, "proxy-id-0001");
    expect(line).toMatchObject({ method: "GET", route: "/api/notes/[id]", status: 200 });
    expect(typeof line.ms).toBe("number");
    // The raw path (ids, invite tokens, queries) is never logged.
    expect(JSON.stringify(line)).not.toContain("123");
  });

  it("without a trusted proxy, a client-chosen id is replaced by the server's own", async () => {
    const { base, seenIds } = await serve({ trustRequestId: false, metricsToken: TOKEN });
    const response = await fetch(`${base}/api/notes/1`, { headers: { "x-request-id": "client-chosen-id" } });
    const id = response.headers.get("x-request-id");
    expect(id).not.toBe("client-chosen-id");
    expect(seenIds).toEqual([id]);
  });
});

describe("/metrics on the main port", () => {
  it("is 404 without the token, with a wrong one, and when none is configured", async () => {
    const { base } = await serve({ trustRequestId: false, metricsToken: TOKEN });
    const attempts: Record<string, string>[] = [{}, { authorization: "Bearer wrong-token" }, { authorization: TOKEN }];
    for (const headers of attempts) {
      const response = await fetch(`${base}/metrics`, { headers });
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain("taiyaku_");
    }
    await new Promise((resolve) => server!.close(resolve));
    const off = await serve({ trustRequestId: false, metricsToken: null });
    expect((await fetch(`${off.base}/metrics`, { headers: { authorization: "Bearer " } })).status).toBe(404);
  });

  it("with the token, counts requests by route pattern, method and status class", async () => {
    const { base } = await serve({ trustRequestId: false, metricsToken: TOKEN });
    await (await fetch(`${base}/api/notes/abc`)).text();
    await (await fetch(`${base}/api/missing/thing`, { method: "POST" })).text();
    // The counter moves when the response closes, just after the client has read it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const response = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    expect(text).toMatch(/taiyaku_http_requests_total\{route="\/api\/notes\/\[id\]",method="GET",status="2xx"\} [1-9]/);
    expect(text).toMatch(/taiyaku_http_requests_total\{route="other",method="POST",status="4xx"\} [1-9]/);
    expect(text).toContain('taiyaku_http_request_duration_seconds_bucket{le="0.005",route="/api/notes/[id]",method="GET"}');
    expect(text).not.toContain("/api/notes/abc");
  });
});

describe("the internal metrics port (METRICS_PORT)", () => {
  it("serves /metrics without a token and nothing else", async () => {
    const base = await listen(metricsOnlyListener());
    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain("# TYPE taiyaku_http_requests_total counter");
    expect((await fetch(`${base}/api/notes`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: "POST" })).status).toBe(404);
  });
});

describe("the server's set-up from the environment (server-observability.mjs)", () => {
  it("METRICS_PORT: metrics on the internal port only, none on the main one even with METRICS_TOKEN set", async () => {
    const metricsPort = 3471;
    const saved = { ...process.env };
    Object.assign(process.env, { METRICS_PORT: String(metricsPort), METRICS_TOKEN: TOKEN, LOG_ACCESS: "0" });
    try {
      const { startObservability } = await import("@/scripts/lib/server-observability.mjs");
      const observe = startObservability({ distDir: "/nonexistent", hops: 0 });
      const handle = async (_req: http.IncomingMessage, res: http.ServerResponse) => void res.end("app");
      const base = await listen(createRequestListener({ handle, hops: 0, apiMessages: { en: en.Api, ja: ja.Api }, observe }));
      expect((await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
      let internal: Response | null = null;
      for (let i = 0; i < 50 && !internal; i += 1) {
        internal = await fetch(`http://127.0.0.1:${metricsPort}/metrics`).catch(() => null);
        if (!internal) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(internal?.status).toBe(200);
      const text = await internal!.text();
      // Node's default metrics, with the app's prefix.
      expect(text).toContain("taiyaku_process_cpu_seconds_total");
      expect(text).toContain("taiyaku_nodejs_eventloop_lag_seconds");
    } finally {
      process.env = saved;
    }
  });
});
