"use client";

import { useFormatter, useLocale, useNow, useTranslations } from "next-intl";
import { useId, useState, type ReactNode } from "react";
import { MAX_BODY_LENGTH, noteTags, type NoteRevisionDto } from "../types";
import { FlagButton } from "@/features/moderation/components/flag-button";
import { NoteBody } from "@/components/note-body";
import { notesApi, type ClientNote } from "./notes-client";
import { useNotes } from "./notes-context";
import { looksJapanese } from "@/lib/text/script";
import { languageName } from "@/lib/i18n/language-names";
import { isDeletedUserId } from "@/lib/account-data/deleted-user";


export function NoteItem({
  note,
  question,
  textLocale,
  replyingTo,
  highlighted,
  onChange,
  onReply,
  children,
}: {
  note: ClientNote;
  /** The thread's first note when it is a question (its author may mark this reply the answer). */
  question?: ClientNote;
  /** The language of the text shown; notes written on another language get its badge. */
  textLocale: string | null;
  replyingTo?: string;
  highlighted?: boolean;
  onChange: (note: ClientNote) => void;
  onReply: (note: ClientNote) => void;
  children?: ReactNode;
}) {
  const tm = useTranslations("Moderation");
  const t = useTranslations("Notes");
  const tData = useTranslations("AccountData");
  // A deleted account's kept notes are signed by its placeholder: named in the reader's language.
  const authorName = isDeletedUserId(note.author.id) ? tData("deletedUser") : note.author.name;
  const locale = useLocale();
  const format = useFormatter();
  const now = useNow({ updateInterval: 30_000 });
  const notes = useNotes();
  const id = useId();
  const [mode, setMode] = useState<"view" | "edit" | "confirm-delete">("view");
  const [draft, setDraft] = useState(note.body ?? "");
  const [tag, setTag] = useState(note.tag ?? "");
  const [error, setError] = useState("");
  const [history, setHistory] = useState<NoteRevisionDto[] | null>(null);
  const [busy, setBusy] = useState(false);
  const mine = notes.viewer?.id === note.author.id;
  // A suspended reader reads but cannot write (the server refuses with 403): no write controls.
  const canWrite = notes.viewer !== null && !notes.discussion.suspension;
  const api = notesApi(locale, t("errors.network"));
  const created = new Date(note.createdAt);
  const showBadge = textLocale === null || note.locale !== textLocale;
  const isAnswer = question !== undefined && question.answeredById === note.id;
  const canMarkAnswer = canWrite && question !== undefined && notes.viewer?.id === question.author.id && !note.pending && !question.pending;

  async function toggleHelpful() {
    setBusy(true);
    const result = await api.helpful(note.id, !note.helpfulByMe);
    setBusy(false);
    if (result.ok) onChange(result.note);
    else setError(result.message);
  }

  async function toggleAnswer() {
    if (!question) return;
    setBusy(true);
    const result = await api.answer(question.id, isAnswer ? null : note.id, question.version);
    setBusy(false);
    if (result.ok) {
      onChange(result.note);
      notes.announce(isAnswer ? t("answerUnmarked") : t("answerMarked"));
      // The margin's open-question count comes from the server.
      void notes.reloadState();
    } else {
      if (result.current) onChange(result.current);
      setError(result.message);
    }
  }

  async function saveEdit(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    const result = await api.edit(note.id, { body: draft.trim(), tag: note.parentId ? undefined : tag || null, version: note.version });
    setBusy(false);
    if (result.ok) {
      onChange(result.note);
      setMode("view");
      setError("");
      setHistory(null);
      notes.announce(t("noteUpdated"));
      if (note.quote) notes.refreshHighlights(note.paragraphId);
      return;
    }
    // A stale edit: show the current text; the reader's draft stays in the box, nothing is lost.
    if (result.current) onChange(result.current);
    setError(result.message);
  }

  async function confirmDelete() {
    setBusy(true);
    const result = await api.remove(note.id, note.version);
    setBusy(false);
    if (!result.ok) {
      if (result.current) onChange(result.current);
      setError(result.message);
      setMode("view");
      return;
    }
    onChange(result.note);
    notes.adjustCount(note.paragraphId, -1);
    notes.announce(t("noteDeleted"));
    if (note.quote) notes.refreshHighlights(note.paragraphId);
    setMode("view");
  }

  async function toggleHistory() {
    if (history) return setHistory(null);
    const result = await api.history(note.id);
    if (result.ok) setHistory(result.revisions);
    else setError(result.message);
  }

  if (note.deleted) {
    return (
      <article id={`note-${note.id}`} className="note note-deleted" aria-label={note.moderated ? tm("hiddenByModerator") : t("deleted")}>
        <p className="note-placeholder">{note.moderated ? tm("hiddenByModerator") : t("deleted")}</p>
        {children}
      </article>
    );
  }

  return (
    <article
      id={`note-${note.id}`}
      className={`note${note.pending ? " note-pending" : ""}${highlighted ? " note-targeted" : ""}`}
      aria-labelledby={`${id}-author`}
      aria-busy={note.pending || undefined}
      tabIndex={-1}
    >
      <header className="note-header">
        <span id={`${id}-author`} className="note-author" aria-label={t("authorLabel", { name: authorName })}>
          {authorName}
        </span>
        <time dateTime={note.createdAt} title={format.dateTime(created, { dateStyle: "medium", timeStyle: "short" })}>
          {format.relativeTime(created, now)}
        </time>
        {showBadge && (
          <span className="lang-badge" title={t("languageBadgeLabel", { language: languageName(note.locale) })}>
            <span aria-hidden="true">{t("languageBadge", { locale: note.locale })}</span>
            <span className="visually-hidden">{t("languageBadgeLabel", { language: languageName(note.locale) })}</span>
          </span>
        )}
        {note.tag && <span className={`tag-chip tag-${note.tag}`}>{t("tagName", { tag: note.tag })}</span>}
        {note.visibility === "private" && <span className="private-chip">{t("onlyYou")}</span>}
        {note.group && (
          <span className="group-chip" data-testid="group-chip">
            {t("groupChip", { name: note.group.name })}
          </span>
        )}
        {isAnswer && (
          <span className="answer-chip" data-testid="answer-chip">
            {t("answerChip")}
          </span>
        )}
        {!note.parentId && note.tag === "question" && (
          <span className={note.answeredById ? "question-state answered" : "question-state"}>
            {note.answeredById ? t("questionAnswered") : t("questionOpen")}
          </span>
        )}
        {note.editedAt && <span className="edited-marker">{t("edited")}</span>}
      </header>
      {mine && note.status === "hidden" && <p className="moderation-marker">{tm("hiddenMarker")}</p>}
      {mine && note.status === "pending" && <p className="moderation-marker">{tm("pendingMarker")}</p>}
      {note.locked && <p className="moderation-marker">{tm("locked")}</p>}
      {replyingTo && <p className="replying-to">{t("replyingTo", { name: replyingTo })}</p>}
      {note.quote && (
        <figure className="note-quote">
          <figcaption className="visually-hidden">{t("quoteLabel")}</figcaption>
          <blockquote lang={note.locale}>{note.quote.exact}</blockquote>
        </figure>
      )}
      {note.orphan && <p className="orphan-notice">{t("orphan")}</p>}

      {mode === "edit" ? (
        <form className="note-composer" onSubmit={saveEdit} noValidate>
          <label htmlFor={`${id}-edit`}>{t("edit")}</label>
          <textarea
            id={`${id}-edit`}
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            rows={3}
            maxLength={MAX_BODY_LENGTH}
            autoFocus
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
          />
          {!note.parentId && (
            <label>
              {t("tag")}
              <select value={tag} onChange={(event) => setTag(event.target.value)}>
                <option value="">{t("tagNone")}</option>
                {noteTags.map((value) => (
                  <option key={value} value={value}>
                    {t("tagName", { tag: value })}
                  </option>
                ))}
              </select>
            </label>
          )}
          {error && (
            <p id={`${id}-error`} role="alert" className="form-error">
              {error}
            </p>
          )}
          <div className="form-actions">
            <button type="submit" className="button-primary" disabled={busy}>
              {t("save")}
            </button>
            <button type="button" className="button-secondary" onClick={() => { setMode("view"); setError(""); setDraft(note.body ?? ""); }}>
              {t("cancel")}
            </button>
          </div>
        </form>
      ) : (
        note.body && <NoteBody body={note.body} lang={looksJapanese(note.body) ? "ja" : "en"} />
      )}

      {mode !== "edit" && error && (
        <p role="alert" className="form-error">
          {error}
        </p>
      )}

      {!note.pending && mode !== "edit" && (
        <div className="note-actions">
          {mode === "confirm-delete" ? (
            <>
              <span>{t("confirmDelete")}</span>
              <button type="button" className="button-danger button-small" onClick={confirmDelete} disabled={busy}>
                {t("delete")}
              </button>
              <button type="button" className="button-small" onClick={() => setMode("view")}>
                {t("cancel")}
              </button>
            </>
          ) : (
            <>
              {canWrite && !mine ? (
                <button
                  type="button"
                  className="button-small helpful-button"
                  aria-pressed={note.helpfulByMe}
                  onClick={toggleHelpful}
                  disabled={busy}
                  data-testid="helpful-button"
                >
                  <span aria-hidden="true">👍</span> {t("helpful")} <span className="helpful-count">{note.helpfulCount}</span>
                </button>
              ) : (
                note.helpfulCount > 0 && (
                  <span className="helpful-total" data-testid="helpful-total">
                    {t("helpfulCount", { count: note.helpfulCount })}
                  </span>
                )
              )}
              {canWrite && !note.locked && (
                <button type="button" className="button-small" onClick={() => onReply(note)}>
                  {t("reply")}
                </button>
              )}
              {canMarkAnswer && (
                <button type="button" className="button-small" onClick={toggleAnswer} disabled={busy} aria-pressed={isAnswer}>
                  {isAnswer ? t("unmarkAnswer") : t("markAnswer")}
                </button>
              )}
              {mine && canWrite && (
                <button type="button" className="button-small" onClick={() => { setDraft(note.body ?? ""); setMode("edit"); }}>
                  {t("edit")}
                </button>
              )}
              {mine && canWrite && (
                <button type="button" className="button-small" onClick={() => setMode("confirm-delete")}>
                  {t("delete")}
                </button>
              )}
              {notes.viewer && (canWrite || note.flaggedByMe) && !mine && note.visibility !== "private" && note.status === "visible" && <FlagButton noteId={note.id} initiallyFlagged={note.flaggedByMe} />}
              {note.revisionCount > 0 && (
                <button type="button" className="button-small" aria-expanded={history !== null} onClick={toggleHistory}>
                  {history ? t("hideHistory") : t("history")}
                </button>
              )}
            </>
          )}
        </div>
      )}
      {history && (
        <section className="note-history" aria-label={t("historyTitle")}>
          <h4>{t("historyTitle")}</h4>
          <ol>
            {history.map((revision) => (
              <li key={revision.version}>
                <p className="history-meta">
                  {t("historyVersion", { version: revision.version, date: format.dateTime(new Date(revision.createdAt), { dateStyle: "medium", timeStyle: "short" }) })}
                </p>
                {revision.body ? <NoteBody body={revision.body} lang={looksJapanese(revision.body) ? "ja" : "en"} /> : null}
              </li>
            ))}
          </ol>
        </section>
      )}
      {children}
    </article>
  );
}
