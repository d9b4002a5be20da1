"use client";

import { useTranslations } from "next-intl";
import { useId, useState, type FormEvent } from "react";
import { useApiRequest } from "@/components/use-api-request";
import { MAIL_FREQUENCIES, MAIL_PREFERENCE_KINDS, type MailPreferences, type MailSettingsDto } from "../types";

/**
 * The profile's "Notification mail" section: one select per kind of notification (ADR 0035).
 * Saved with one PUT of all four; the server's answer is what the form shows afterwards.
 */
export function MailPreferencesForm({ settings, email, digestHour }: { settings: MailSettingsDto; email: string; digestHour: number }) {
  const t = useTranslations("MailDigest.preferences");
  const idPrefix = useId().replace(/:/g, "") + "mail";
  const { send, pending, error } = useApiRequest();
  const [saved, setSaved] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const data = new FormData(event.currentTarget);
    const body = Object.fromEntries(MAIL_PREFERENCE_KINDS.map((kind) => [kind, String(data.get(kind) ?? "")])) as MailPreferences;
    if (await send("/api/notifications/mail-preferences", "PUT", body)) setSaved(true);
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate data-testid="mail-preferences-form">
      <p>{t("intro")}</p>
      {!settings.emailVerified && (
        <p className="field-hint" data-testid="mail-unverified">
          {t("unverified", { email })}
        </p>
      )}
      {error && (
        <div className="form-alert" role="alert">
          <p>{error.message}</p>
        </div>
      )}
      <fieldset className="mail-preferences">
        <legend>{t("legend")}</legend>
        {MAIL_PREFERENCE_KINDS.map((kind) => {
          const id = `${idPrefix}-${kind}`;
          const errors = error?.fieldErrors[kind];
          return (
            <div className="field" key={kind}>
              <label htmlFor={id}>{t(kind)}</label>
              <select
                id={id}
                name={kind}
                defaultValue={settings.preferences[kind]}
                aria-invalid={errors?.length ? true : undefined}
                aria-describedby={errors?.length ? `${id}-error` : undefined}
              >
                {MAIL_FREQUENCIES.map((frequency) => (
                  <option key={frequency} value={frequency}>
                    {t("frequency", { frequency })}
                  </option>
                ))}
              </select>
              {errors?.length ? (
                <p id={`${id}-error`} className="field-error">
                  {errors.join(" ")}
                </p>
              ) : null}
            </div>
          );
        })}
      </fieldset>
      <p className="field-hint">{t("schedule", { hour: digestHour })}</p>
      <button type="submit" className="button" disabled={pending}>
        {pending ? t("saving") : t("save")}
      </button>
      <p className="form-status" role="status">
        {saved ? t("saved") : ""}
      </p>
    </form>
  );
}
