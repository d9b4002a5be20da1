"use client";

import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";

export type GroupError = { code: string; message: string; fieldErrors: Record<string, string[]> };
type Success = { ok: true } & Record<string, unknown>;

/**
 * One JSON call to the groups API with pending/error state. The message in the envelope is
 * already in the page's language (x-ui-locale), so it is shown as is.
 */
export function useGroupRequest() {
  const locale = useLocale();
  const t = useTranslations("Groups");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<GroupError | null>(null);

  async function send(url: string, method: "POST" | "PATCH" | "DELETE", body?: unknown): Promise<Success | null> {
    setPending(true);
    setError(null);
    try {
      const response = await fetch(url, {
        method,
        headers: { "content-type": "application/json", "x-ui-locale": locale },
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "same-origin",
      });
      const data = (await response.json().catch(() => null)) as (Success | (GroupError & { ok: false })) | null;
      if (data?.ok) return data;
      setError(
        data && !data.ok
          ? { code: data.code, message: data.message, fieldErrors: data.fieldErrors ?? {} }
          : { code: "unexpected", message: t("errors.unexpected"), fieldErrors: {} },
      );
      return null;
    } catch {
      setError({ code: "network", message: t("errors.network"), fieldErrors: {} });
      return null;
    } finally {
      setPending(false);
    }
  }

  return { send, pending, error, setError };
}

export function RequestError({ error }: { error: GroupError | null }) {
  if (!error) return null;
  return (
    <p className="form-alert" role="alert">
      {error.message}
    </p>
  );
}
