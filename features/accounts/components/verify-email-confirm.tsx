"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { useApiRequest } from "@/components/use-api-request";

/**
 * The verification link's page asks for one click instead of verifying on GET: mail scanners and
 * link previews fetch links, and must not use up a single-use link (ADR 0033).
 */
export function VerifyEmailConfirm({ token }: { token: string }) {
  const t = useTranslations("EmailVerification");
  const { send, pending, error } = useApiRequest();
  const [email, setEmail] = useState<string | null>(null);

  async function confirm() {
    const result = await send<{ email: string }>("/api/auth/verify-email", "POST", { token });
    if (result) setEmail(result.email);
  }

  if (email) {
    return (
      <div role="status" data-testid="verify-email-done">
        <h2>{t("verifiedTitle")}</h2>
        <p>{t("verifiedBody", { email })}</p>
      </div>
    );
  }
  return (
    <div data-testid="verify-email-confirm">
      {error && (
        <div className="form-alert" role="alert">
          <p>{error.message}</p>
        </div>
      )}
      <p>{t("confirmIntro")}</p>
      <button type="button" className="button" onClick={confirm} disabled={pending}>
        {pending ? t("submitting") : t("confirmButton")}
      </button>
    </div>
  );
}
