"use client";

import { useTranslations } from "next-intl";
import { memo, useCallback, useId, useMemo, useRef, useState, type Dispatch } from "react";
import type { ContentLocale } from "@/lib/content/article-document";
import { alignmentHints } from "@/lib/content/alignment-hints";
import { languageName } from "@/lib/i18n/language-names";
import { LANGS, type EditorAction, type EditorRow } from "./editor-state";

// The two languages side by side, row by row. Every cell is a textarea; the buttons under a cell
// act on that language's column only (merge with the next cell, split at the cursor, move up or
// down), the ones beside the row on both (insert an empty row, delete, heading). Names say which
// language and paragraph they act on, so a screen-reader user hears "Merge Japanese ¶3 with ¶4".

type Announce = (message: string) => void;

export const AlignmentEditor = memo(function AlignmentEditor({ rows, dispatch }: { rows: EditorRow[]; dispatch: Dispatch<EditorAction> }) {
  const t = useTranslations("Authoring");
  const id = useId().replace(/:/g, "");
  const [announcement, setAnnouncement] = useState("");
  const hints = useMemo(() => alignmentHints(rows), [rows]);
  const outliers = useMemo(() => new Set(hints.outliers), [hints]);
  const announce = useCallback<Announce>((message) => {
    setAnnouncement("");
    requestAnimationFrame(() => setAnnouncement(message));
  }, []);
  // The textareas, to read the cursor when "split" is pressed (focus has moved to the button by then).
  const cells = useRef(new Map<string, HTMLTextAreaElement>());

  return (
    <section className="authoring-section" aria-labelledby={`${id}-align`} data-testid="alignment-editor">
      <h2 id={`${id}-align`}>{t("alignHeading")}</h2>
      <p className="field-hint">{t("alignHint")}</p>
      <div className="authoring-warnings" data-testid="alignment-warnings">
        {hints.countsDiffer && (
          <p className="authoring-warning" data-testid="count-warning">
            {t("countsDiffer", { en: hints.counts.en, ja: hints.counts.ja })}
          </p>
        )}
        {hints.outliers.length > 0 && (
          <p className="authoring-warning" data-testid="ratio-warning">
            {t("ratioWarning", { count: hints.outliers.length })}{" "}
            {hints.outliers.map((index, n) => (
              <span key={index}>
                {n > 0 && ", "}
                <a href={`#row-${index + 1}`}>{t("rowNumber", { number: index + 1 })}</a>
              </span>
            ))}
          </p>
        )}
        {!hints.countsDiffer && hints.outliers.length === 0 && rows.length > 0 && (
          <p className="authoring-ok" data-testid="alignment-ok">
            {t("alignmentLooksFine", { count: rows.length })}
          </p>
        )}
      </div>
      {rows.length === 0 ? (
        <>
          <p>{t("noRows")}</p>
          <button type="button" className="button-secondary authoring-button" onClick={() => dispatch({ type: "insertRowAfter", index: -1 })} data-testid="add-first-row">
            {t("addFirstRow")}
          </button>
        </>
      ) : (
        <>
        <div>
          <button
            type="button"
            className="button-secondary authoring-button"
            onClick={() => {
              dispatch({ type: "insertRowAfter", index: -1 });
              announce(t("insertedRow", { number: 1 }));
            }}
            data-testid="insert-row-top"
          >
            {t("insertRowTop")}
          </button>
        </div>
        {/* Same grid as a row, so the column names sit over their columns. */}
        <div className="align-head" aria-hidden="true">
          <span />
          {LANGS.map((lang) => (
            <span key={lang} lang={lang}>
              {languageName(lang)}
            </span>
          ))}
        </div>
        <ol className="align-rows" aria-label={t("alignRowsLabel")}>
          {rows.map((row, index) => (
            <AlignRow
              key={row.id}
              row={row}
              index={index}
              last={index === rows.length - 1}
              outlier={outliers.has(index)}
              empty={hints.emptyCells[index]}
              dispatch={dispatch}
              announce={announce}
              cells={cells.current}
            />
          ))}
        </ol>
        </>
      )}
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
    </section>
  );
});

const AlignRow = memo(function AlignRow({
  row,
  index,
  last,
  outlier,
  empty,
  dispatch,
  announce,
  cells,
}: {
  row: EditorRow;
  index: number;
  last: boolean;
  outlier: boolean;
  empty: ContentLocale[] | undefined;
  dispatch: Dispatch<EditorAction>;
  announce: Announce;
  cells: Map<string, HTMLTextAreaElement>;
}) {
  const t = useTranslations("Authoring");
  const number = index + 1;
  const rowId = `row-${number}`;
  const classes = ["align-row", row.heading ? "align-row-heading" : "", outlier ? "align-row-outlier" : "", empty?.length ? "align-row-gap" : ""].filter(Boolean).join(" ");

  return (
    <li className={classes} id={rowId} data-testid="align-row" data-row={number}>
      <div className="align-row-side">
        <span className="align-row-number" aria-hidden="true">
          ¶{number}
        </span>
        <label className="align-heading-toggle">
          <input type="checkbox" checked={row.heading} onChange={() => dispatch({ type: "heading", index })} aria-label={t("headingToggle", { number })} />
          <span aria-hidden="true">{t("headingShort")}</span>
        </label>
        <button
          type="button"
          className="align-button"
          onClick={() => {
            dispatch({ type: "insertRowAfter", index });
            announce(t("insertedRow", { number: number + 1 }));
          }}
          aria-label={t("insertRowAfter", { number })}
          data-testid={`insert-row-${number}`}
        >
          {t("insertShort")}
        </button>
        <button
          type="button"
          className="align-button align-button-danger"
          onClick={() => {
            dispatch({ type: "deleteRow", index });
            announce(t("deletedRow", { number }));
          }}
          aria-label={t("deleteRow", { number })}
          data-testid={`delete-row-${number}`}
        >
          {t("deleteShort")}
        </button>
        {outlier && (
          <p className="align-row-note" id={`${rowId}-ratio`}>
            {t("ratioOutlier")}
          </p>
        )}
      </div>
      {LANGS.map((lang) => {
        const language = languageName(lang);
        const isEmpty = empty?.includes(lang) ?? false;
        const cellKey = `${row.id}:${lang}`;
        const describedBy = [isEmpty ? `${rowId}-${lang}-empty` : "", outlier ? `${rowId}-ratio` : ""].filter(Boolean).join(" ") || undefined;
        return (
          <div key={lang} className={isEmpty ? "align-cell align-cell-empty" : "align-cell"}>
            <textarea
              ref={(element) => {
                if (element) cells.set(cellKey, element);
                else cells.delete(cellKey);
              }}
              lang={lang}
              rows={3}
              value={row.text[lang]}
              aria-label={t("cellLabel", { language, number })}
              aria-describedby={describedBy}
              onChange={(event) => dispatch({ type: "cell", index, lang, value: event.target.value })}
              className={row.heading ? "align-text align-text-heading" : "align-text"}
              data-testid={`cell-${lang}-${number}`}
            />
            {isEmpty && (
              <p className="align-cell-empty-note" id={`${rowId}-${lang}-empty`}>
                {t("emptyCell", { language })}
              </p>
            )}
            <div className="align-cell-actions">
              <button
                type="button"
                className="align-button"
                disabled={last}
                onClick={() => {
                  dispatch({ type: "mergeNext", index, lang });
                  announce(t("mergedCell", { language, number, next: number + 1 }));
                }}
                aria-label={t("mergeCell", { language, number, next: number + 1 })}
                data-testid={`merge-${lang}-${number}`}
              >
                {t("mergeShort")}
              </button>
              <button
                type="button"
                className="align-button"
                onClick={() => {
                  const at = cells.get(cellKey)?.selectionStart ?? row.text[lang].length;
                  dispatch({ type: "split", index, lang, at });
                  announce(t("splitCellDone", { language, number }));
                }}
                aria-label={t("splitCell", { language, number })}
                data-testid={`split-${lang}-${number}`}
              >
                {t("splitShort")}
              </button>
              <button
                type="button"
                className="align-button"
                disabled={index === 0}
                onClick={() => {
                  dispatch({ type: "move", index, lang, by: -1 });
                  announce(t("movedCell", { language, number: number - 1 }));
                }}
                aria-label={t("moveUp", { language, number })}
                data-testid={`up-${lang}-${number}`}
              >
                {t("upShort")}
              </button>
              <button
                type="button"
                className="align-button"
                disabled={last}
                onClick={() => {
                  dispatch({ type: "move", index, lang, by: 1 });
                  announce(t("movedCell", { language, number: number + 1 }));
                }}
                aria-label={t("moveDown", { language, number })}
                data-testid={`down-${lang}-${number}`}
              >
                {t("downShort")}
              </button>
            </div>
          </div>
        );
      })}
    </li>
  );
});
