"use client";

import { useFormatter, useLocale, useNow, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { articleHref } from "@/features/articles/types";
import type { AppLocale } from "@/i18n/routing";
import { apiFetch } from "@/lib/http/api-client";
import type { NotificationDto } from "../types";
import "./notifications.css";
import { looksJapanese } from "@/lib/text/script";


/** The list on /notifications: opening one marks it read on the way to the note. */
export function NotificationsList({ notifications, unread }: { notifications: NotificationDto[]; unread: number }) {
  const t = useTranslations("Notifications");
  const locale = useLocale();
  const format = useFormatter();
  const now = useNow({ updateInterval: 30_000 });
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");

  async function markAll() {
    setBusy(true);
    setError("");
    const result = await apiFetch("/api/notifications/read-all", { method: "POST", locale, networkMessage: t("markFailed") });
    setBusy(false);
    if (!result.ok) return setError(t("markFailed"));
    router.refresh();
  }

  function markRead(id: string) {
    // keepalive: the request survives the navigation the link starts.
    void apiFetch(`/api/notifications/${id}/read`, { method: "POST", locale, networkMessage: "", keepalive: true });
  }

  if (!notifications.length) return <p className="notifications-empty">{t("empty")}</p>;
  return (
    <>
      <div className="form-actions">
        <button type="button" className="button-secondary" onClick={markAll} disabled={busy || unread === 0} data-testid="mark-all-read">
          {t("markAllRead")}
        </button>
      </div>
      {error && (
        <p role="alert" className="form-error">
          {error}
        </p>
      )}
      <ul className="notification-list">
        {notifications.map((n) => {
          const created = new Date(n.createdAt);
          return (
            <li key={n.id} className={n.read ? "notification" : "notification unread"} data-testid="notification">
              <a href={`${articleHref(locale as AppLocale, { slug: n.note.articleSlug, groupId: n.note.articleGroupId })}#note-${n.note.id}`} onClick={() => markRead(n.id)}>
                <span className="notification-state">{n.read ? t("read") : t("unread")}</span>{" "}
                <strong>
                  {n.moderation
                    ? t("moderation", { action: n.moderation.action, reason: n.moderation.publicReason })
                    : t("kind", { kind: n.kind, name: n.actor?.name ?? t("someone") })}
                </strong>
              </a>
              <p className="notification-excerpt" lang={looksJapanese(n.note.excerpt) ? "ja" : "en"}>
                {n.note.excerpt}
              </p>
              <time dateTime={n.createdAt} title={format.dateTime(created, { dateStyle: "medium", timeStyle: "short" })}>
                {format.relativeTime(created, now)}
              </time>
            </li>
          );
        })}
      </ul>
    </>
  );
}
