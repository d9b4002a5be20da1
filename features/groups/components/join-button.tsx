"use client";

import { useLocale, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useApiRequest } from "@/components/use-api-request";
import { RequestError } from "./use-group-request";

/** Joins through the invite and opens the group (also when the viewer was already in it). */
export function JoinButton({ token, groupName }: { token: string; groupName: string }) {
  const t = useTranslations("Groups");
  const router = useRouter();
  // next/navigation's router takes whole paths: the locale prefix is ours to add.
  const locale = useLocale();
  const { send, pending, error } = useApiRequest();

  async function join() {
    const result = await send(`/api/invites/${token}/join`, "POST");
    if (result) router.push(`/${locale}/groups/${String(result.groupId)}`);
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
