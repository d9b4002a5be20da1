"use client";

import { useFormatter, useLocale, useTranslations } from "next-intl";
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from "react";
import { useHydrated } from "@/components/use-hydrated";
import { apiFetch, type ApiFailure, type ApiResult } from "@/lib/http/api-client";
import { alignmentProblems, type AlignmentProblem, type ArticleDocument } from "@/lib/content/article-document";
import { AlignmentEditor } from "./alignment-editor";
import { DetailsForm } from "./details-form";
import { editorReducer, fromDocument, presentLangs, toDocument, type EditorState } from "./editor-state";
import { PublishPanel, type EditorArticle } from "./publish-panel";
import { TextImport } from "./text-import";
import type { DraftState } from "../types";
import "./authoring.css";

// The whole editing page: details, the text of each language, the alignment editor and the
// publishing controls, with the draft autosaved (PUT …/draft with the version it was loaded at).
// Whatever a save answers, the text stays in the page: a failed save only changes the status
// line, a stale one (another tab saved first) asks which version to keep.

/** Autosave waits this long after the last change. */
const SAVE_DELAY_MS = 1500;
/** A failed save (network, server error) is tried again after this long, doubling up to a minute. */
const RETRY_MS = 5000;

export type DraftInfo = DraftState;

type SaveStatus =
  | { kind: "idle" }
  | { kind: "saved"; at: Date }
  | { kind: "pending" }
  | { kind: "saving" }
  | { kind: "retrying"; message: string }
  | { kind: "refused"; message: string; fieldErrors: Record<string, string[]>; suggestion?: string }
  | { kind: "conflict" };

const json = (state: EditorState) => JSON.stringify(toDocument(state));

export function ArticleEditor({
  article: initialArticle,
  draft,
  groupId,
  groupName,
  mayPromote,
}: {
  /** null on the new-article page until the first save creates it. */
  article: EditorArticle | null;
  draft: DraftInfo;
  groupId: string | null;
  groupName: string | null;
  mayPromote: boolean;
}) {
  const t = useTranslations("Authoring");
  const locale = useLocale();
  const format = useFormatter();
  const [state, dispatch] = useReducer(editorReducer, draft.document, fromDocument);
  const [article, setArticle] = useState<EditorArticle | null>(initialArticle);
  const [status, setStatus] = useState<SaveStatus>({ kind: "idle" });
  const [conflict, setConflict] = useState<DraftInfo | null>(null);

  // Read by the save loop without re-creating it on every keystroke.
  const stateRef = useRef(state);
  const articleRef = useRef(article);
  const version = useRef(draft.version);
  const savedJson = useRef(json(fromDocument(draft.document)));
  const inFlight = useRef<Promise<boolean> | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const retryDelay = useRef(RETRY_MS);
  const conflictRef = useRef<DraftInfo | null>(null);
  useEffect(() => {
    stateRef.current = state;
    articleRef.current = article;
    conflictRef.current = conflict;
  });

  const network = t("networkError");
  const call = useCallback(
    <T extends object>(path: string, method: "GET" | "POST" | "PUT" | "DELETE", body?: unknown): Promise<ApiResult<T>> =>
      apiFetch<T>(path, { method, body, locale, networkMessage: network }),
    [locale, network],
  );

  const saveOnce = useCallback(async (): Promise<boolean> => {
    const current = stateRef.current;
    const body = json(current);
    if (body === savedJson.current && articleRef.current) return true;
    const document = JSON.parse(body) as ArticleDocument;
    // Nothing typed yet on the new-article page: there is nothing to create.
    if (!articleRef.current && presentLangs(current).length === 0) return true;
    setStatus({ kind: "saving" });
    let result: ApiResult<{ version: number; savedAt?: string; id?: string; slug?: string }>;
    const existing = articleRef.current;
    if (!existing) {
      result = await call<{ id: string; slug: string; version: number }>("/api/authoring/articles", "POST", { groupId, document });
    } else {
      result = await call<{ version: number; savedAt: string }>(`/api/authoring/articles/${existing.id}/draft`, "PUT", { version: version.current, document });
    }
    if (result.ok) {
      version.current = result.version;
      savedJson.current = body;
      retryDelay.current = RETRY_MS;
      if (!existing && result.id) {
        const created: EditorArticle = { id: result.id, slug: result.slug ?? "", status: "draft", groupId, revision: 0, firstPublishedAt: null };
        articleRef.current = created;
        setArticle(created);
        // The address becomes the article's own, without a navigation that would reset the page.
        window.history.replaceState(window.history.state, "", `/${locale}/editor/${result.id}`);
      }
      setStatus({ kind: "saved", at: result.savedAt ? new Date(result.savedAt) : new Date() });
      return true;
    }
    return handleFailure(result);

    function handleFailure(failure: ApiFailure): boolean {
      if (failure.status === 409 && failure.code === "stale_draft") {
        const theirs = (failure.current ?? (failure.error as { current?: unknown } | undefined)?.current) as DraftInfo | undefined;
        if (theirs) {
          setConflict(theirs);
          setStatus({ kind: "conflict" });
          return false;
        }
      }
      // Refusals of the content itself (too long, control characters, a slug in use) wait for
      // the next change; anything else (offline, a server error, a rate limit) is tried again.
      if (failure.status === 409 || failure.status === 413 || failure.status === 415 || failure.status === 422 || failure.status === 400) {
        const suggestion = typeof failure.suggestion === "string" ? failure.suggestion : undefined;
        setStatus({ kind: "refused", message: failure.message, fieldErrors: failure.fieldErrors, suggestion });
        return false;
      }
      setStatus({ kind: "retrying", message: failure.message });
      const delay = failure.retryAfterSeconds ? failure.retryAfterSeconds * 1000 : retryDelay.current;
      retryDelay.current = Math.min(retryDelay.current * 2, 60_000);
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => void save(), delay);
      return false;
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- save is defined below and stable through refs
  }, [call, groupId, locale]);

  /** One save at a time; a change made during a save is saved right after it. */
  const save = useCallback(async (): Promise<boolean> => {
    if (conflictRef.current) return false;
    while (inFlight.current) await inFlight.current;
    const run = saveOnce();
    inFlight.current = run;
    try {
      return await run;
    } finally {
      inFlight.current = null;
    }
  }, [saveOnce]);

  /** Saves now (before publishing or previewing): true when the page's text is what the server has. */
  const flush = useCallback(async (): Promise<boolean> => {
    if (timer.current) clearTimeout(timer.current);
    const saved = await save();
    return saved && json(stateRef.current) === savedJson.current;
  }, [save]);

  // Autosave: every change restarts the countdown.
  useEffect(() => {
    if (conflict) return;
    if (json(state) === savedJson.current) return;
    setStatus((current) => (current.kind === "retrying" || current.kind === "saving" ? current : { kind: "pending" }));
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void save(), SAVE_DELAY_MS);
  }, [state, conflict, save]);

  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);

  const hydrated = useHydrated();

  // Leaving with unsaved text asks first (the browser's own dialog).
  useEffect(() => {
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (json(stateRef.current) !== savedJson.current) event.preventDefault();
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, []);

  function loadTheirs() {
    if (!conflict) return;
    dispatch({ type: "load", document: conflict.document });
    version.current = conflict.version;
    savedJson.current = json(fromDocument(conflict.document));
    setConflict(null);
    setStatus({ kind: "saved", at: new Date(conflict.updatedAt) });
  }

  function keepMine() {
    if (!conflict) return;
    // Saving on top of their version makes ours the newest: theirs stays in the notice until then.
    version.current = conflict.version;
    conflictRef.current = null;
    setConflict(null);
    void save();
  }

  /** After publishing or discarding, the server's draft (with the keys publishing gave) replaces the page's. */
  const reload = useCallback(async (): Promise<boolean> => {
    const id = articleRef.current?.id;
    if (!id) return false;
    const result = await call<{ article: EditorArticle; draft: DraftInfo }>(`/api/authoring/articles/${id}`, "GET");
    if (!result.ok) return false;
    setArticle(result.article);
    articleRef.current = result.article;
    version.current = result.draft.version;
    dispatch({ type: "load", document: result.draft.document });
    savedJson.current = json(fromDocument(result.draft.document));
    setStatus({ kind: "saved", at: new Date(result.draft.updatedAt) });
    return true;
  }, [call]);

  const document = useMemo(() => toDocument(state), [state]);
  const problems: AlignmentProblem[] = useMemo(() => alignmentProblems(document), [document]);
  // alignmentProblems counts rows of the saved document, which leaves out rows empty everywhere.
  const documentRowToIndex = useMemo(() => {
    const langs = presentLangs(state);
    return state.rows.flatMap((row, index) => (langs.some((lang) => row.text[lang].trim() !== "") ? [index] : []));
  }, [state]);

  const title = state.meta.translations[locale === "ja" ? "ja" : "en"].title || state.meta.translations.en.title || state.meta.translations.ja.title;

  return (
    <div className="authoring" data-testid="article-editor">
      <header className="authoring-head">
        <p className="authoring-crumb">
          <a href={`/${locale}/editor`}>{t("backToList")}</a>
        </p>
        <h1>{article ? t("editHeading", { title: title || t("untitled") }) : groupName ? t("newGroupHeading", { group: groupName }) : t("newHeading")}</h1>
        {groupName && article && <p className="lead">{t("groupReadingOf", { group: groupName })}</p>}
      </header>

      <div className="authoring-status-bar">
        <p className={`authoring-save authoring-save-${status.kind}`} role="status" data-testid="save-status">
          <SaveStatusText status={status} format={format} isNew={!article} />
        </p>
        {status.kind === "refused" && status.suggestion && (
          <button type="button" className="button-small" onClick={() => dispatch({ type: "meta", field: "slug", value: status.suggestion! })}>
            {t("useSuggestion", { slug: status.suggestion })}
          </button>
        )}
      </div>

      {conflict && (
        <section className="authoring-conflict" role="alert" aria-labelledby="conflict-heading" data-testid="conflict-notice">
          <h2 id="conflict-heading">{t("conflictHeading")}</h2>
          <p>
            {t("conflictText", {
              version: conflict.version,
              time: format.dateTime(new Date(conflict.updatedAt), { dateStyle: "medium", timeStyle: "short" }),
              name: conflict.updatedBy?.name ?? t("someone"),
            })}
          </p>
          <ConflictSummary theirs={conflict.document} />
          <div className="authoring-actions">
            <button type="button" className="button-secondary" onClick={loadTheirs} data-testid="conflict-load-theirs">
              {t("conflictLoadTheirs")}
            </button>
            <button type="button" className="button-secondary" onClick={keepMine} data-testid="conflict-keep-mine">
              {t("conflictKeepMine")}
            </button>
          </div>
        </section>
      )}

      {/* Disabled until React has hydrated: text typed into the server-rendered fields before
          then would be replaced by the initial state, silently. A disabled field says "wait". */}
      <fieldset className="authoring-fields" disabled={!hydrated} aria-busy={!hydrated}>
      <DetailsForm meta={state.meta} dispatch={dispatch} isNew={!article || article.revision === 0} fieldErrors={status.kind === "refused" ? status.fieldErrors : {}} />
      <TextImport rows={state.rows} dispatch={dispatch} />
      <AlignmentEditor rows={state.rows} dispatch={dispatch} />
      <PublishPanel
        article={article}
        mayPromote={mayPromote}
        problems={problems}
        documentRowToIndex={documentRowToIndex}
        flush={flush}
        reload={reload}
        call={call}
        version={() => version.current}
        onArticle={(next) => {
          articleRef.current = next;
          setArticle(next);
        }}
        onStale={(theirs) => {
          setConflict(theirs);
          setStatus({ kind: "conflict" });
        }}
      />
      </fieldset>
    </div>
  );
}

function SaveStatusText({ status, format, isNew }: { status: SaveStatus; format: ReturnType<typeof useFormatter>; isNew: boolean }) {
  const t = useTranslations("Authoring");
  switch (status.kind) {
    case "idle":
      return <>{isNew ? t("statusNew") : t("statusLoaded")}</>;
    case "saved":
      return <>{t("statusSaved", { time: format.dateTime(status.at, { timeStyle: "short" }) })}</>;
    case "pending":
      return <>{t("statusPending")}</>;
    case "saving":
      return <>{t("statusSaving")}</>;
    case "retrying":
      return <>{t("statusRetrying", { message: status.message })}</>;
    case "refused":
      return <>{t("statusRefused", { message: status.message })}</>;
    case "conflict":
      return <>{t("statusConflict")}</>;
  }
}

function ConflictSummary({ theirs }: { theirs: ArticleDocument }) {
  const t = useTranslations("Authoring");
  const langs = (["en", "ja"] as const).filter((lang) => theirs.meta.translations[lang]);
  return (
    <details className="authoring-conflict-text">
      <summary>{t("conflictShowTheirs")}</summary>
      {langs.map((lang) => (
        <p key={lang} lang={lang}>
          <strong>{theirs.meta.translations[lang]!.title}</strong>
        </p>
      ))}
      <ol>
        {theirs.rows.map((row, index) => (
          <li key={index}>
            {langs.map((lang) => (
              <p key={lang} lang={lang}>
                {row.text[lang]}
              </p>
            ))}
          </li>
        ))}
      </ol>
    </details>
  );
}
