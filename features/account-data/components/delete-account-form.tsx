"use client";

import { useLocale, useTranslations } from "next-intl";
import { useId, useRef, useState, type FormEvent } from "react";
import { useApiRequest } from "@/components/use-api-request";
import { ErrorSummary, Field } from "@/features/accounts/components/form-parts";
import "./account-data.css";

/**
 * "Delete my account": a first button opens the form (nothing happens by accident), which asks
 * what becomes of the public and group notes and for the password. After the deletion the page
 * says so; the link home is a full navigation, so the header forgets the session too.
 */
export function DeleteAccountForm() {
  const t = useTranslations("AccountData");
  const locale = useLocale();
  const idPrefix = useId().replace(/:/g, "") + "delete";
  const { send, pending, error, setError } = useApiRequest();
  const [open, setOpen] = useState(false);
  const [deleted, setDeleted] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const result = await send("/api/account", "DELETE", { password: String(data.get("password") ?? ""), notes: String(data.get("notes") ?? "keep") });
    if (result) setDeleted(true);
  }

  if (deleted) {
    return (
      <div role="status" data-testid="account-deleted">
        <p>{t("deleted")}</p>
        <p>
          <a href={`/${locale}`}>{t("homeLink")}</a>
        </p>
      </div>
    );
  }

  const labels = { password: t("passwordLabel"), notes: t("notesLegend") };
  return (
    <div className="form">
      <p>{t("deleteIntro")}</p>
      {!open ? (
        <p>
          <button ref={opener} type="button" className="button-danger" onClick={() => setOpen(true)}>
            {t("deleteOpen")}
          </button>
        </p>
      ) : (
        <form className="form" onSubmit={onSubmit} noValidate data-testid="delete-account-form">
          <ErrorSummary error={error} idPrefix={idPrefix} labels={labels} />
          <fieldset className="account-data-fieldset">
            <legend>{labels.notes}</legend>
            <label>
              <input type="radio" name="notes" value="keep" defaultChecked /> {t("notesKeep")}
            </label>
            <label>
              <input type="radio" name="notes" value="erase" /> {t("notesErase")}
            </label>
          </fieldset>
          <Field
            idPrefix={idPrefix}
            name="password"
            label={labels.password}
            hint={t("passwordHint")}
            type="password"
            autoComplete="current-password"
            required
            autoFocus
            errors={error?.fieldErrors.password}
          />
          <p className="account-data-actions">
            <button type="submit" className="button-danger" disabled={pending}>
              {pending ? t("deleting") : t("deleteConfirm")}
            </button>
            <button
              type="button"
              className="button-secondary"
              onClick={() => {
                setOpen(false);
                setError(null);
                requestAnimationFrame(() => opener.current?.focus());
              }}
            >
              {t("deleteCancel")}
            </button>
          </p>
        </form>
      )}
    </div>
  );
}
