"use client";

import { useLocale, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { apiFetch } from "@/lib/http/api-client";

/** Suspends a note's author (site moderators), or lifts the suspension. */
export function SuspendForm({ userId, name }: { userId: string; name: string }) {
  const t = useTranslations("Moderation");
  const locale = useLocale();
  const router = useRouter();
  const id = useId();
  const [reason, setReason] = useState("");
  const [until, setUntil] = useState("");
  const [message, setMessage] = useState<{ kind: "error" | "done"; text: string } | null>(null);

  async function send(method: "POST" | "DELETE") {
    setMessage(null);
    const endsAt = until ? new Date(until).toISOString() : null;
    const result = await apiFetch(`/api/moderation/users/${encodeURIComponent(userId)}/suspension`, {
      method,
      body: method === "POST" ? { reason, endsAt } : { reason },
      locale,
      networkMessage: t("errors.invalid"),
    });
    if (result.ok) {
      setMessage({ kind: "done", text: t("actionDone", { action: method === "POST" ? "suspend" : "unsuspend" }) });
      router.refresh();
    } else setMessage({ kind: "error", text: result.message });
  }

  return (
    <details className="suspend-form">
      <summary>{t("suspendTitle")}</summary>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void send("POST");
        }}
        noValidate
      >
        <p>{t("author", { name })}</p>
        <label htmlFor={`${id}-reason`}>{t("suspendReason")}</label>
        <textarea id={`${id}-reason`} rows={2} maxLength={1000} value={reason} onChange={(event) => setReason(event.target.value)} />
        <label htmlFor={`${id}-until`}>{t("suspendUntil")}</label>
        <input id={`${id}-until`} type="datetime-local" value={until} onChange={(event) => setUntil(event.target.value)} />
        {message && (
          <p role={message.kind === "error" ? "alert" : "status"} className={message.kind === "error" ? "form-error" : "form-done"}>
            {message.text}
          </p>
        )}
        <div className="form-actions">
          <button type="submit" className="button-danger">
            {t("suspendSubmit")}
          </button>
          <button type="button" className="button-secondary" onClick={() => void send("DELETE")}>
            {t("liftSubmit")}
          </button>
        </div>
      </form>
    </details>
  );
}
