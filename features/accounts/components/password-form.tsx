"use client";

import { useTranslations } from "next-intl";
import { useId, useState, type FormEvent } from "react";
import { ErrorSummary, Field, formValues } from "./form-parts";
import { useApiRequest } from "@/components/use-api-request";

export function PasswordForm() {
  const t = useTranslations("Account");
  const idPrefix = useId().replace(/:/g, "") + "password";
  const { send, pending, error } = useApiRequest();
  const [changed, setChanged] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setChanged(false);
    const form = event.currentTarget;
    const result = await send("/api/profile/password", "POST", formValues(form, ["currentPassword", "newPassword"]));
    if (result) {
      form.reset();
      setChanged(true);
    }
  }

  const labels = { currentPassword: t("currentPassword"), newPassword: t("newPassword") };
  return (
    <form className="form" onSubmit={onSubmit} noValidate data-testid="password-form">
      <ErrorSummary error={error} idPrefix={idPrefix} labels={labels} />
      <Field
        idPrefix={idPrefix}
        name="currentPassword"
        label={labels.currentPassword}
        type="password"
        autoComplete="current-password"
        required
        errors={error?.fieldErrors.currentPassword}
      />
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
        {pending ? t("submitting") : t("changePassword")}
      </button>
      <p className="form-status" role="status">
        {changed ? t("passwordChanged") : ""}
      </p>
    </form>
  );
}
