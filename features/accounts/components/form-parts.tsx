"use client";

import { useTranslations } from "next-intl";
import type { InputHTMLAttributes, ReactNode } from "react";
import type { ApiFailure } from "@/lib/http/api-client";

// The pieces every account form shares (calls go through components/use-api-request.ts): a labelled
// field whose error is tied to it (aria-describedby / aria-invalid), and an alert summary.

export type FormError = ApiFailure;

/**
 * The alert above the form. For field errors it lists them with links to the fields, so a
 * screen-reader user hears what to fix and can jump there.
 */
export function ErrorSummary({ error, idPrefix, labels }: { error: FormError | null; idPrefix: string; labels: Record<string, string> }) {
  const t = useTranslations("Account");
  if (!error) return null;
  // In the order the fields appear on the form (labels), not the order the server found them.
  const fields = Object.keys(labels).flatMap((field) => (error.fieldErrors[field]?.length ? [[field, error.fieldErrors[field]] as const] : []));
  return (
    <div className="form-alert" role="alert" data-testid="form-alert">
      {fields.length ? (
        <>
          <p>{t("errorSummary")}</p>
          <ul>
            {fields.map(([field, messages]) => (
              <li key={field}>
                <a href={`#${idPrefix}-${field}`}>{labels[field]}</a>
                {t("fieldErrorSeparator")}
                {messages.join(" ")}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>{error.message}</p>
      )}
    </div>
  );
}

export function Field({
  idPrefix,
  name,
  label,
  hint,
  errors,
  children,
  ...input
}: {
  idPrefix: string;
  name: string;
  label: string;
  hint?: string;
  errors?: string[];
  children?: ReactNode;
} & InputHTMLAttributes<HTMLInputElement>) {
  const id = `${idPrefix}-${name}`;
  const describedBy = [hint ? `${id}-hint` : null, errors?.length ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      {children ?? <input id={id} name={name} aria-invalid={errors?.length ? true : undefined} aria-describedby={describedBy} {...input} />}
      {errors?.length ? (
        <p id={`${id}-error`} className="field-error">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

/** Field ids for a select or anything else Field cannot render itself. */
export function fieldAria(idPrefix: string, name: string, hint: boolean, errors?: string[]) {
  const id = `${idPrefix}-${name}`;
  return {
    id,
    name,
    "aria-invalid": errors?.length ? true : undefined,
    "aria-describedby": [hint ? `${id}-hint` : null, errors?.length ? `${id}-error` : null].filter(Boolean).join(" ") || undefined,
  } as const;
}

/** Reads a form's fields as strings (the API validates them; the browser only helps). */
export function formValues(form: HTMLFormElement, names: string[]): Record<string, string> {
  const data = new FormData(form);
  return Object.fromEntries(names.map((name) => [name, String(data.get(name) ?? "")]));
}
