"use client";

import { useLocale, useTranslations } from "next-intl";
import { useId, useState } from "react";
import { apiFetch } from "@/lib/http/api-client";
import { flagReasons, type FlagReason } from "../types";

/**
 * "Flag" on a note the reader can see (not their own, not private). Once sent, or when the
 * server says it was already flagged, it shows "you flagged this" and cannot be sent again.
 */
export function FlagButton({ noteId, initiallyFlagged = false }: { noteId: string; initiallyFlagged?: boolean }) {
  const t = useTranslations("Moderation");
  const locale = useLocale();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<FlagReason>("spam");
  const [details, setDetails] = useState("");
  const [flagged, setFlagged] = useState(initiallyFlagged);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  // The note data says so after a reload (flaggedByMe): one flag per reader and note, so a second
  // one would only be refused.
  if (flagged || initiallyFlagged) return <span className="flagged-notice">{t("flagged")}</span>;
  if (!open) {
    return (
      <button type="button" className="button-small" onClick={() => setOpen(true)}>
        {t("flag")}
      </button>
    );
  }

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError("");
    const result = await apiFetch(`/api/notes/${noteId}/flag`, {
      method: "POST",
      body: details.trim() ? { reason, details: details.trim() } : { reason },
      locale,
      networkMessage: t("errors.invalid"),
    });
    setBusy(false);
    // 409: flagged already (another tab): the reader's intent holds either way.
    if (result.ok || (result.status === 409 && result.code === "conflict")) {
      setFlagged(true);
      return;
    }
    setError(result.message);
  }

  return (
    <form className="flag-form" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <p id={`${id}-title`} className="flag-title">
        {t("flagTitle")}
      </p>
      <label htmlFor={`${id}-reason`}>{t("flagReason")}</label>
      <select id={`${id}-reason`} value={reason} onChange={(event) => setReason(event.target.value as FlagReason)} autoFocus>
        {flagReasons.map((value) => (
          <option key={value} value={value}>
            {t("reasonName", { reason: value })}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-details`}>{t("flagDetails")}</label>
      <input id={`${id}-details`} value={details} maxLength={500} onChange={(event) => setDetails(event.target.value)} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} />
      {error && (
        <p id={`${id}-error`} role="alert" className="form-error">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button-secondary" disabled={busy}>
          {t("flagSubmit")}
        </button>
        <button type="button" className="button-small" onClick={() => setOpen(false)}>
          {t("close")}
        </button>
      </div>
    </form>
  );
}
