import { getTranslations } from "next-intl/server";
import { Link } from "@/components/link";
import type { AppLocale } from "@/i18n/routing";
import type { InviteState } from "../types";
import { JoinButton } from "./join-button";
import "./groups.css";

export async function InviteView({ locale, token, state, signedIn }: { locale: AppLocale; token: string; state: InviteState; signedIn: boolean }) {
  const t = await getTranslations({ locale, namespace: "Groups" });
  if (state.status !== "valid") {
    const key = ({ invalid: "invite.invalid", expired: "invite.expired", revoked: "invite.revoked", used_up: "invite.usedUp" } as const)[state.status];
    return (
      <div className="groups-page" data-testid="invite-unusable">
        <h1>{t("invite.unusableHeading")}</h1>
        <p className="lead">{t(key)}</p>
      </div>
    );
  }
  const next = `/${locale}/invite/${token}`;
  return (
    <div className="groups-page">
      <h1>{t("invite.heading")}</h1>
      <p className="lead" data-testid="invite-group">
        {t("invite.intro", { name: state.group.name })}
      </p>
      {state.alreadyMember ? (
        <>
          <p>{t("invite.alreadyMember")}</p>
          <Link href={`/groups/${state.group.id}`} className="button">
            {t("invite.openGroup")}
          </Link>
        </>
      ) : signedIn ? (
        <JoinButton token={token} groupName={state.group.name} />
      ) : (
        <>
          <p>{t("invite.signedOut")}</p>
          <p className="inline-controls">
            <Link href={{ pathname: "/sign-in", query: { next } }} className="button" data-testid="invite-sign-in">
              {t("invite.signIn")}
            </Link>
            <Link href={{ pathname: "/sign-up", query: { next } }} className="button button-secondary" data-testid="invite-sign-up">
              {t("invite.signUp")}
            </Link>
          </p>
        </>
      )}
    </div>
  );
}
