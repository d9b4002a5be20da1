"use client";

import { useLocale, useTranslations } from "next-intl";
import { memo, useId, useState, type Dispatch } from "react";
import type { ContentLocale } from "@/lib/content/article-document";
import { apiFetch } from "@/lib/http/api-client";
import { languageName } from "@/lib/i18n/language-names";
import { LANGS, type EditorAction, type EditorRow, type ImportedRow } from "./editor-state";

/** The server refuses more per language (413); checking here saves uploading it. */
const MAX_BYTES = 2 * 1024 * 1024;
const ACCEPT = ".md,.markdown,.txt,.html,.htm,text/markdown,text/plain,text/html";

/**
 * The text of one language, pasted or from a file. Both go through POST /api/authoring/convert,
 * the one place that turns text into paragraphs (and sanitizes HTML), and replace that
 * language's column in the alignment editor.
 */
export const TextImport = memo(function TextImport({ rows, dispatch }: { rows: EditorRow[]; dispatch: Dispatch<EditorAction> }) {
  const t = useTranslations("Authoring");
  const id = useId().replace(/:/g, "");
  return (
    <section className="authoring-section" aria-labelledby={`${id}-text`}>
      <h2 id={`${id}-text`}>{t("textHeading")}</h2>
      <p className="field-hint">{t("textHint")}</p>
      <div className="authoring-columns">
        {LANGS.map((lang) => (
          <LanguageImport key={lang} lang={lang} hasText={rows.some((row) => row.text[lang].trim() !== "")} dispatch={dispatch} />
        ))}
      </div>
    </section>
  );
});

function LanguageImport({ lang, hasText, dispatch }: { lang: ContentLocale; hasText: boolean; dispatch: Dispatch<EditorAction> }) {
  const t = useTranslations("Authoring");
  const locale = useLocale();
  const id = useId().replace(/:/g, "");
  const [pasted, setPasted] = useState("");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const language = languageName(lang);

  async function convert(filename: string, type: string, text: string) {
    if (new TextEncoder().encode(text).length > MAX_BYTES) {
      setMessage({ kind: "error", text: t("fileTooLarge", { language }) });
      return;
    }
    setBusy(true);
    setMessage(null);
    const result = await apiFetch<{ title: string | null; rows: ImportedRow[] }>("/api/authoring/convert", {
      method: "POST",
      body: { filename, type, text, locale: lang },
      locale,
      networkMessage: t("networkError"),
    });
    setBusy(false);
    if (!result.ok) {
      // The pasted text stays in its box: nothing is lost by a refusal.
      setMessage({ kind: "error", text: result.message });
      return;
    }
    dispatch({ type: "replaceColumn", lang, rows: result.rows, title: result.title });
    setMessage({ kind: "ok", text: t("imported", { count: result.rows.length, language }) });
    return true;
  }

  async function applyPasted() {
    if (!pasted.trim()) {
      setMessage({ kind: "error", text: t("pasteEmpty", { language }) });
      return;
    }
    if (await convert("pasted.txt", "text/plain", pasted)) setPasted("");
  }

  async function upload(file: File | undefined) {
    if (!file) return;
    if (file.size > MAX_BYTES) {
      setMessage({ kind: "error", text: t("fileTooLarge", { language }) });
      return;
    }
    await convert(file.name, file.type, await file.text());
  }

  return (
    <fieldset className="authoring-fieldset" data-testid={`import-${lang}`}>
      <legend>{t("importLegend", { language })}</legend>
      <div className="field">
        <label htmlFor={`${id}-paste`}>{t("pasteLabel", { language })}</label>
        <textarea
          id={`${id}-paste`}
          lang={lang}
          rows={6}
          value={pasted}
          onChange={(event) => setPasted(event.target.value)}
          data-testid={`paste-${lang}`}
        />
      </div>
      <button type="button" className="button-secondary authoring-button" onClick={applyPasted} disabled={busy} data-testid={`use-paste-${lang}`}>
        {hasText ? t("replaceWithPasted", { language }) : t("usePasted", { language })}
      </button>
      <div className="field">
        <label htmlFor={`${id}-file`}>{t("fileLabel", { language })}</label>
        <p className="field-hint" id={`${id}-file-hint`}>
          {t("fileHint")}
        </p>
        <input
          id={`${id}-file`}
          type="file"
          accept={ACCEPT}
          aria-describedby={`${id}-file-hint`}
          disabled={busy}
          onChange={(event) => {
            void upload(event.target.files?.[0]);
            event.target.value = "";
          }}
          data-testid={`file-${lang}`}
        />
      </div>
      <p className={message?.kind === "error" ? "form-status authoring-error" : "form-status"} role="status" data-testid={`import-status-${lang}`}>
        {busy ? t("converting") : message?.text ?? ""}
      </p>
    </fieldset>
  );
}
