"use client";

import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { apiFetch, type ApiFailure } from "@/lib/http/api-client";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * One API call at a time from a form or a button, with its pending and error state: the shared
 * face of lib/http/api-client.ts for components. `send` resolves to the success envelope, or null
 * with `error` set (the server's message is already in the page's language).
 */
export function useApiRequest() {
  const locale = useLocale();
  const t = useTranslations("Api");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiFailure | null>(null);

  async function send<T extends object = Record<string, unknown>>(path: string, method: Method = "POST", body?: unknown): Promise<({ ok: true } & T) | null> {
    setPending(true);
    setError(null);
    const result = await apiFetch<T>(path, { method, body, locale, networkMessage: t("network") });
    setPending(false);
    if (result.ok) return result;
    setError(result);
    return null;
  }

  return { send, pending, error, setError };
}
