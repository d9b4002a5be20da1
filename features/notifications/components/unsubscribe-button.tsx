"use client";

import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { useApiRequest } from "@/components/use-api-request";
import { ClientLink } from "@/components/client-link";
import type { UnsubscribeScope } from "@/lib/auth/unsubscribe-token";

/**
 * The unsubscribe page's one button. Opening the link changes nothing (mail scanners fetch
 * links); the click posts the token, which is honoured at once (ADR 0035).
 */
export function UnsubscribeButton({ token, scope }: { token: string; scope: UnsubscribeScope }) {
  const t = useTranslations("MailDigest.unsubscribe");
  const locale = useLocale();
  const { send, pending, error } = useApiRequest();
  const [done, setDone] = useState(false);

  async function unsubscribe() {
    if (await send(`/api/notifications/unsubscribe?token=${encodeURIComponent(token)}`, "POST")) setDone(true);
  }

  return (
    <div className="form" data-testid="unsubscribe">
      {!done && <p>{t("question", { scope })}</p>}
      {error && (
        <div className="form-alert" role="alert">
          <p>{error.message}</p>
        </div>
      )}
      {!done && (
        <button type="button" className="button" onClick={unsubscribe} disabled={pending}>
          {pending ? t("working") : t("button")}
        </button>
      )}
      <p className="form-status" role="status">
        {done ? t("done", { scope }) : ""}
      </p>
      {done && (
        <p>
          <ClientLink href={`/${locale}/profile#profile-mail`}>{t("settingsLink")}</ClientLink>
        </p>
      )}
    </div>
  );
}
