/**
 * Every API answer is JSON with one of two shapes, so clients branch on `ok` and never parse an
 * HTML error page or a stack trace:
 *   { ok: true, ...data }
 *   { ok: false, code, message, fieldErrors?, ...extra }   (message in the caller's language)
 */
export type ApiFailure = {
  ok: false;
  code: string;
  message: string;
  fieldErrors?: Record<string, string[]>;
};

export const statusByCode: Record<string, number> = {
  invalid_json: 400,
  validation: 422,
  unexpected_field: 422,
  too_large: 413,
  unauthenticated: 401,
  invalid_credentials: 401,
  not_found: 404,
  conflict: 409,
  email_taken: 409,
  rate_limited: 429,
  locked: 423,
  forbidden: 404,
  invalid_token: 401,
  insufficient_scope: 403,
  cross_origin: 403,
  cross_site: 403,
  suspended: 403,
  unsupported_media_type: 415,
  method_not_allowed: 405,
  last_owner: 409,
  last_admin: 409,
  gone: 410,
  unavailable: 503,
  internal: 500,
};

export function ok<T extends Record<string, unknown>>(data: T, status = 200, headers?: HeadersInit): Response {
  return Response.json({ ok: true, ...data }, { status, headers: withNoStore(headers) });
}

export function fail(
  code: string,
  message: string,
  extra: Record<string, unknown> & { fieldErrors?: Record<string, string[]>; retryAfterSeconds?: number } = {},
): Response {
  const headers = new Headers({ "cache-control": "no-store" });
  if (extra.retryAfterSeconds !== undefined) headers.set("retry-after", String(extra.retryAfterSeconds));
  return Response.json({ ok: false, code, message, ...extra }, { status: statusByCode[code] ?? 400, headers });
}

function withNoStore(headers?: HeadersInit): Headers {
  const result = new Headers(headers);
  if (!result.has("cache-control")) result.set("cache-control", "no-store");
  return result;
}

/** Largest JSON body any endpoint accepts (a 10,000-character note in Japanese is ~30 KB). */
export const MAX_JSON_BYTES = 64 * 1024;
