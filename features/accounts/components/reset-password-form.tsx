"use client";

import { useLocale, useTranslations } from "next-intl";
import { useId, type FormEvent } from "react";
import { ErrorSummary, Field, formValues } from "./form-parts";
import { useApiRequest } from "@/components/use-api-request";

/** The new password for a reset link; on success this browser is signed in and goes to the profile. */
export function ResetPasswordForm({ token }: { token: string }) {
  const t = useTranslations("PasswordReset");
  const locale = useLocale();
  const idPrefix = useId().replace(/:/g, "") + "reset";
  const { send, pending, error } = useApiRequest();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = await send("/api/auth/reset-password", "POST", { token, ...formValues(event.currentTarget, ["newPassword"]) });
    // A full load, not a client navigation: the new session cookie must reach the header.
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    if (result) window.location.assign(`/${locale}/profile`);
  }

  const labels = { newPassword: t("newPassword") };
  return (
    <form className="form" onSubmit={onSubmit} noValidate data-testid="reset-password-form">
      <ErrorSummary error={error} idPrefix={idPrefix} labels={labels} />
      <Field
        idPrefix={idPrefix}
        name="newPassword"
        label={labels.newPassword}
        hint={t("passwordHint")}
        type="password"
        autoComplete="new-password"
        minLength={10}
        maxLength={200}
        required
        errors={error?.fieldErrors.newPassword}
      />
      <button type="submit" className="button" disabled={pending}>
        {pending ? t("submitting") : t("submitReset")}
      </button>
    </form>
  );
}
