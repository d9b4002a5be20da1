import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import en from "@/messages/en.json";
import ja from "@/messages/ja.json";
import { createRequestListener } from "@/scripts/lib/request-listener.mjs";

// The production server's own layer (scripts/lib/request-listener.mjs) over real sockets, with a
// stand-in for Next's handler that echoes what the app would see.

let server: http.Server | undefined;

async function serve(hops: number): Promise<string> {
  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ address: req.headers["x-taiyaku-client-address"], forwardedFor: req.headers["x-forwarded-for"] ?? null, url: req.url }));
  };
  server = http.createServer(createRequestListener({ handle, hops, apiMessages: { en: en.Api, ja: ja.Api } }));
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

describe("the production server's request listener", () => {
  it("TRUSTED_PROXY_HOPS=0: the socket address is the client; client-sent X-Forwarded-* never reach the app", async () => {
    const base = await serve(0);
    for (const spoof of ["203.0.113.7", "1.1.1.1, 2.2.2.2"]) {
      const seen = await (await fetch(`${base}/api/notes`, { headers: { "x-forwarded-for": spoof, "x-taiyaku-client-address": "9.9.9.9" } })).json();
      expect(seen).toEqual({ address: "127.0.0.1", forwardedFor: null, url: "/api/notes" });
    }
  });

  it("TRUSTED_PROXY_HOPS=1: the address our proxy appended is the client, whatever the client prepended", async () => {
    const base = await serve(1);
    const seen = await (await fetch(`${base}/x`, { headers: { "x-forwarded-for": "6.6.6.6, 198.51.100.7" } })).json();
    expect(seen.address).toBe("198.51.100.7");
    const direct = await (await fetch(`${base}/x`)).json();
    expect(direct.address).toBe("127.0.0.1");
  });

  it("answers unroutable API requests itself, as JSON in the caller's language", async () => {
    const base = await serve(0);
    const malformed = await fetch(`${base}/api/notes/%ED%A0%80`, { headers: { "x-ui-locale": "ja" } });
    expect(malformed.status).toBe(404);
    expect(await malformed.json()).toEqual({ ok: false, code: "not_found", message: ja.Api.notFound });
    expect(malformed.headers.get("x-content-type-options")).toBe("nosniff");
    expect(malformed.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    const trace = await new Promise<http.IncomingMessage>((resolve) => http.request(`${base}/api/notes`, { method: "TRACE" }, resolve).end());
    expect(trace.statusCode).toBe(405);
    expect(trace.headers.allow).toContain("PATCH");
  });

  it("sends malformed page addresses to the localized not-found page", async () => {
    const base = await serve(0);
    const seen = await (await fetch(`${base}/ja/invite/%ED%A0%80`)).json();
    expect(seen.url).toBe("/ja/not-found");
  });
});
