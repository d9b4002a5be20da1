"use client";

import { useLocale, useTranslations } from "next-intl";
import { useId, useState, type FormEvent } from "react";
import { ErrorSummary, Field, fieldAria, formValues } from "@/features/accounts/components/form-parts";
import { useRouter } from "next/navigation";
import { languageName } from "@/lib/i18n/language-names";
import { useApiRequest } from "@/components/use-api-request";

type Existing = { id: string; name: string; description: string; languageFocus: "en" | "ja" | null; preModeration: boolean; version: number };

/** Create (no `group`) or edit (owner) a group; creating opens the new group's page. */
export function GroupForm({ group }: { group?: Existing }) {
  const t = useTranslations("Groups");
  const router = useRouter();
  // next/navigation's router takes whole paths: the locale prefix is ours to add.
  const locale = useLocale();
  const idPrefix = useId().replace(/:/g, "") + (group ? "edit-group" : "new-group");
  const { send, pending, error } = useApiRequest();
  const [saved, setSaved] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const values = formValues(event.currentTarget, ["name", "description", "languageFocus"]);
    if (group) {
      const preModeration = (event.currentTarget.elements.namedItem("preModeration") as HTMLInputElement | null)?.checked ?? false;
      const result = await send(`/api/groups/${group.id}`, "PATCH", { ...values, preModeration, version: group.version });
      if (result) {
        setSaved(true);
        router.refresh();
      }
      return;
    }
    const result = await send("/api/groups", "POST", values);
    if (result) router.push(`/${locale}/groups/${(result.group as { id: string }).id}`);
  }

  const labels = { name: t("name"), description: t("description"), languageFocus: t("languageFocus") };
  const errors = error?.fieldErrors ?? {};
  return (
    <form className="form" onSubmit={onSubmit} noValidate data-testid={group ? "edit-group-form" : "create-group-form"}>
      {error && !Object.keys(errors).length ? (
        <p className="form-alert" role="alert">
          {error.message}
        </p>
      ) : (
        <ErrorSummary error={error} idPrefix={idPrefix} labels={labels} />
      )}
      <Field
        idPrefix={idPrefix}
        name="name"
        label={labels.name}
        hint={t("nameHint")}
        defaultValue={group?.name}
        maxLength={80}
        required
        errors={errors.name}
      />
      <Field idPrefix={idPrefix} name="description" label={labels.description} hint={t("descriptionHint")} errors={errors.description}>
        <textarea {...fieldAria(idPrefix, "description", true, errors.description)} defaultValue={group?.description} maxLength={1000} rows={3} />
      </Field>
      <Field idPrefix={idPrefix} name="languageFocus" label={labels.languageFocus} hint={t("languageFocusHint")} errors={errors.languageFocus}>
        <select {...fieldAria(idPrefix, "languageFocus", true, errors.languageFocus)} defaultValue={group?.languageFocus ?? ""}>
          <option value="">{t("noFocus")}</option>
          {(["en", "ja"] as const).map((locale) => (
            <option key={locale} value={locale} lang={locale}>
              {languageName(locale)}
            </option>
          ))}
        </select>
      </Field>
      {group && (
        <label className="checkbox-field">
          <input type="checkbox" name="preModeration" defaultChecked={group.preModeration} /> {t("preModeration")}
        </label>
      )}
      <button type="submit" className="button" disabled={pending}>
        {pending ? t("submitting") : group ? t("save") : t("create")}
      </button>
      <p className="form-status" role="status">
        {saved ? t("saved") : ""}
      </p>
    </form>
  );
}
