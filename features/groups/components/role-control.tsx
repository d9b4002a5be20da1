"use client";

import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { useRouter } from "next/navigation";
import type { GroupRole } from "../types";
import { useApiRequest } from "@/components/use-api-request";
import { RequestError } from "./use-group-request";

/** Owner-only: change another member's role. Carries the group version it was rendered with. */
export function RoleControl({ groupId, userId, name, role, version }: { groupId: string; userId: string; name: string; role: GroupRole; version: number }) {
  const t = useTranslations("Groups");
  const router = useRouter();
  const id = useId();
  const [value, setValue] = useState<GroupRole>(role);
  const { send, pending, error } = useApiRequest();
  const labels: Record<GroupRole, string> = { owner: t("roleOwner"), moderator: t("roleModerator"), member: t("roleMember") };

  async function save() {
    if (await send(`/api/groups/${groupId}/members/${userId}`, "PATCH", { role: value, version })) router.refresh();
  }

  return (
    <div className="inline-controls">
      <label htmlFor={id} className="visually-hidden">
        {t("roleFor", { name })}
      </label>
      <select id={id} value={value} onChange={(event) => setValue(event.target.value as GroupRole)}>
        {(["owner", "moderator", "member"] as const).map((option) => (
          <option key={option} value={option}>
            {labels[option]}
          </option>
        ))}
      </select>
      <button type="button" className="button button-secondary" onClick={save} disabled={pending || value === role} aria-label={`${t("changeRole")}: ${name}`}>
        {t("changeRole")}
      </button>
      <RequestError error={error} />
    </div>
  );
}
