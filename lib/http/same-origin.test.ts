import { afterEach, describe, expect, it } from "vitest";
import { addressedOrigin, isSameOriginRequest } from "./same-origin";

function post(headers: Record<string, string>, url = "http://localhost:3000/api/notes") {
  return new Request(url, { method: "POST", headers: { host: "localhost:3000", ...headers } });
}

describe("isSameOriginRequest", () => {
  afterEach(() => {
    delete process.env.SITE_URL;
  });

  it("accepts the origin the request was addressed to, and SITE_URL's", () => {
    expect(isSameOriginRequest(post({ origin: "http://localhost:3000" }))).toBe(true);
    process.env.SITE_URL = "https://taiyaku.example";
    expect(isSameOriginRequest(post({ origin: "https://taiyaku.example" }))).toBe(true);
  });

  it("refuses other origins, Origin: null and look-alikes", () => {
    for (const origin of ["http://evil.example", "null", "http://localhost:3001", "https://localhost:3000", "http://localhost:3000.evil.example"]) {
      expect({ origin, ok: isSameOriginRequest(post({ origin })) }).toEqual({ origin, ok: false });
    }
  });

  it("without Origin, trusts fetch metadata only when it says same-origin or none, or is absent", () => {
    expect(isSameOriginRequest(post({}))).toBe(true);
    expect(isSameOriginRequest(post({ "sec-fetch-site": "same-origin" }))).toBe(true);
    expect(isSameOriginRequest(post({ "sec-fetch-site": "none" }))).toBe(true);
    expect(isSameOriginRequest(post({ "sec-fetch-site": "same-site" }))).toBe(false);
    expect(isSameOriginRequest(post({ "sec-fetch-site": "cross-site" }))).toBe(false);
  });

  it("uses the forwarded host and scheme a trusted proxy sets", () => {
    const request = post({ "x-forwarded-host": "read.example", "x-forwarded-proto": "https", origin: "https://read.example" });
    expect(addressedOrigin(request)).toBe("https://read.example");
    expect(isSameOriginRequest(request)).toBe(true);
  });
});
