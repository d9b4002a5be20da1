"use client";

import { useTranslations } from "next-intl";
import { useId, useState, type FormEvent } from "react";
import { ErrorSummary, Field, formValues } from "./form-parts";
import { useApiRequest } from "@/components/use-api-request";

/** "Forgot password?": the answer is the same whether or not the address has an account. */
export function ForgotPasswordForm() {
  const t = useTranslations("PasswordReset");
  const idPrefix = useId().replace(/:/g, "") + "forgot";
  const { send, pending, error } = useApiRequest();
  const [sentTo, setSentTo] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSentTo(null);
    const values = formValues(event.currentTarget, ["email"]);
    const result = await send("/api/auth/forgot-password", "POST", values);
    if (result) setSentTo(String(values.email ?? "").trim());
  }

  const labels = { email: t("email") };
  return (
    <form className="form" onSubmit={onSubmit} noValidate data-testid="forgot-password-form">
      <ErrorSummary error={error} idPrefix={idPrefix} labels={labels} />
      <Field idPrefix={idPrefix} name="email" label={labels.email} type="email" autoComplete="username" required errors={error?.fieldErrors.email} />
      <button type="submit" className="button" disabled={pending}>
        {pending ? t("submitting") : t("submitRequest")}
      </button>
      <p className="form-status" role="status" data-testid="forgot-password-status">
        {sentTo ? t("requestSent", { email: sentTo }) : ""}
      </p>
    </form>
  );
}
