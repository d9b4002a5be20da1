"use client";

import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useApiRequest } from "@/components/use-api-request";
import { RequestError } from "./use-group-request";

/**
 * A destructive action in two steps (button, then "Yes, continue"): no window.confirm, so it
 * works the same with a screen reader, a keyboard and in tests. Afterwards the page reloads its
 * data, or goes to `then` when the viewer has no business on it any more.
 */
export function ConfirmAction({
  url,
  method,
  label,
  question,
  then,
  danger = false,
  testId,
}: {
  url: string;
  method: "POST" | "DELETE";
  label: string;
  question: string;
  then?: string;
  danger?: boolean;
  testId?: string;
}) {
  const t = useTranslations("Groups");
  const router = useRouter();
  // next/navigation's router takes whole paths: the locale prefix is ours to add.
  const locale = useLocale();
  const { send, pending, error } = useApiRequest();
  const [asking, setAsking] = useState(false);

  async function run() {
    const result = await send(url, method);
    setAsking(false);
    if (!result) return;
    if (then) router.push(`/${locale}${then}`);
    else router.refresh();
  }

  return (
    <div data-testid={testId}>
      {asking ? (
        <div className="inline-controls" role="group" aria-label={question}>
          <span>{question}</span>
          <button type="button" className={danger ? "button button-danger" : "button"} onClick={run} disabled={pending}>
            {t("confirm")}
          </button>
          <button type="button" className="button button-secondary" onClick={() => setAsking(false)} disabled={pending}>
            {t("cancel")}
          </button>
        </div>
      ) : (
        <button type="button" className={danger ? "button button-danger" : "button button-secondary"} onClick={() => setAsking(true)}>
          {label}
        </button>
      )}
      <RequestError error={error} />
    </div>
  );
}
