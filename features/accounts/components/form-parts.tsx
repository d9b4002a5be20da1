"use client";

import { useLocale, useTranslations } from "next-intl";
import { useState, type InputHTMLAttributes, type ReactNode } from "react";

// The pieces every account form shares: a JSON submit that speaks our API envelope, a labelled
// field whose error is tied to it (aria-describedby / aria-invalid), and an alert summary.

export type FormError = { code: string; message: string; fieldErrors: Record<string, string[]> };
type Success = { ok: true } & Record<string, unknown>;

export function useApiSubmit(url: string, method: "POST" | "PATCH" = "POST") {
  const locale = useLocale();
  const t = useTranslations("Account");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<FormError | null>(null);

  async function submit(body: unknown): Promise<Success | null> {
    setPending(true);
    setError(null);
    try {
      const response = await fetch(url, {
        method,
        headers: { "content-type": "application/json", "x-ui-locale": locale },
        body: JSON.stringify(body),
        credentials: "same-origin",
      });
      const data = (await response.json().catch(() => null)) as (Success | (FormError & { ok: false })) | null;
      if (data?.ok) return data;
      setError(
        data && !data.ok
          ? { code: data.code, message: data.message, fieldErrors: data.fieldErrors ?? {} }
          : { code: "unexpected", message: t("errors.unexpected"), fieldErrors: {} },
      );
      return null;
    } catch {
      setError({ code: "network", message: t("errors.network"), fieldErrors: {} });
      return null;
    } finally {
      setPending(false);
    }
  }

  return { submit, pending, error, setError };
}

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
