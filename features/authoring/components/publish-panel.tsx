"use client";

import { useLocale, useTranslations } from "next-intl";
import { useId, useState } from "react";
import type { AlignmentProblem } from "@/lib/content/article-document";
import type { ApiResult } from "@/lib/http/api-client";
import { languageName } from "@/lib/i18n/language-names";
import { articleHref } from "@/features/articles/types";
import type { AppLocale } from "@/i18n/routing";
import type { EditableArticle } from "../types";
import type { DraftInfo } from "./article-editor";

export type EditorArticle = EditableArticle;

type Call = <T extends object>(path: string, method: "GET" | "POST" | "PUT" | "DELETE", body?: unknown) => Promise<ApiResult<T>>;

/**
 * Preview, publish (with a revision summary once the article has been published), unpublish,
 * promote a group reading, discard the draft. Each first saves the page (flush): what is
 * previewed or published is exactly what is on screen.
 */
export function PublishPanel({
  article,
  mayPromote,
  problems,
  documentRowToIndex,
  flush,
  reload,
  call,
  version,
  onArticle,
  onStale,
}: {
  article: EditorArticle | null;
  mayPromote: boolean;
  /** The page's own check (the rule publishing applies), shown before anyone presses Publish. */
  problems: AlignmentProblem[];
  documentRowToIndex: number[];
  flush: () => Promise<boolean>;
  reload: () => Promise<boolean>;
  call: Call;
  version: () => number;
  onArticle: (article: EditorArticle) => void;
  onStale: (theirs: DraftInfo) => void;
}) {
  const t = useTranslations("Authoring");
  const locale = useLocale() as AppLocale;
  const id = useId().replace(/:/g, "");
  const [summary, setSummary] = useState("");
  const [busy, setBusy] = useState<null | "publish" | "unpublish" | "promote" | "discard" | "preview">(null);
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const [serverProblems, setServerProblems] = useState<AlignmentProblem[] | null>(null);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const [summaryMissing, setSummaryMissing] = useState(false);

  if (!article) {
    return (
      <section className="authoring-section" aria-labelledby={`${id}-publish`}>
        <h2 id={`${id}-publish`}>{t("publishHeading")}</h2>
        <p className="field-hint">{t("publishAfterSave")}</p>
      </section>
    );
  }

  const summaryRequired = article.status === "published" || article.revision > 0;
  const shown = serverProblems ?? problems;
  const previewHref = (mode: "en" | "ja" | "both") => `/${locale}/editor/${article.id}/preview?text=${mode}`;

  async function preview(mode: "en" | "ja" | "both") {
    setBusy("preview");
    const saved = await flush();
    setBusy(null);
    if (!saved) {
      setMessage({ kind: "error", text: t("saveFirstFailed") });
      return;
    }
    window.location.assign(previewHref(mode));
  }

  async function publish() {
    if (!article) return;
    setMessage(null);
    if (summaryRequired && !summary.trim()) {
      setSummaryMissing(true);
      document.getElementById(`${id}-summary`)?.focus();
      return;
    }
    setSummaryMissing(false);
    setBusy("publish");
    try {
      if (!(await flush())) {
        setMessage({ kind: "error", text: t("saveFirstFailed") });
        return;
      }
      const result = await call<{ revision: number; stats?: { added?: number; removed?: number; kept?: number } }>(`/api/authoring/articles/${article.id}/publish`, "POST", {
        version: version(),
        summary: summary.trim(),
      });
      if (result.ok) {
        setServerProblems(null);
        setSummary("");
        await reload();
        setMessage({ kind: "ok", text: t("published", { revision: result.revision }) });
        return;
      }
      if (result.code === "misaligned" && Array.isArray(result.problems)) {
        setServerProblems(result.problems as AlignmentProblem[]);
        setMessage({ kind: "error", text: t("publishMisaligned") });
        return;
      }
      if (result.status === 409 && result.current) {
        onStale(result.current as DraftInfo);
        return;
      }
      setMessage({ kind: "error", text: result.message });
    } finally {
      setBusy(null);
    }
  }

  async function simple(kind: "unpublish" | "promote" | "discard") {
    if (!article) return;
    setMessage(null);
    setBusy(kind);
    try {
      if (kind === "discard") {
        const result = await call(`/api/authoring/articles/${article.id}/draft`, "DELETE");
        // 204 has no body: the client counts it as "no JSON", but the status says it worked.
        if (!result.ok && result.status !== 204) {
          setMessage({ kind: "error", text: result.message });
          return;
        }
        setConfirmDiscard(false);
        await reload();
        setMessage({ kind: "ok", text: t("discarded") });
        return;
      }
      const result = await call(`/api/authoring/articles/${article.id}/${kind}`, "POST", {});
      if (!result.ok) {
        setMessage({ kind: "error", text: result.message });
        return;
      }
      if (kind === "unpublish") onArticle({ ...article, status: "unpublished" });
      else onArticle({ ...article, groupId: null });
      setMessage({ kind: "ok", text: kind === "unpublish" ? t("unpublished") : t("promoted") });
    } finally {
      setBusy(null);
    }
  }

  const statusLabel = { draft: t("statusDraft"), published: t("statusPublished"), unpublished: t("statusUnpublished") }[article.status];

  return (
    <section className="authoring-section authoring-publish" aria-labelledby={`${id}-publish`} data-testid="publish-panel">
      <h2 id={`${id}-publish`}>{t("publishHeading")}</h2>
      <p>
        {t("articleState", { status: statusLabel, revision: article.revision })}
        {article.status === "published" && (
          <>
            {" · "}
            <a href={articleHref(locale, article)}>{t("openReader")}</a>
          </>
        )}
        {article.revision > 0 && (
          <>
            {" · "}
            <a href={`/${locale}/articles/${article.slug}/history`}>{t("history")}</a>
          </>
        )}
      </p>

      <div className="authoring-actions" role="group" aria-label={t("previewGroup")}>
        {(["both", "en", "ja"] as const).map((mode) => (
          <a
            key={mode}
            href={previewHref(mode)}
            className="button-secondary authoring-button"
            data-testid={`preview-${mode}`}
            onClick={(event) => {
              if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
              event.preventDefault();
              void preview(mode);
            }}
          >
            {mode === "both" ? t("previewBoth") : t("previewIn", { language: languageName(mode) })}
          </a>
        ))}
      </div>

      {shown.length > 0 && (
        <div className="authoring-problems" data-testid="publish-problems">
          <p>{serverProblems ? t("problemsFromServer") : t("problemsHeading")}</p>
          <ul>
            {shown.map((problem, index) => (
              <li key={index}>
                <ProblemText problem={problem} rowIndex={problem.row === undefined ? undefined : documentRowToIndex[problem.row] ?? problem.row} />
              </li>
            ))}
          </ul>
        </div>
      )}

      <div className="field">
        <label htmlFor={`${id}-summary`}>{summaryRequired ? t("summaryLabelRequired") : t("summaryLabel")}</label>
        <p className="field-hint" id={`${id}-summary-hint`}>
          {t("summaryHint")}
        </p>
        <input
          id={`${id}-summary`}
          value={summary}
          maxLength={300}
          onChange={(event) => setSummary(event.target.value)}
          aria-required={summaryRequired}
          aria-invalid={summaryMissing || undefined}
          aria-describedby={`${id}-summary-hint${summaryMissing ? ` ${id}-summary-error` : ""}`}
          data-testid="revision-summary"
        />
        {summaryMissing && (
          <p className="field-error" id={`${id}-summary-error`}>
            {t("summaryMissing")}
          </p>
        )}
      </div>

      <div className="authoring-actions">
        <button type="button" className="button" onClick={publish} disabled={busy !== null} data-testid="publish">
          {busy === "publish" ? t("publishing") : article.status === "published" ? t("publishChanges") : t("publish")}
        </button>
        {article.status === "published" && (
          <button type="button" className="button-secondary authoring-button" onClick={() => void simple("unpublish")} disabled={busy !== null} data-testid="unpublish">
            {t("unpublish")}
          </button>
        )}
        {article.groupId && mayPromote && (
          <button type="button" className="button-secondary authoring-button" onClick={() => void simple("promote")} disabled={busy !== null} data-testid="promote">
            {t("promote")}
          </button>
        )}
        {article.revision > 0 &&
          (confirmDiscard ? (
            <span className="authoring-confirm" role="group" aria-label={t("discardQuestion")}>
              <span>{t("discardQuestion")}</span>
              <button type="button" className="button-danger authoring-button" onClick={() => void simple("discard")} disabled={busy !== null} data-testid="discard-confirm">
                {t("discardConfirm")}
              </button>
              <button type="button" className="button-secondary authoring-button" onClick={() => setConfirmDiscard(false)}>
                {t("cancel")}
              </button>
            </span>
          ) : (
            <button type="button" className="button-secondary authoring-button" onClick={() => setConfirmDiscard(true)} disabled={busy !== null} data-testid="discard">
              {t("discard")}
            </button>
          ))}
      </div>
      <p className={message?.kind === "error" ? "form-status authoring-error" : "form-status"} role="status" data-testid="publish-status">
        {message?.text ?? ""}
      </p>
    </section>
  );
}

function ProblemText({ problem, rowIndex }: { problem: AlignmentProblem; rowIndex?: number }) {
  const t = useTranslations("Authoring");
  const language = problem.locale ? languageName(problem.locale) : "";
  switch (problem.kind) {
    case "noLanguages":
      return <>{t("problemNoLanguages")}</>;
    case "noRows":
      return <>{t("problemNoRows")}</>;
    case "missingTitle":
      return <>{t("problemMissingTitle", { language })}</>;
    case "emptyCell":
      return (
        <a href={`#row-${(rowIndex ?? 0) + 1}`}>{t("problemEmptyCell", { language, number: (rowIndex ?? 0) + 1 })}</a>
      );
    case "counts":
      return <>{t("countsDiffer", { en: problem.counts?.en ?? 0, ja: problem.counts?.ja ?? 0 })}</>;
    default:
      return <>{t("problemOther")}</>;
  }
}
