import { describe, expect, it } from "vitest";
import { resolveClientAddress, trustedProxyHops } from "@/scripts/lib/client-address.mjs";

describe("client address from the socket and TRUSTED_PROXY_HOPS", () => {
  it("with 0 hops (the default) ignores X-Forwarded-For: a client cannot name its own address", () => {
    expect(resolveClientAddress("1.2.3.4", "203.0.113.9", 0)).toBe("203.0.113.9");
    expect(resolveClientAddress("1.2.3.4, 5.6.7.8", "::ffff:203.0.113.9", 0)).toBe("203.0.113.9");
    expect(resolveClientAddress(undefined, "::1", 0)).toBe("::1");
  });

  it("with N hops takes the address the outermost trusted proxy appended", () => {
    // client spoofs "6.6.6.6"; our nginx appends the real client 198.51.100.7; nginx is the socket.
    expect(resolveClientAddress("6.6.6.6, 198.51.100.7", "10.0.0.2", 1)).toBe("198.51.100.7");
    // CDN → nginx → app: two hops.
    expect(resolveClientAddress("6.6.6.6, 198.51.100.7, 10.0.0.1", "10.0.0.2", 2)).toBe("198.51.100.7");
    expect(resolveClientAddress(["6.6.6.6", "198.51.100.7"], "10.0.0.2", 1)).toBe("198.51.100.7");
  });

  it("takes the farthest known address when a request skipped a proxy", () => {
    expect(resolveClientAddress(undefined, "198.51.100.7", 2)).toBe("198.51.100.7");
  });

  it("reads TRUSTED_PROXY_HOPS strictly", () => {
    expect(trustedProxyHops(undefined)).toBe(0);
    expect(trustedProxyHops("")).toBe(0);
    expect(trustedProxyHops("2")).toBe(2);
    for (const bad of ["-1", "1.5", "eleven", "11"]) expect(() => trustedProxyHops(bad)).toThrow(/TRUSTED_PROXY_HOPS/);
  });
});
