"use client";

import { useFormatter, useLocale, useTranslations } from "next-intl";
import type { PassageChangedNote } from "../types";
import { isDeletedUserId } from "@/lib/account-data/deleted-user";
import "./revisions.css";

/**
 * "Notes whose passage changed", under the article's text: notes a revision left without their
 * passage (it changed beyond re-anchoring, or its paragraph was removed). They are not drawn in the
 * text — their positions no longer mean anything — so this is where they stay readable, with the
 * passage they quoted and the revisions involved. Hidden when there are none. The cached page
 * passes the public ones; a signed-in reader's own list arrives with the reader state (ADR 0012).
 */
export function PassageChangedNotes({ notes, slug }: { notes: PassageChangedNote[]; slug: string }) {
  const t = useTranslations("PassageChanged");
  const tData = useTranslations("AccountData");
  const format = useFormatter();
  const locale = useLocale();
  if (!notes.length) return null;
  const historyHref = (revision: number | null) => `/${locale}/articles/${slug}/history${revision ? `?to=${revision}#changes` : ""}`;
  return (
    <section className="passage-changed" aria-labelledby="passage-changed-heading" data-testid="passage-changed">
      <h2 id="passage-changed-heading">
        {t("heading")} <span className="count-badge">{t("count", { count: notes.length })}</span>
      </h2>
      <details>
        <summary>{t("show", { count: notes.length })}</summary>
        <p>{t("intro")}</p>
        <ul className="passage-changed-list">
          {notes.map((note) => (
            <li key={note.id} className="passage-changed-item" data-testid="passage-changed-note">
              {note.quote && (
                <blockquote aria-label={t("quoteLabel")} lang={note.locale}>
                  {note.quote}
                </blockquote>
              )}
              <p className="passage-changed-body">{note.body}</p>
              <p className="passage-changed-meta">
                <span>{t("by", { name: isDeletedUserId(note.author.id) ? tData("deletedUser") : note.author.name })}</span>
                <time dateTime={note.createdAt}>{format.dateTime(new Date(note.createdAt), { dateStyle: "medium" })}</time>
                {note.visibility === "private" && <span>{t("private")}</span>}
                {note.visibility === "group" && note.groupName && <span>{t("group", { name: note.groupName })}</span>}
                {note.status !== "visible" && <span>{t(note.status)}</span>}
                <span>{note.writtenOn ? t("writtenOn", { number: note.writtenOn }) : t("writtenBefore")}</span>
                <span>
                  {note.paragraphRemoved
                    ? note.changedIn
                      ? t("removedIn", { number: note.changedIn })
                      : t("removedUnknown")
                    : note.changedIn
                      ? t("changedIn", { number: note.changedIn })
                      : t("changedUnknown")}
                </span>
                {note.replyCount > 0 && <span>{t("replies", { count: note.replyCount })}</span>}
                {!note.paragraphRemoved && <a href={`#${note.paragraphKey}`}>{t("toParagraph")}</a>}
                <a href={historyHref(note.changedIn)}>{t("history")}</a>
              </p>
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}
