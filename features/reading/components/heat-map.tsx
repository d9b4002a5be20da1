"use client";

import { useTranslations } from "next-intl";
import { useNotes } from "@/features/notes/components/notes-context";

/**
 * A strip above the article: one cell per paragraph (shared by both languages), shaded by how
 * much discussion the chosen layers hold there and marked where questions are still open. Drawn
 * from the margin counts (the page's public ones, then the reader's own), so it costs no query.
 */
export function HeatMap() {
  const t = useTranslations("HeatMap");
  const { paragraphs, counts, discussion } = useNotes();
  const max = Math.max(0, ...paragraphs.map((p) => counts[p.id] ?? 0));
  return (
    <nav className="heat-map" aria-label={t("label")}>
      <ol>
        {paragraphs.map((p) => {
          const count = counts[p.id] ?? 0;
          const open = discussion.openQuestions[p.id] ?? 0;
          // Four shades relative to the busiest paragraph; 0 stays blank.
          const level = count === 0 || max === 0 ? 0 : Math.max(1, Math.ceil((count / max) * 4));
          return (
            <li key={p.id}>
              <a
                href={`#${p.key}`}
                className={`heat-cell heat-${level}${open ? " heat-open" : ""}`}
                aria-label={t("cell", { number: p.position, count, open })}
                title={t("cell", { number: p.position, count, open })}
                data-count={count}
                data-open={open}
              >
                {open > 0 && <span aria-hidden="true">?</span>}
              </a>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
