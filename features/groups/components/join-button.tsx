"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "@/i18n/navigation";
import { useApiRequest } from "@/components/use-api-request";
import { RequestError } from "./use-group-request";

/** Joins through the invite and opens the group (also when the viewer was already in it). */
export function JoinButton({ token, groupName }: { token: string; groupName: string }) {
  const t = useTranslations("Groups");
  const router = useRouter();
  const { send, pending, error } = useApiRequest();

  async function join() {
    const result = await send(`/api/invites/${token}/join`, "POST");
    if (result) router.push(`/groups/${String(result.groupId)}`);
  }

  return (
    <div>
      <button type="button" className="button" onClick={join} disabled={pending} data-testid="join-group">
        {t("invite.join", { name: groupName })}
      </button>
      <RequestError error={error} />
    </div>
  );
}
