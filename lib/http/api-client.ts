// The browser's one way to call our API (the server's is lib/http/endpoint.ts). Every call says
// which interface language the page is in, so refusals come back translated; the body, if any,
// is JSON (the pipeline refuses anything else); and every outcome is one typed shape, a network
// failure or an HTML error page included, so callers branch on `ok` and never parse or throw.

export type ApiFailure = {
  ok: false;
  /** HTTP status; 0 when the request never got an answer. */
  status: number;
  code: string;
  message: string;
  fieldErrors: Record<string, string[]>;
  retryAfterSeconds?: number;
} & Record<string, unknown>;

export type ApiResult<T> = ({ ok: true; status: number } & T) | ApiFailure;

export type ApiRequest = {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  body?: unknown;
  /** The page's interface language (x-ui-locale). */
  locale: string;
  /** Shown when there is no answer, or no JSON answer (the caller's localized text). */
  networkMessage: string;
  /** Survives the page unloading (marking a notification read on the way out). */
  keepalive?: boolean;
  signal?: AbortSignal;
};

export async function apiFetch<T extends object = Record<never, never>>(path: string, request: ApiRequest): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { "x-ui-locale": request.locale };
  if (request.body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(path, {
      method: request.method ?? "GET",
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      credentials: "same-origin",
      cache: "no-store",
      keepalive: request.keepalive,
      signal: request.signal,
    });
  } catch {
    return { ok: false, status: 0, code: "network", message: request.networkMessage, fieldErrors: {} };
  }
  const data = (await response.json().catch(() => null)) as ({ ok?: unknown } & Record<string, unknown>) | null;
  if (!data || typeof data.ok !== "boolean") {
    return { ok: false, status: response.status, code: "network", message: request.networkMessage, fieldErrors: {} };
  }
  if (data.ok && response.ok) return { ...(data as T), ok: true, status: response.status };
  return {
    ...data,
    ok: false,
    status: response.status,
    code: typeof data.code === "string" ? data.code : "unexpected",
    message: typeof data.message === "string" ? data.message : request.networkMessage,
    fieldErrors: (data.fieldErrors as Record<string, string[]> | undefined) ?? {},
  };
}
