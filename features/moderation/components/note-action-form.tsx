"use client";

import { useLocale, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { apiFetch } from "@/lib/http/api-client";
import type { NoteAction } from "../types";
import { useQueueAnnounce } from "./queue-announcer";

/** Acts on one queued note from the version the moderator is looking at. */
export function NoteActionForm({ noteId, version, actions, canPurge }: { noteId: string; version: number; actions: NoteAction[]; canPurge: boolean }) {
  const t = useTranslations("Moderation");
  const locale = useLocale();
  const router = useRouter();
  const announce = useQueueAnnounce();
  const id = useId();
  const [action, setAction] = useState<NoteAction>(actions[0]!);
  const [publicReason, setPublicReason] = useState("");
  const [internalNote, setInternalNote] = useState("");
  const [confirm, setConfirm] = useState(false);
  const [message, setMessage] = useState<{ kind: "error" | "done"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const available = actions.filter((a) => a !== "purge" || canPurge);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    const result = await apiFetch(`/api/moderation/notes/${noteId}`, {
      method: "POST",
      body: { action, version, publicReason, internalNote, ...(action === "purge" && confirm ? { confirm: true } : {}) },
      locale,
      networkMessage: t("errors.invalid"),
    });
    setBusy(false);
    if (result.ok) {
      const done = t("actionDone", { action });
      setMessage({ kind: "done", text: done });
      // The item may leave the list on refresh: the queue's own region keeps the message.
      announce?.(done);
      router.refresh();
    } else setMessage({ kind: "error", text: result.message });
  }

  return (
    <form className="moderation-form" onSubmit={submit} noValidate>
      <label htmlFor={`${id}-action`}>{t("actionFilter")}</label>
      <select id={`${id}-action`} value={action} onChange={(event) => setAction(event.target.value as NoteAction)}>
        {available.map((a) => (
          <option key={a} value={a}>
            {t("actionName", { action: a })}
          </option>
        ))}
      </select>
      <label htmlFor={`${id}-public`}>{t("publicReason")}</label>
      <textarea id={`${id}-public`} rows={2} maxLength={1000} value={publicReason} onChange={(event) => setPublicReason(event.target.value)} />
      <label htmlFor={`${id}-internal`}>{t("internalNote")}</label>
      <textarea id={`${id}-internal`} rows={2} maxLength={2000} value={internalNote} onChange={(event) => setInternalNote(event.target.value)} />
      {action === "purge" && (
        <label className="checkbox-label">
          <input type="checkbox" checked={confirm} onChange={(event) => setConfirm(event.target.checked)} /> {t("confirmPurge")}
        </label>
      )}
      {message && (
        <p role={message.kind === "error" ? "alert" : "status"} className={message.kind === "error" ? "form-error" : "form-done"}>
          {message.text}
        </p>
      )}
      <button type="submit" className="button-primary" disabled={busy}>
        {t("apply")}
      </button>
    </form>
  );
}
