"use client";

import { useLocale, useTranslations } from "next-intl";
import { useCallback, useEffect, useId, useRef, useState } from "react";
import { applyLiveUpdate } from "./apply-live-update";
import { baseText } from "@/components/text-offsets";
import { codePointLength } from "@/lib/text/code-points";
import { noteKinds, noteTags, textLocales } from "../types";
import { NoteComposer } from "./note-composer";
import { NoteItem } from "./note-item";
import { notesApi, type ClientNote } from "./notes-client";
import { useNotes, type Draft } from "./notes-context";
import { languageName } from "@/lib/i18n/language-names";

/** The side panel (a bottom sheet on phones): one paragraph's threads, or all notes. */
/**
 * `allNotesFooter`: what the page adds under "All notes" (the reader puts the export control
 * there); passed in, so this feature does not depend on the features that provide it.
 */
export function NotesPanel({ allNotesFooter }: { allNotesFooter?: React.ReactNode } = {}) {
  const t = useTranslations("Notes");
  const notes = useNotes();
  const heading = useRef<HTMLHeadingElement>(null);
  const panel = notes.panel;
  const paragraph = panel?.type === "paragraph" ? notes.paragraphs.find((p) => p.key === panel.key) : undefined;

  useEffect(() => {
    if (!(panel?.type === "paragraph" && (panel.noteId || panel.composeFocus))) heading.current?.focus({ preventScroll: true });
    // On phones the sheet covers the lower part of the screen: keep the paragraph above it.
    if (panel?.type === "paragraph" && window.matchMedia("(max-width: 40rem)").matches) {
      document.getElementById(panel.key)?.scrollIntoView({ block: "start" });
    }
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape" && !document.querySelector(".selection-popover")) notes.closePanel();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
    // Re-run only when what the panel shows changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [panel?.type, panel?.type === "paragraph" ? panel.key : null]);

  if (!panel) return null;
  const title = panel.type === "all" ? t("allNotesTitle") : t("panelTitle", { number: paragraph?.position ?? "?" });

  return (
    <aside id="notes-panel" className="notes-panel" aria-labelledby="notes-panel-title">
      <div className="notes-panel-header">
        <h2 id="notes-panel-title" ref={heading} tabIndex={-1}>
          {title}
        </h2>
        <button type="button" className="button-small" onClick={notes.closePanel}>
          {t("close")}
        </button>
      </div>
      <div className="notes-panel-body">
        {panel.type === "all" ? (
          <>
            <AllNotes />
            {allNotesFooter}
          </>
        ) : paragraph ? (
          <ParagraphThread key={`${panel.key}:${panel.draft?.start ?? ""}:${panel.draft?.end ?? ""}`} paragraphKey={panel.key} paragraphId={paragraph.id} number={paragraph.position} noteId={panel.noteId} draft={panel.draft} composeFocus={panel.composeFocus} />
        ) : null}
      </div>
    </aside>
  );
}

function useNotesApi() {
  const t = useTranslations("Notes");
  const locale = useLocale();
  return notesApi(locale, t("errors.network"));
}

function ParagraphThread({
  paragraphKey,
  paragraphId,
  number,
  noteId,
  draft: initialDraft,
  composeFocus,
}: {
  paragraphKey: string;
  paragraphId: string;
  number: number;
  noteId?: string;
  draft?: Draft;
  composeFocus?: boolean;
}) {
  const t = useTranslations("Notes");
  const notes = useNotes();
  const api = useNotesApi();
  const [items, setItems] = useState<ClientNote[] | null>(null);
  const [loadError, setLoadError] = useState("");
  const [replyTo, setReplyTo] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft | undefined>(initialDraft);
  const [sort, setSort] = useState<"oldest" | "helpful">("oldest");
  // The API pages threads newest first (50 roots with their replies). The panel still reads
  // oldest first within what is loaded, like a conversation: the composer, notes just posted and
  // live notes all sit at the bottom, and "Older notes" adds earlier threads above the rest.
  const [older, setOlder] = useState<string | null>(null);
  const [total, setTotal] = useState(0);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const threadList = useRef<HTMLUListElement>(null);
  const olderIds = useRef(new Set<string>());
  const textLocale = notes.mode === "both" ? null : notes.mode;

  const load = useCallback(async () => {
    setLoadError("");
    const result = await api.thread(notes.slug, paragraphKey, notes.discussion.layers);
    if (!result.ok) return setLoadError(result.message);
    // Notes posted while this request was in flight are not in its answer: keep them. Older pages
    // loaded before (a reload after a layer change) are not: the cursor starts over.
    const fromOlderPages = olderIds.current;
    olderIds.current = new Set();
    setItems((previous) => {
      const fetched = new Set(result.notes.map((n) => n.id));
      return [...result.notes, ...(previous ?? []).filter((n) => !fetched.has(n.id) && !fromOlderPages.has(n.id))];
    });
    setOlder(result.nextCursor);
    setTotal(result.total);
    // api is rebuilt each render; the slug, key and layers are what matter.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [notes.slug, paragraphKey, notes.discussion.layers]);

  async function loadOlder() {
    if (!older) return;
    setLoadingOlder(true);
    const result = await api.thread(notes.slug, paragraphKey, notes.discussion.layers, older);
    setLoadingOlder(false);
    if (!result.ok) return setLoadError(result.message);
    const added = result.notes.filter((n) => n.parentId === null).length;
    for (const note of result.notes) olderIds.current.add(note.id);
    // Older threads go above the loaded ones; a note that arrived meanwhile (live) is not doubled.
    setItems((list) => {
      const have = new Set((list ?? []).map((n) => n.id));
      return [...result.notes.filter((n) => !have.has(n.id)), ...(list ?? [])];
    });
    setOlder(result.nextCursor);
    setTotal(result.total);
    notes.announce(t("olderLoaded", { count: added }));
    // The button goes away after the last page: keep focus in the thread instead of losing it.
    if (!result.nextCursor) threadList.current?.focus();
  }

  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- fetching on open is the point
    void load();
  }, [load]);

  // Live updates (features/live): notes posted, edited or removed elsewhere appear in place.
  useEffect(() => notes.live?.subscribe((update) => setItems((list) => applyLiveUpdate(list, update, paragraphId))), [notes.live, paragraphId]);

  useEffect(() => {
    if (!items || !noteId) return;
    const element = document.getElementById(`note-${noteId}`);
    element?.scrollIntoView({ block: "center" });
    element?.focus();
  }, [items, noteId]);

  const replace = (note: ClientNote) => setItems((list) => list?.map((n) => (n.id === note.id ? { ...note, orphan: n.orphan } : n)) ?? null);
  const composerProps = {
    onOptimistic: (note: ClientNote) => setItems((list) => [...(list ?? []), note]),
    onSettled: (tempId: string, note: ClientNote | null) => {
      setItems((list) => (note ? (list ?? []).map((n) => (n.id === tempId ? note : n)) : (list ?? []).filter((n) => n.id !== tempId)));
      if (note) {
        setReplyTo(null);
        setDraft(undefined);
      }
    },
  };

  const renderTree = () => {
    if (!items) return null;
    const children = new Map<string | null, ClientNote[]>();
    // "Most helpful" orders each level by helpful count (ties: oldest first); the answer to a
    // question always comes first among its siblings.
    const answers = new Set(items.map((n) => n.answeredById).filter(Boolean));
    const ordered =
      sort === "helpful"
        ? [...items].sort(
            (a, b) =>
              Number(answers.has(b.id)) - Number(answers.has(a.id)) || b.helpfulCount - a.helpfulCount || a.createdAt.localeCompare(b.createdAt),
          )
        : items;
    for (const note of ordered) {
      const key = note.parentId && items.some((n) => n.id === note.parentId) ? note.parentId : null;
      children.set(key, [...(children.get(key) ?? []), note]);
    }
    const byId = new Map(items.map((n) => [n.id, n]));
    const questionOf = (note: ClientNote) => {
      const root = note.rootId ? byId.get(note.rootId) : undefined;
      return root && root.tag === "question" && !root.deleted ? root : undefined;
    };
    const descendants = (note: ClientNote): ClientNote[] =>
      (children.get(note.id) ?? []).flatMap((child) => [child, ...descendants(child)]).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    // Replies nest two levels deep; deeper replies are listed flat under the second level,
    // each saying whom it answers, so threads stay readable on a phone.
    const renderNode = (note: ClientNote, level: number, replyingTo?: string) => {
      const nested = level < 2 ? (children.get(note.id) ?? []) : [];
      const flat = level === 2 ? descendants(note) : [];
      return (
        <li key={note.id}>
          <NoteItem note={note} question={questionOf(note)} textLocale={textLocale} replyingTo={replyingTo} highlighted={note.id === noteId} onChange={replace} onReply={(n) => setReplyTo(n.id)}>
            {replyTo === note.id && (
              <NoteComposer target={{ type: "reply", parent: note, locale: textLocale ?? note.locale }} autoFocus onCancel={() => setReplyTo(null)} {...composerProps} />
            )}
          </NoteItem>
          {(nested.length > 0 || flat.length > 0) && (
            <ul className="note-replies">
              {nested.map((child) => renderNode(child, level + 1))}
              {flat.map((child) => (
                <li key={child.id}>
                  <NoteItem
                    note={child}
                    question={questionOf(child)}
                    textLocale={textLocale}
                    replyingTo={byId.get(child.parentId ?? "")?.author.name}
                    highlighted={child.id === noteId}
                    onChange={replace}
                    onReply={(n) => setReplyTo(n.id)}
                  >
                    {replyTo === child.id && (
                      <NoteComposer target={{ type: "reply", parent: child, locale: textLocale ?? child.locale }} autoFocus onCancel={() => setReplyTo(null)} {...composerProps} />
                    )}
                  </NoteItem>
                </li>
              ))}
            </ul>
          )}
        </li>
      );
    };
    const roots = children.get(null) ?? [];
    if (!roots.length && !older) return <p className="notes-empty">{t("empty")}</p>;
    const loadedRoots = items.filter((n) => n.parentId === null).length;
    return (
      <>
        <fieldset className="thread-sort">
          <legend>{t("sortLabel")}</legend>
          {(["oldest", "helpful"] as const).map((value) => (
            <label key={value}>
              <input type="radio" name={`sort-${paragraphKey}`} value={value} checked={sort === value} onChange={() => setSort(value)} />
              {value === "oldest" ? t("sortOldest") : t("sortHelpful")}
            </label>
          ))}
        </fieldset>
        {older && (
          <div className="older-notes">
            <p className="notes-shown">{t("threadsShown", { shown: Math.min(loadedRoots, total), total })}</p>
            <button type="button" className="button-secondary" onClick={loadOlder} disabled={loadingOlder} aria-busy={loadingOlder || undefined}>
              {t("olderNotes")}
            </button>
          </div>
        )}
        <ul className="note-threads" ref={threadList} tabIndex={-1}>
          {roots.map((note) => renderNode(note, 0))}
        </ul>
      </>
    );
  };

  return (
    <>
      {loadError ? (
        <div role="alert" className="form-error">
          {loadError}{" "}
          <button type="button" className="button-small" onClick={load}>
            {t("retry")}
          </button>
        </div>
      ) : items === null ? (
        <p className="notes-loading" role="status">
          {t("loading")}
        </p>
      ) : (
        renderTree()
      )}
      {notes.viewer ? (
        <section className="new-note" aria-label={t("newNote", { number })}>
          <h3>{t("newNote", { number })}</h3>
          {/* Suspended: the composer below shows the suspension notice instead; nothing else to write with. */}
          {!draft && !notes.discussion.suspension && <PassagePicker paragraphKey={paragraphKey} onPick={setDraft} />}
          <NoteComposer
            key={draft ? `${draft.start}-${draft.end}` : "comment"}
            target={{ type: "paragraph", paragraphId, locale: draft?.locale ?? textLocale ?? "en", draft }}
            autoFocus={Boolean(composeFocus && draft) || Boolean(draft && !initialDraft)}
            onCancel={draft ? () => setDraft(undefined) : undefined}
            {...composerProps}
          />
        </section>
      ) : notes.viewerPending ? (
        <p className="notes-loading" role="status">
          {t("loading")}
        </p>
      ) : (
        <p className="sign-in-prompt">
          {t("signInPrompt")} <a href={notes.signInHref(paragraphKey)}>{t("signIn")}</a> ·{" "}
          <a href={notes.signInHref(paragraphKey).replace("/sign-in?", "/sign-up?")}>{t("signUp")}</a>
        </p>
      )}
    </>
  );
}

/**
 * The keyboard (and screen reader) way to annotate: type or paste words from the paragraph
 * instead of selecting them with a pointer.
 */
function PassagePicker({ paragraphKey, onPick }: { paragraphKey: string; onPick: (draft: Draft) => void }) {
  const t = useTranslations("Notes");
  const notes = useNotes();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [passage, setPassage] = useState("");
  const [language, setLanguage] = useState(notes.mode === "both" ? "en" : notes.mode);
  const [error, setError] = useState("");

  function pick(event: React.FormEvent) {
    event.preventDefault();
    const host = document.querySelector<HTMLElement>(`#${CSS.escape(paragraphKey)} .para-body > [data-text-locale="${language}"]`);
    const text = host ? baseText(host) : "";
    const wanted = passage.trim();
    const at = wanted ? text.indexOf(wanted) : -1;
    if (at === -1) {
      setError(t("passageNotFound", { language: languageName(language) }));
      return;
    }
    const start = codePointLength(text.slice(0, at));
    onPick({ locale: language, start, end: start + codePointLength(wanted), exact: wanted });
  }

  if (!open) {
    return (
      <button type="button" className="button-small" onClick={() => setOpen(true)}>
        {t("annotatePassage")}
      </button>
    );
  }
  return (
    <form className="passage-picker" onSubmit={pick} noValidate>
      <label htmlFor={`${id}-passage`}>{t("passageLabel")}</label>
      <input
        id={`${id}-passage`}
        value={passage}
        autoFocus
        onChange={(event) => setPassage(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {notes.mode === "both" && (
        <label>
          {t("filterLanguage")}
          <select value={language} onChange={(event) => setLanguage(event.target.value as "en" | "ja")}>
            {textLocales.map((l) => (
              <option key={l} value={l} lang={l}>
                {languageName(l)}
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
        <button type="submit" className="button-secondary">
          {t("annotate")}
        </button>
        <button type="button" className="button-small" onClick={() => setOpen(false)}>
          {t("cancel")}
        </button>
      </div>
    </form>
  );
}

function AllNotes() {
  const t = useTranslations("Notes");
  const notes = useNotes();
  const api = useNotesApi();
  const id = useId();
  const [filters, setFilters] = useState({ author: "everyone", kind: "", tag: "", locale: "" });
  const [items, setItems] = useState<ClientNote[] | null>(null);
  const [orphans, setOrphans] = useState<ClientNote[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState("");
  const textLocale = notes.mode === "both" ? null : notes.mode;
  const active = Object.fromEntries(Object.entries(filters).filter(([, v]) => v)) as Record<string, string>;
  const query = JSON.stringify(active);

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const result = await api.list(notes.slug, JSON.parse(query) as Record<string, string>, null, notes.discussion.layers);
      if (cancelled) return;
      if (result.ok) {
        setItems(result.notes);
        setOrphans(result.orphans);
        setCursor(result.nextCursor);
        setError("");
      } else setError(result.message);
    })();
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [notes.slug, query, notes.discussion.layers]);

  async function loadMore() {
    const result = await api.list(notes.slug, active, cursor, notes.discussion.layers);
    if (result.ok) {
      setItems((list) => [...(list ?? []), ...result.notes]);
      setCursor(result.nextCursor);
    } else setError(result.message);
  }

  const position = (paragraphId: string) => notes.paragraphs.find((p) => p.id === paragraphId);
  const set = (key: keyof typeof filters) => (event: React.ChangeEvent<HTMLSelectElement>) => setFilters((f) => ({ ...f, [key]: event.target.value }));
  const renderList = (list: ClientNote[]) => (
    <ul className="note-threads">
      {list.map((note) => {
        const paragraph = position(note.paragraphId);
        return (
          <li key={note.id}>
            {paragraph && (
              <button type="button" className="link-button" onClick={() => notes.openParagraph(paragraph.key, { noteId: note.id })}>
                {t("goToParagraph", { number: paragraph.position })}
              </button>
            )}
            <NoteItem note={note} textLocale={textLocale} onChange={(n) => setItems((l) => l?.map((x) => (x.id === n.id ? n : x)) ?? null)} onReply={() => paragraph && notes.openParagraph(paragraph.key, { noteId: note.id })} />
            {note.replyCount > 0 && <p className="reply-count">{t("replies", { count: note.replyCount })}</p>}
          </li>
        );
      })}
    </ul>
  );

  return (
    <>
      <form className="notes-filters" onSubmit={(event) => event.preventDefault()}>
        {notes.viewer && (
          <label>
            {t("filterAuthor")}
            <select value={filters.author} onChange={set("author")}>
              <option value="everyone">{t("filterEveryone")}</option>
              <option value="mine">{t("filterMine")}</option>
            </select>
          </label>
        )}
        <label>
          {t("filterKind")}
          <select value={filters.kind} onChange={set("kind")}>
            <option value="">{t("filterAll")}</option>
            {noteKinds.map((kind) => (
              <option key={kind} value={kind}>
                {kind === "comment" ? t("kindComment") : t("kindAnnotation")}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("filterTag")}
          <select value={filters.tag} onChange={set("tag")}>
            <option value="">{t("filterAll")}</option>
            {noteTags.map((tag) => (
              <option key={tag} value={tag}>
                {t("tagName", { tag })}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("filterLanguage")}
          <select value={filters.locale} onChange={set("locale")}>
            <option value="">{t("filterAll")}</option>
            {textLocales.map((l) => (
              <option key={l} value={l} lang={l}>
                {languageName(l)}
              </option>
            ))}
          </select>
        </label>
      </form>
      {error && (
        <p role="alert" className="form-error">
          {error}
        </p>
      )}
      {items === null ? (
        <p role="status" className="notes-loading">
          {t("loading")}
        </p>
      ) : items.length ? (
        renderList(items)
      ) : (
        <p className="notes-empty">{t("emptyAll")}</p>
      )}
      {cursor && (
        <button type="button" className="button-secondary" onClick={loadMore}>
          {t("loadMore")}
        </button>
      )}
      {orphans.length > 0 && (
        <section aria-labelledby={`${id}-orphans`} className="orphans">
          <h3 id={`${id}-orphans`}>{t("orphansTitle")}</h3>
          {renderList(orphans)}
        </section>
      )}
    </>
  );
}
