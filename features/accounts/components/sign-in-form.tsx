"use client";

import { useTranslations } from "next-intl";
import { useId, type FormEvent } from "react";
import { ErrorSummary, Field, formValues } from "./form-parts";
import { useApiRequest } from "@/components/use-api-request";

/** `next` has been validated by the page (safeNextPath): the server never trusts it either. */
export function SignInForm({ next }: { next: string }) {
  const t = useTranslations("Account");
  const idPrefix = useId().replace(/:/g, "") + "sign-in";
  const { send, pending, error } = useApiRequest();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = await send("/api/auth/sign-in", "POST", formValues(event.currentTarget, ["email", "password"]));
    if (result) window.location.assign(next);
  }

  const labels = { email: t("email"), password: t("password") };
  return (
    <form className="form" onSubmit={onSubmit} noValidate data-testid="sign-in-form">
      <ErrorSummary error={error} idPrefix={idPrefix} labels={labels} />
      <Field idPrefix={idPrefix} name="email" label={labels.email} type="email" autoComplete="username" required errors={error?.fieldErrors.email} />
      <Field
        idPrefix={idPrefix}
        name="password"
        label={labels.password}
        type="password"
        autoComplete="current-password"
        required
        errors={error?.fieldErrors.password}
      />
      <button type="submit" className="button" disabled={pending}>
        {pending ? t("submitting") : t("submitSignIn")}
      </button>
    </form>
  );
}
