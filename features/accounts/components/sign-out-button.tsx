"use client";

import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { apiFetch } from "@/lib/http/api-client";

/** Signs out and goes to the locale home (the profile page would only send them to sign-in). */
export function SignOutButton() {
  const t = useTranslations("Account");
  const locale = useLocale();
  const [pending, setPending] = useState(false);
  const [failed, setFailed] = useState(false);

  async function signOut() {
    setPending(true);
    setFailed(false);
    const result = await apiFetch("/api/auth/sign-out", { method: "POST", locale, networkMessage: t("errors.network") });
    if (!result.ok) {
      setFailed(true);
      setPending(false);
      return;
    }
    // A full load on purpose: cached pages and the header must be fetched without the session.
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    window.location.assign(`/${locale}`);
  }

  return (
    <>
      <button type="button" className="button button-secondary" onClick={signOut} disabled={pending} data-testid="profile-sign-out">
        {t("signOut")}
      </button>
      {failed && (
        <p className="form-alert" role="alert">
          {t("errors.network")}
        </p>
      )}
    </>
  );
}
