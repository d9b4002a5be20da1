"use client";

import { useLocale, useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState } from "react";
import { MAX_BODY_LENGTH, noteTags } from "../types";
import { MentionTextarea, type Mention } from "./mention-textarea";
import { newIdempotencyKey, notesApi, type ClientNote } from "./notes-client";
import { useNotes, type Draft } from "./notes-context";

type Target =
  | { type: "paragraph"; paragraphId: string; locale: string; draft?: Draft }
  | { type: "reply"; parent: ClientNote; locale: string };

/**
 * New note or reply. The note appears in the thread at once (optimistic) and is replaced by the
 * server's copy, or removed again with the server's localized error if it refuses.
 */
export function NoteComposer({
  target,
  autoFocus,
  onOptimistic,
  onSettled,
  onCancel,
}: {
  target: Target;
  autoFocus?: boolean;
  onOptimistic: (note: ClientNote) => void;
  onSettled: (tempId: string, note: ClientNote | null) => void;
  onCancel?: () => void;
}) {
  const t = useTranslations("Notes");
  const tm = useTranslations("Moderation");
  const locale = useLocale();
  const notes = useNotes();
  const id = useId();
  const [body, setBody] = useState("");
  const [tag, setTag] = useState<string>("");
  const [error, setError] = useState("");
  const [submitting, setSubmitting] = useState(false);
  const [mentions, setMentions] = useState<Mention[]>([]);
  // Reused by a retry of the same submission, renewed once the server has answered.
  const idempotencyKey = useRef(newIdempotencyKey());
  const textarea = useRef<HTMLTextAreaElement>(null);
  const isAnnotation = target.type === "paragraph" && Boolean(target.draft);
  // A group note's visibility, or a reply's inherited group: only then can "@" mention members.
  const chosenGroup = notes.visibility.startsWith("g:") ? notes.discussion.groups.find((g) => `g:${g.id}` === notes.visibility) : undefined;
  const groupId = target.type === "reply" ? (target.parent.group?.id ?? null) : (chosenGroup?.id ?? null);
  const visibility = target.type === "reply" ? target.parent.visibility : chosenGroup ? "group" : notes.visibility === "private" ? "private" : "public";

  useEffect(() => {
    if (autoFocus) textarea.current?.focus();
  }, [autoFocus]);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    if (submitting) return;
    if (!body.trim() && !isAnnotation) {
      setError(t("errors.bodyRequired"));
      textarea.current?.focus();
      return;
    }
    if (body.length > MAX_BODY_LENGTH) {
      setError(t("errors.bodyTooLong"));
      return;
    }
    setSubmitting(true);
    setError("");
    const tempId = `pending-${idempotencyKey.current}`;
    const now = new Date().toISOString();
    const optimistic: ClientNote = {
      id: tempId,
      articleId: "",
      paragraphId: target.type === "paragraph" ? target.paragraphId : target.parent.paragraphId,
      paragraphKey: target.type === "paragraph" ? "" : target.parent.paragraphKey,
      parentId: target.type === "reply" ? target.parent.id : null,
      rootId: target.type === "reply" ? (target.parent.rootId ?? target.parent.id) : null,
      depth: target.type === "reply" ? target.parent.depth + 1 : 0,
      kind: isAnnotation ? "annotation" : "comment",
      locale: target.locale,
      visibility,
      group: target.type === "reply" ? target.parent.group : chosenGroup ?? null,
      tag: (tag || null) as ClientNote["tag"],
      body: body.trim(),
      deleted: false,
      status: "visible",
      moderated: false,
      locked: false,
      quote: target.type === "paragraph" && target.draft ? { ...target.draft, prefix: "", suffix: "" } : null,
      author: notes.viewer ?? { id: "", name: "" },
      createdAt: now,
      editedAt: null,
      version: 1,
      revisionCount: 0,
      replyCount: 0,
      helpfulCount: 0,
      helpfulByMe: false,
      flaggedByMe: false,
      answeredById: null,
      pending: true,
    };
    onOptimistic(optimistic);
    notes.adjustCount(optimistic.paragraphId, 1);

    const api = notesApi(locale, t("errors.network"));
    const mentionIds = groupId ? mentions.filter((m) => body.includes(`@${m.name}`)).map((m) => m.id) : [];
    const payload =
      target.type === "reply"
        ? {
            parentId: target.parent.id,
            locale: target.locale,
            body: body.trim(),
            ...(mentionIds.length ? { mentions: mentionIds } : {}),
            idempotencyKey: idempotencyKey.current,
          }
        : {
            paragraphId: target.paragraphId,
            locale: target.locale,
            kind: isAnnotation ? "annotation" : "comment",
            visibility,
            ...(chosenGroup ? { groupId: chosenGroup.id } : {}),
            ...(mentionIds.length ? { mentions: mentionIds } : {}),
            body: body.trim(),
            tag: tag || null,
            ...(target.draft ? { range: { start: target.draft.start, end: target.draft.end, exact: target.draft.exact } } : {}),
            idempotencyKey: idempotencyKey.current,
          };
    const result = await api.create(payload);
    setSubmitting(false);
    if (!result.ok) {
      onSettled(tempId, null);
      notes.adjustCount(optimistic.paragraphId, -1);
      setError(result.message);
      // A network failure may have reached the server: keep the key so a retry cannot duplicate.
      if (result.code !== "network") idempotencyKey.current = newIdempotencyKey();
      return;
    }
    idempotencyKey.current = newIdempotencyKey();
    onSettled(tempId, result.note);
    setBody("");
    setTag("");
    setMentions([]);
    notes.announce(t(isAnnotation ? "highlightSaved" : "noteSaved"));
    if (isAnnotation) notes.refreshHighlights(result.note.paragraphId);
  }

  const suspension = notes.discussion.suspension;
  if (suspension) {
    return (
      <p className="suspension-notice" role="status" data-testid="suspension-notice">
        {suspension.endsAt
          ? tm("suspendedUntil", { reason: suspension.reason, date: new Date(suspension.endsAt) })
          : tm("suspendedIndefinitely", { reason: suspension.reason })}
      </p>
    );
  }

  const label = target.type === "reply" ? t("replyLabel") : t("composerLabel");
  return (
    <form className="note-composer" onSubmit={submit} noValidate>
      {target.type === "paragraph" && target.draft && (
        <figure className="note-quote">
          <figcaption>{t("selectedPassage")}</figcaption>
          <blockquote lang={target.draft.locale}>{target.draft.exact}</blockquote>
        </figure>
      )}
      <label htmlFor={`${id}-body`}>{label}</label>
      <MentionTextarea
        id={`${id}-body`}
        textareaRef={textarea}
        groupId={groupId}
        value={body}
        onChange={setBody}
        onMentionsChange={setMentions}
        rows={target.type === "reply" ? 2 : 3}
        maxLength={MAX_BODY_LENGTH}
        aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
        aria-invalid={error ? true : undefined}
      />
      <p id={`${id}-hint`} className="field-hint">
        {t("composerHint")}
        {groupId ? ` ${t("mentionHint")}` : ""}
      </p>
      {target.type === "paragraph" && (
        <div className="composer-options">
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
          <fieldset className="visibility-choice">
            <legend>{t("visibility")}</legend>
            {[
              { value: "private", label: t("visibilityPrivate") },
              ...notes.discussion.groups.map((g) => ({ value: `g:${g.id}`, label: t("visibilityGroup", { name: g.name }) })),
              { value: "public", label: t("visibilityPublic") },
            ].map(({ value, label }) => (
              <label key={value}>
                <input type="radio" name={`${id}-visibility`} value={value} checked={notes.visibility === value} onChange={() => notes.setVisibility(value)} />
                {label}
              </label>
            ))}
          </fieldset>
        </div>
      )}
      {error && (
        <p id={`${id}-error`} role="alert" className="form-error">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button-primary" disabled={submitting}>
          {submitting ? t("posting") : target.type === "reply" ? t("postReply") : t("post")}
        </button>
        {onCancel && (
          <button type="button" className="button-secondary" onClick={onCancel}>
            {t("cancel")}
          </button>
        )}
      </div>
    </form>
  );
}
