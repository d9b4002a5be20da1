"use client";

import { useLocale, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { apiFetch } from "@/lib/http/api-client";
import { useAdminAnnounce } from "./admin-announcer";
import type { SiteRole } from "@/lib/permissions/core";

type Message = { kind: "error" | "done"; text: string } | null;

/**
 * One account's actions in the Users table: its site role, a hand verification of its email
 * address, and suspend / lift. The server decides (last admin, no self-suspension); a refusal is
 * shown as it comes back, in the page's language.
 */
export function UserActions({
  user,
  self,
  roles,
}: {
  user: { id: string; name: string; role: SiteRole; emailVerified: boolean; suspended: boolean };
  self: boolean;
  /** SITE_ROLES, passed in: lib/permissions/core imports Prisma, which must stay out of the browser bundle. */
  roles: readonly SiteRole[];
}) {
  const t = useTranslations("Admin");
  const locale = useLocale();
  const router = useRouter();
  const announce = useAdminAnnounce();
  const id = useId();
  const [role, setRole] = useState<SiteRole>(user.role);
  const [reason, setReason] = useState("");
  const [until, setUntil] = useState("");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  const base = `/api/admin/users/${encodeURIComponent(user.id)}`;

  async function send(path: string, method: "POST" | "PATCH" | "DELETE", body: unknown, done: string) {
    setBusy(true);
    setMessage(null);
    announce?.("");
    const result = await apiFetch(path, { method, body, locale, networkMessage: t("errors.network") });
    setBusy(false);
    if (result.ok) {
      // The list's own status region: this row may leave a filtered list on refresh.
      if (announce) announce(done);
      else setMessage({ kind: "done", text: done });
      router.refresh();
    } else {
      announce?.("");
      setMessage({ kind: "error", text: result.message });
    }
  }

  return (
    <div className="admin-actions">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void send(base, "PATCH", { role }, t("users.roleChanged", { name: user.name, role: t("roleName", { role }) }));
        }}
      >
        <label htmlFor={`${id}-role`}>{t("users.roleLabel", { name: user.name })}</label>
        <select id={`${id}-role`} value={role} onChange={(event) => setRole(event.target.value as SiteRole)}>
          {roles.map((value) => (
            <option key={value} value={value}>
              {t("roleName", { role: value })}
            </option>
          ))}
        </select>
        <button type="submit" className="button-secondary" disabled={busy || role === user.role}>
          {t("users.changeRole")}
        </button>
      </form>
      {!user.emailVerified && (
        <button type="button" className="button-secondary" disabled={busy} onClick={() => void send(`${base}/email-verification`, "POST", {}, t("users.emailVerified"))}>
          {t("users.verifyEmail")}
        </button>
      )}
      {!self && (
        <details>
          <summary>{user.suspended ? t("users.liftTitle") : t("users.suspendTitle")}</summary>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (user.suspended) void send(`${base}/suspension`, "DELETE", { reason }, t("users.lifted"));
              else void send(`${base}/suspension`, "POST", { reason, endsAt: until ? new Date(until).toISOString() : null }, t("users.suspended"));
            }}
            noValidate
          >
            <label htmlFor={`${id}-reason`}>{user.suspended ? t("users.liftReason") : t("users.suspendReason")}</label>
            <textarea id={`${id}-reason`} rows={2} maxLength={1000} value={reason} onChange={(event) => setReason(event.target.value)} />
            {!user.suspended && (
              <>
                <label htmlFor={`${id}-until`}>{t("users.suspendUntil")}</label>
                <input id={`${id}-until`} type="datetime-local" value={until} onChange={(event) => setUntil(event.target.value)} />
              </>
            )}
            <button type="submit" className={user.suspended ? "button-secondary" : "button-danger"} disabled={busy}>
              {user.suspended ? t("users.lift") : t("users.suspend")}
            </button>
          </form>
        </details>
      )}
      <p role={message?.kind === "error" ? "alert" : "status"} className={message?.kind === "error" ? "form-error" : "form-done"}>
        {message?.text}
      </p>
    </div>
  );
}
