"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { useApiRequest } from "@/components/use-api-request";

/** The profile's email section: confirmed or not, and "Send the link again" while it is not. */
export function EmailVerificationSection({ email, verified, restricted }: { email: string; verified: boolean; restricted: boolean }) {
  const t = useTranslations("EmailVerification");
  const { send, pending, error } = useApiRequest();
  const [resent, setResent] = useState(false);

  async function resend() {
    setResent(false);
    if (await send("/api/profile/verification", "POST")) setResent(true);
  }

  if (verified) return <p data-testid="email-verified">{t("profileVerified", { email })}</p>;
  return (
    <div data-testid="email-unverified">
      <p>{t("profileUnverified", { email })}</p>
      {restricted && <p>{t("profileRestricted")}</p>}
      {error && (
        <div className="form-alert" role="alert">
          <p>{error.message}</p>
        </div>
      )}
      <button type="button" className="button" onClick={resend} disabled={pending}>
        {pending ? t("submitting") : t("resend")}
      </button>
      <p className="form-status" role="status">
        {resent ? t("resent", { email }) : ""}
      </p>
    </div>
  );
}
