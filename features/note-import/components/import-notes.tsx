"use client";

import { useLocale, useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { type ImportReport, MAX_IMPORT_BYTES, type ReportLine } from "../types";
import "./import.css";

type Phase = "idle" | "reading" | "uploading" | "importing";
type Failure = { message: string; errors: string[] };

const MEGABYTES = MAX_IMPORT_BYTES / (1024 * 1024);

/**
 * The profile page's "Import notes": a JSON-LD file, private or one of the user's groups, then the
 * report. XMLHttpRequest rather than fetch: only it reports upload progress, so a 20 MB file
 * shows a real progress bar, then "importing" while the server works.
 */
export function ImportNotes({ groups }: { groups: { id: string; name: string }[] }) {
  const t = useTranslations("Import");
  const locale = useLocale();
  const id = useId().replace(/:/g, "") + "import";
  const [phase, setPhase] = useState<Phase>("idle");
  const [progress, setProgress] = useState<{ loaded: number; total: number } | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const reportHeading = useRef<HTMLHeadingElement>(null);

  // Once the report is on screen, focus its heading: it says what happened (a screen reader
  // announces it), and the lists follow it.
  useEffect(() => {
    if (report) reportHeading.current?.focus();
  }, [report]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const file = data.get("file");
    const group = String(data.get("target") ?? "");
    setReport(null);
    setFailure(null);
    if (!(file instanceof File) || file.size === 0) return setFailure({ message: t("noFile"), errors: [] });
    if (file.size > MAX_IMPORT_BYTES) return setFailure({ message: t("tooLarge", { megabytes: MEGABYTES }), errors: [] });
    setPhase("reading");
    let text: string;
    try {
      text = await file.text();
    } catch {
      setPhase("idle");
      return setFailure({ message: t("network"), errors: [] });
    }
    setPhase("uploading");
    setProgress({ loaded: 0, total: file.size });
    const answer = await send(group ? `/api/import?group=${encodeURIComponent(group)}` : "/api/import", text);
    setPhase("idle");
    setProgress(null);
    if (answer && answer.ok === true) {
      setReport(answer as unknown as ImportReport);
    } else if (answer) {
      setFailure({ message: typeof answer.message === "string" ? answer.message : t("network"), errors: Array.isArray(answer.errors) ? answer.errors.map(String) : [] });
    } else {
      setFailure({ message: t("network"), errors: [] });
    }
  }

  function send(url: string, body: string): Promise<Record<string, unknown> | null> {
    return new Promise((resolve) => {
      const request = new XMLHttpRequest();
      request.open("POST", url);
      request.setRequestHeader("content-type", "application/ld+json");
      request.setRequestHeader("x-ui-locale", locale);
      request.upload.onprogress = (e) => setProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : body.length });
      request.upload.onload = () => setPhase("importing");
      request.onload = () => {
        try {
          resolve(JSON.parse(request.responseText) as Record<string, unknown>);
        } catch {
          resolve(null);
        }
      };
      request.onerror = () => resolve(null);
      request.send(body);
    });
  }

  const busy = phase !== "idle";
  const phaseText = { idle: "", reading: t("phaseReading"), uploading: t("phaseUploading"), importing: t("phaseImporting") }[phase];
  return (
    <div className="import-notes" data-testid="import-notes">
      <p>{t("intro")}</p>
      <form className="form" onSubmit={onSubmit} noValidate data-testid="import-form" aria-busy={busy}>
        {failure && (
          <div className="form-alert" role="alert" data-testid="import-error">
            <p>{failure.message}</p>
            {failure.errors.length > 0 && (
              <>
                <p>{t("problemsHeading")}</p>
                <ul>
                  {failure.errors.map((error) => (
                    <li key={error}>{error}</li>
                  ))}
                </ul>
              </>
            )}
          </div>
        )}
        <div className="field">
          <label htmlFor={`${id}-file`}>{t("fileLabel", { megabytes: MEGABYTES })}</label>
          <input id={`${id}-file`} name="file" type="file" accept=".jsonld,.json,application/ld+json,application/json" required disabled={busy} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-target`}>{t("targetLabel")}</label>
          <select id={`${id}-target`} name="target" defaultValue="" disabled={busy}>
            <option value="">{t("targetPrivate")}</option>
            {groups.map((group) => (
              <option key={group.id} value={group.id}>
                {t("targetGroup", { name: group.name })}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button" disabled={busy}>
          {t("submit")}
        </button>
        <p className="form-status" role="status" data-testid="import-phase">
          {phaseText}
        </p>
        {phase === "uploading" && progress && <progress className="import-progress" max={progress.total} value={progress.loaded} aria-label={phaseText} />}
        {phase === "importing" && <progress className="import-progress" aria-label={phaseText} />}
      </form>

      {report && (
        <section className="import-report" aria-labelledby={`${id}-report`} data-testid="import-report">
          <h3 id={`${id}-report`} ref={reportHeading} tabIndex={-1}>
            {t("reportHeading")}
          </h3>
          <p data-testid="import-summary">
            {t("summary", { imported: report.imported, read: report.totals.read, skipped: report.totals.skipped, notAnchored: report.totals.notAnchored })}
          </p>
          <ReportList heading={t("notAnchoredHeading")} lines={report.notAnchored} total={report.totals.notAnchored} testId="import-not-anchored" />
          <ReportList heading={t("skippedHeading")} lines={report.skipped} total={report.totals.skipped} testId="import-skipped" />
        </section>
      )}
    </div>
  );
}

function ReportList({ heading, lines, total, testId }: { heading: string; lines: ReportLine<string>[]; total: number; testId: string }) {
  const t = useTranslations("Import");
  if (!lines.length) return null;
  return (
    <>
      <h4>{heading}</h4>
      <ul className="import-lines" data-testid={testId}>
        {lines.map((line) => (
          <li key={line.index}>
            <strong>{t("lineLabel", { index: line.index })}</strong>
            {line.id && <code className="import-id">{line.id}</code>} {line.reason}
          </li>
        ))}
      </ul>
      {total > lines.length && <p>{t("moreLines", { count: total - lines.length })}</p>}
    </>
  );
}
