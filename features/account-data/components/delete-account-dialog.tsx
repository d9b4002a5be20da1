"use client";

import { useTranslations } from "next-intl";
import { useId, type FormEvent } from "react";
import { useApiRequest } from "@/components/use-api-request";
import { ErrorSummary, Field } from "@/features/accounts/components/form-parts";

/**
 * The deletion form behind "Delete my account…": what becomes of the public and group notes,
 * and the password. Loaded by DeleteAccountForm when the button is first pressed.
 */
export function DeleteAccountDialog({ onCancel, onDeleted }: { onCancel: () => void; onDeleted: () => void }) {
  const t = useTranslations("AccountData");
  const idPrefix = useId().replace(/:/g, "") + "delete";
  const { send, pending, error } = useApiRequest();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const result = await send("/api/account", "DELETE", { password: String(data.get("password") ?? ""), notes: String(data.get("notes") ?? "keep") });
    if (result) onDeleted();
  }

  const labels = { password: t("passwordLabel"), notes: t("notesLegend") };
  return (
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
        <button type="button" className="button-secondary" onClick={onCancel}>
          {t("deleteCancel")}
        </button>
      </p>
    </form>
  );
}
