// Requests Next.js itself cannot route answer 500 from inside Next before any route of ours runs:
// a method Next does not know (TRACE, CONNECT, PROPFIND…) and a path that is not valid
// percent-encoded UTF-8 (`/api/notes/%ZZ`, a lone surrogate `%ED%A0%80`). The production server
// (next-server.mjs) asks this first and answers them itself: 405 and 404, never 500.

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
export const ALLOWED_METHODS = [...METHODS].join(", ");

/**
 * @param {string} method
 * @param {string} url the request target as received (path and query)
 * @returns {null | { status: 405 | 404, api: boolean, locale: "en" | "ja" }}
 */
export function refuseUnroutable(method, url) {
  const path = url.split("?")[0] ?? "";
  const api = path === "/api" || path.startsWith("/api/");
  const locale = path.startsWith("/ja") ? "ja" : "en";
  if (!METHODS.has(method)) return { status: 405, api, locale };
  try {
    const decoded = decodeURIComponent(path);
    // NUL and lone surrogates decode "fine" but name nothing that can exist.
    if (decoded.includes("\u0000") || !decoded.isWellFormed()) return { status: 404, api, locale };
  } catch {
    return { status: 404, api, locale };
  }
  return null;
}
