"use client";

import { useFormatter, useLocale, useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { EXPORT_FORMATS, type ExportFormat } from "../types";
import { createItemCounter, fileNameOf, progressKindOf } from "./export-progress";
import "./export-notes.css";

type Group = { id: string; name: string };

type Props = {
  /** An article's slug (the reader's "All notes"), or every article. */
  article?: string;
  /** The groups whose notes may be chosen besides "My notes" (the viewer's groups). */
  groups?: Group[];
  /** The group page: only that group's notes. */
  group?: Group;
  /** The heading level where the control sits in its page. */
  headingLevel?: 2 | 3;
  /** What the intro says: the whole account, one article, or one group. */
  context?: "profile" | "article" | "group";
  /** The control sits in a page section that has its heading (the profile's panel): no heading or landmark of its own. */
  inPageSection?: boolean;
};

type State =
  | { step: "idle" }
  | { step: "working"; done: number; total: number | null; bytes: number }
  | { step: "ready"; url: string; fileName: string; count: number }
  | { step: "error"; message: string }
  | { step: "cancelled" };

/**
 * "Export notes": format and scope, then GET /api/export read as a stream — the total comes first
 * (X-Export-Total), the bar moves as notes arrive, and the file is offered as a download link
 * (clicked once for the reader) made from the received bytes.
 */
export function ExportNotes({ article = "all", groups = [], group, headingLevel = 2, context = "profile", inPageSection = false }: Props) {
  const t = useTranslations("Export");
  const format = useFormatter();
  const locale = useLocale();
  const id = useId().replace(/:/g, "") + "export";
  const [state, setState] = useState<State>({ step: "idle" });
  const abort = useRef<AbortController | null>(null);
  const link = useRef<HTMLAnchorElement>(null);
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const Wrapper = inPageSection ? "div" : "section";

  // The object URL lives as long as its link is on screen.
  const readyUrl = state.step === "ready" ? state.url : null;
  useEffect(() => {
    if (!readyUrl) return;
    link.current?.click();
    return () => URL.revokeObjectURL(readyUrl);
  }, [readyUrl]);
  useEffect(() => () => abort.current?.abort(), []);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const chosenFormat = String(data.get("format") ?? "csv") as ExportFormat;
    const scope = group ? `group:${group.id}` : String(data.get("scope") ?? "mine");
    const params = new URLSearchParams({ format: chosenFormat, article });
    if (scope.startsWith("group:")) {
      params.set("scope", "group");
      params.set("group", scope.slice("group:".length));
    } else params.set("scope", "mine");

    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setState({ step: "working", done: 0, total: null, bytes: 0 });
    try {
      const response = await fetch(`/api/export?${params}`, { headers: { "x-ui-locale": locale }, signal: controller.signal, cache: "no-store" });
      if (!response.ok || !response.body) {
        const body = (await response.json().catch(() => null)) as { message?: string } | null;
        setState({ step: "error", message: body?.message ?? t("failed") });
        return;
      }
      const totalHeader = Number(response.headers.get("x-export-total"));
      const total = Number.isFinite(totalHeader) ? totalHeader : null;
      const contentType = response.headers.get("content-type");
      const counter = createItemCounter(progressKindOf(contentType));
      const chunks: Uint8Array<ArrayBuffer>[] = [];
      let bytes = 0;
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value as Uint8Array<ArrayBuffer>);
        bytes += value.byteLength;
        counter.push(value);
        setState({ step: "working", done: total === null ? counter.count : Math.min(counter.count, total), total, bytes });
      }
      counter.end();
      const fileName = fileNameOf(response.headers.get("content-disposition"), "taiyaku-notes");
      const blob = new Blob(chunks, { type: contentType ?? "application/octet-stream" });
      setState({ step: "ready", url: URL.createObjectURL(blob), fileName, count: total ?? counter.count });
    } catch (error) {
      if (controller.signal.aborted) setState({ step: "cancelled" });
      else setState({ step: "error", message: t("failed") });
      void error;
    }
  }

  const intro = context === "article" ? t("introArticle") : context === "group" ? t("introGroup") : t("intro");
  const working = state.step === "working";

  return (
    <Wrapper className="export-notes" aria-labelledby={inPageSection ? undefined : `${id}-heading`}>
      {!inPageSection && <Heading id={`${id}-heading`}>{t("heading")}</Heading>}
      <p className="export-notes-intro">{intro}</p>
      <form className="export-notes-form" onSubmit={onSubmit}>
        <label>
          {t("format")}
          <select name="format" defaultValue="markdown" disabled={working}>
            {EXPORT_FORMATS.map((f) => (
              <option key={f} value={f}>
                {t(`formats.${f}`)}
              </option>
            ))}
          </select>
        </label>
        {!group && groups.length > 0 && (
          <label>
            {t("scope")}
            <select name="scope" defaultValue="mine" disabled={working}>
              <option value="mine">{t("scopeMine")}</option>
              {groups.map((g) => (
                <option key={g.id} value={`group:${g.id}`}>
                  {t("scopeGroup", { group: g.name })}
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="submit" className="button-secondary" disabled={working}>
          {working ? t("working") : t("submit")}
        </button>
      </form>
      {state.step === "working" && (
        <div className="export-notes-progress">
          <progress aria-label={t("progressLabel")} max={state.total || undefined} value={state.total ? state.done : undefined} />
          <span aria-live="polite">
            {state.total !== null ? t("progress", { done: state.done, total: state.total }) : t("progressBytes", { size: format.number(state.bytes / 1024, { style: "unit", unit: "kilobyte", maximumFractionDigits: 0 }) })}
          </span>
          <button type="button" className="button-small" onClick={() => abort.current?.abort()}>
            {t("cancel")}
          </button>
        </div>
      )}
      {state.step === "ready" && (
        <p role="status" className="export-notes-ready">
          {t("ready", { count: state.count })}{" "}
          <a ref={link} href={state.url} download={state.fileName}>
            {t("save", { file: state.fileName })}
          </a>
        </p>
      )}
      {state.step === "cancelled" && <p role="status">{t("cancelled")}</p>}
      {state.step === "error" && (
        <p role="alert" className="form-error">
          {state.message}
        </p>
      )}
    </Wrapper>
  );
}
