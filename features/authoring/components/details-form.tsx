"use client";

import { useTranslations } from "next-intl";
import { memo, useId, type Dispatch } from "react";
import { languageName } from "@/lib/i18n/language-names";
import { LANGS, type EditorAction, type EditorMeta } from "./editor-state";

type MetaField = Exclude<keyof EditorMeta, "translations">;

/** The article's details: title and summary per language, then what is shared by both. */
export const DetailsForm = memo(function DetailsForm({
  meta,
  dispatch,
  isNew,
  fieldErrors,
}: {
  meta: EditorMeta;
  dispatch: Dispatch<EditorAction>;
  /** The address can be chosen until the first publish; afterwards links to it exist. */
  isNew: boolean;
  fieldErrors: Record<string, string[]>;
}) {
  const t = useTranslations("Authoring");
  const id = useId().replace(/:/g, "");

  function field(name: MetaField, label: string, options: { type?: string; hint?: string; maxLength?: number; readOnly?: boolean } = {}) {
    const errors = fieldErrors[`meta.${name}`] ?? fieldErrors[name];
    const describedBy = [options.hint ? `${id}-${name}-hint` : "", errors?.length ? `${id}-${name}-error` : ""].filter(Boolean).join(" ") || undefined;
    return (
      <div className="field">
        <label htmlFor={`${id}-${name}`}>{label}</label>
        {options.hint && (
          <p className="field-hint" id={`${id}-${name}-hint`}>
            {options.hint}
          </p>
        )}
        <input
          id={`${id}-${name}`}
          type={options.type ?? "text"}
          value={meta[name]}
          maxLength={options.maxLength}
          readOnly={options.readOnly}
          aria-invalid={errors?.length ? true : undefined}
          aria-describedby={describedBy}
          onChange={(event) => dispatch({ type: "meta", field: name, value: event.target.value })}
          data-testid={`meta-${name}`}
        />
        {errors?.length ? (
          <p className="field-error" id={`${id}-${name}-error`}>
            {errors.join(" ")}
          </p>
        ) : null}
      </div>
    );
  }

  return (
    <section className="authoring-section" aria-labelledby={`${id}-details`}>
      <h2 id={`${id}-details`}>{t("detailsHeading")}</h2>
      <div className="authoring-columns">
        {LANGS.map((lang) => (
          <fieldset key={lang} className="authoring-fieldset">
            <legend>{t("translationLegend", { language: languageName(lang) })}</legend>
            <div className="field">
              <label htmlFor={`${id}-title-${lang}`}>{t("titleLabel", { language: languageName(lang) })}</label>
              <input
                id={`${id}-title-${lang}`}
                lang={lang}
                value={meta.translations[lang].title}
                maxLength={300}
                onChange={(event) => dispatch({ type: "translation", lang, field: "title", value: event.target.value })}
                data-testid={`title-${lang}`}
              />
            </div>
            <div className="field">
              <label htmlFor={`${id}-summary-${lang}`}>{t("summaryFieldLabel", { language: languageName(lang) })}</label>
              <textarea
                id={`${id}-summary-${lang}`}
                lang={lang}
                rows={3}
                value={meta.translations[lang].summary}
                maxLength={2000}
                onChange={(event) => dispatch({ type: "translation", lang, field: "summary", value: event.target.value })}
                data-testid={`summary-${lang}`}
              />
            </div>
            <div className="field">
              <label htmlFor={`${id}-translator-${lang}`}>{t("translatorLabel", { language: languageName(lang) })}</label>
              <input
                id={`${id}-translator-${lang}`}
                value={meta.translations[lang].translator}
                maxLength={200}
                onChange={(event) => dispatch({ type: "translation", lang, field: "translator", value: event.target.value })}
              />
            </div>
          </fieldset>
        ))}
      </div>
      <p className="field-hint">{t("oneLanguageHint")}</p>
      <div className="authoring-grid">
        {field("source", t("sourceLabel"), { maxLength: 200 })}
        {field("sourceUrl", t("sourceUrlLabel"), { type: "url", maxLength: 2000 })}
        {field("author", t("authorLabel"), { maxLength: 200 })}
        {field("publishedAt", t("publishedAtLabel"), { type: "date" })}
        <div className="field">
          <label htmlFor={`${id}-originalLocale`}>{t("originalLocaleLabel")}</label>
          <select
            id={`${id}-originalLocale`}
            value={meta.originalLocale}
            onChange={(event) => dispatch({ type: "meta", field: "originalLocale", value: event.target.value })}
            data-testid="meta-originalLocale"
          >
            {LANGS.map((lang) => (
              <option key={lang} value={lang} lang={lang}>
                {languageName(lang)}
              </option>
            ))}
          </select>
        </div>
        {field("rightsNote", t("rightsNoteLabel"), { hint: t("rightsNoteHint"), maxLength: 500 })}
        {field("tags", t("tagsLabel"), { hint: t("tagsHint") })}
        {field("slug", t("slugLabel"), { hint: isNew ? t("slugHint") : t("slugFixed"), maxLength: 120, readOnly: !isNew })}
      </div>
    </section>
  );
});
