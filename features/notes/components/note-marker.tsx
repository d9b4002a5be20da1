"use client";

import { useTranslations } from "next-intl";
import { useNotes } from "./notes-context";

/** The margin marker of one paragraph: its note count (both languages), opening its thread. */
export function NoteMarker({ paragraphId, paragraphKey, number }: { paragraphId: string; paragraphKey: string; number: number }) {
  const t = useTranslations("Notes");
  const { counts, panel, openParagraph } = useNotes();
  const count = counts[paragraphId] ?? 0;
  const open = panel?.type === "paragraph" && panel.key === paragraphKey;
  return (
    <button
      type="button"
      className={count ? "para-action note-marker has-notes" : "para-action note-marker"}
      aria-label={t("marker", { count, number })}
      aria-expanded={open}
      aria-controls={open ? "notes-panel" : undefined}
      data-count={count}
      onClick={() => openParagraph(paragraphKey)}
    >
      <svg viewBox="0 0 16 16" aria-hidden="true" focusable="false">
        <path d="M2.5 3.5h11v7h-6l-3 2.5v-2.5h-2z" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round" />
      </svg>
      {count > 0 && <span className="note-count">{count}</span>}
    </button>
  );
}
