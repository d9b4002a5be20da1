"use client";

import { useTranslations } from "next-intl";
import { useNotes } from "@/features/notes/components/notes-context";

/** The margin marker of one paragraph: its note count (both languages), opening its thread. */
export function NoteMarker({ paragraphId, paragraphKey, number }: { paragraphId: string; paragraphKey: string; number: number }) {
  const t = useTranslations("Notes");
  const { counts, panel, openParagraph, discussion } = useNotes();
  const count = counts[paragraphId] ?? 0;
  const open = discussion.openQuestions[paragraphId] ?? 0;
  const unread = discussion.unread[paragraphId] ?? 0;
  const expanded = panel?.type === "paragraph" && panel.key === paragraphKey;
  return (
    <button
      type="button"
      className={count ? "para-action note-marker has-notes" : "para-action note-marker"}
      aria-label={[t("marker", { count, number }), open ? t("openQuestions", { count: open }) : "", unread ? t("unreadNotes", { count: unread }) : ""].filter(Boolean).join(", ")}
      aria-expanded={expanded}
      aria-controls={expanded ? "notes-panel" : undefined}
      data-count={count}
      onClick={() => openParagraph(paragraphKey)}
    >
      <svg viewBox="0 0 16 16" aria-hidden="true" focusable="false">
        <path d="M2.5 3.5h11v7h-6l-3 2.5v-2.5h-2z" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round" />
      </svg>
      {count > 0 && <span className="note-count">{count}</span>}
      {/* Open questions and new notes are part of the button's label; these are the visual cues. */}
      {open > 0 && (
        <span className="question-badge" aria-hidden="true" data-testid="question-badge">
          ?{open}
        </span>
      )}
      {unread > 0 && <span className="unread-dot" aria-hidden="true" data-testid="unread-dot" />}
    </button>
  );
}
