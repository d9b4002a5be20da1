"use client";

import { useTranslations } from "next-intl";
import { useId, type FormEvent } from "react";
import { ErrorSummary, Field, formValues } from "./form-parts";
import { useApiRequest } from "@/components/use-api-request";

export function SignUpForm({ next }: { next: string }) {
  const t = useTranslations("Account");
  const idPrefix = useId().replace(/:/g, "") + "sign-up";
  const { send, pending, error } = useApiRequest();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = await send("/api/auth/sign-up", "POST", formValues(event.currentTarget, ["name", "email", "password"]));
    if (result) window.location.assign(next);
  }

  const labels = { name: t("name"), email: t("email"), password: t("password") };
  return (
    <form className="form" onSubmit={onSubmit} noValidate data-testid="sign-up-form">
      <ErrorSummary error={error} idPrefix={idPrefix} labels={labels} />
      <Field
        idPrefix={idPrefix}
        name="name"
        label={labels.name}
        hint={t("nameHint")}
        autoComplete="nickname"
        maxLength={80}
        required
        errors={error?.fieldErrors.name}
      />
      <Field idPrefix={idPrefix} name="email" label={labels.email} type="email" autoComplete="email" required errors={error?.fieldErrors.email} />
      <Field
        idPrefix={idPrefix}
        name="password"
        label={labels.password}
        hint={t("passwordHint")}
        type="password"
        autoComplete="new-password"
        minLength={10}
        maxLength={200}
        required
        errors={error?.fieldErrors.password}
      />
      <button type="submit" className="button" disabled={pending}>
        {pending ? t("submitting") : t("submitSignUp")}
      </button>
    </form>
  );
}
