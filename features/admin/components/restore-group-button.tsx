"use client";

import { useLocale, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { apiFetch } from "@/lib/http/api-client";
import { useAdminAnnounce } from "./admin-announcer";

/** Restores a deleted group (its members and notes come back with it). */
export function RestoreGroupButton({ group, deleted }: { group: { id: string; name: string }; deleted: boolean }) {
  const t = useTranslations("Admin");
  const locale = useLocale();
  const router = useRouter();
  const announce = useAdminAnnounce();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: "error" | "done"; text: string } | null>(null);

  async function restore() {
    setBusy(true);
    setMessage(null);
    announce?.("");
    const result = await apiFetch(`/api/admin/groups/${encodeURIComponent(group.id)}/restore`, { method: "POST", body: {}, locale, networkMessage: t("errors.network") });
    setBusy(false);
    if (result.ok) {
      const done = t("groups.restored", { name: group.name });
      // The list's own status region: under "Deleted" this row leaves the list on refresh.
      if (announce) announce(done);
      else setMessage({ kind: "done", text: done });
      router.refresh();
    } else setMessage({ kind: "error", text: result.message });
  }

  return (
    <div className="admin-actions">
      {deleted && (
        <button type="button" className="button-secondary" disabled={busy} onClick={() => void restore()}>
          {t("groups.restore", { name: group.name })}
        </button>
      )}
      <p role={message?.kind === "error" ? "alert" : "status"} className={message?.kind === "error" ? "form-error" : "form-done"}>
        {message?.text}
      </p>
    </div>
  );
}
