// Which address a request came from, for rate limits and stream caps. Plain JavaScript because
// the production server (scripts/lib/next-server.mjs) runs it without a TypeScript loader.

/** Header the server sets on every request; any value a client sends is overwritten. */
export const CLIENT_ADDRESS_HEADER = "x-taiyaku-client-address";

/**
 * TRUSTED_PROXY_HOPS: how many reverse proxies of our own stand between the client and this
 * server. 0 (the default) trusts nobody: the socket address is the client. With N, the N-th
 * address from the right of `X-Forwarded-For + socket` is the client, as appended by the
 * outermost proxy we run; anything to its left was written by the client and is ignored.
 */
export function trustedProxyHops(value = process.env.TRUSTED_PROXY_HOPS) {
  if (value === undefined || value === "") return 0;
  const hops = Number(value);
  if (!Number.isInteger(hops) || hops < 0 || hops > 10) {
    throw new Error(`TRUSTED_PROXY_HOPS must be a whole number from 0 to 10 (got "${value}").`);
  }
  return hops;
}

/**
 * @param {string | string[] | undefined} forwardedFor the X-Forwarded-For header(s) as received
 * @param {string | undefined} socketAddress the TCP peer
 * @param {number} hops trusted proxy hops
 * @returns {string}
 */
export function resolveClientAddress(forwardedFor, socketAddress, hops) {
  const listed = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const chain = [...listed, normalize(socketAddress ?? "unknown")];
  // Fewer entries than trusted hops: the request skipped a proxy; take the farthest address known.
  return chain[Math.max(0, chain.length - 1 - hops)];
}

/** "::ffff:127.0.0.1" and "127.0.0.1" are one client. */
function normalize(address) {
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}
