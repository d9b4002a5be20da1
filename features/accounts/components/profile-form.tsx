"use client";

import { useTranslations } from "next-intl";
import { useId, useState, type FormEvent } from "react";
import { languageName } from "@/lib/i18n/language-names";
import { ErrorSummary, Field, fieldAria, formValues } from "./form-parts";
import { useApiRequest } from "@/components/use-api-request";

export function ProfileForm({ name, preferredLocale }: { name: string; preferredLocale: "en" | "ja" }) {
  const t = useTranslations("Account");
  const idPrefix = useId().replace(/:/g, "") + "profile";
  const { send, pending, error } = useApiRequest();
  const [saved, setSaved] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const result = await send("/api/profile", "PATCH", formValues(event.currentTarget, ["name", "preferredLocale"]));
    if (result) setSaved(true);
  }

  const labels = { name: t("name"), preferredLocale: t("preferredLocale") };
  const localeErrors = error?.fieldErrors.preferredLocale;
  return (
    <form className="form" onSubmit={onSubmit} noValidate data-testid="profile-form">
      <ErrorSummary error={error} idPrefix={idPrefix} labels={labels} />
      <Field
        idPrefix={idPrefix}
        name="name"
        label={labels.name}
        hint={t("nameHint")}
        defaultValue={name}
        autoComplete="nickname"
        maxLength={80}
        required
        errors={error?.fieldErrors.name}
      />
      <Field idPrefix={idPrefix} name="preferredLocale" label={labels.preferredLocale} hint={t("preferredLocaleHint")} errors={localeErrors}>
        <select {...fieldAria(idPrefix, "preferredLocale", true, localeErrors)} defaultValue={preferredLocale}>
          {(["en", "ja"] as const).map((locale) => (
            <option key={locale} value={locale} lang={locale}>
              {languageName(locale)}
            </option>
          ))}
        </select>
      </Field>
      <button type="submit" className="button" disabled={pending}>
        {pending ? t("submitting") : t("saveProfile")}
      </button>
      <p className="form-status" role="status">
        {saved ? t("profileSaved") : ""}
      </p>
    </form>
  );
}
