import { Fragment, type ReactNode } from "react";
import { codePointToUtf16 } from "@/lib/text/code-points";

export type HighlightRun = { start: number; end: number; count: number; band: number; topNoteId: string | null; tag: string | null };

/**
 * Paragraph text with highlight runs as <mark> (rendered on the server, so nothing shifts when
 * notes load; redrawn in place by the browser when a reader's own highlights differ) and
 * Japanese phrase boundaries (`phraseBreaks`, UTF-16 offsets) as <wbr>. Runs are in code points;
 * the text content is unchanged, so selections map back to the same offsets.
 */
export function AnnotatedText({ text, phraseBreaks, runs, label }: { text: string; phraseBreaks: readonly number[]; runs?: readonly HighlightRun[]; label?: (count: number) => string }) {
  const breaks = new Set(phraseBreaks);
  const withBreaks = (from: number, to: number): ReactNode[] => {
    const out: ReactNode[] = [];
    let cursor = from;
    for (let i = from + 1; i < to; i++) {
      if (breaks.has(i)) {
        out.push(<Fragment key={cursor}>{text.slice(cursor, i)}</Fragment>, <wbr key={`w${i}`} />);
        cursor = i;
      }
    }
    out.push(<Fragment key={cursor}>{text.slice(cursor, to)}</Fragment>);
    if (breaks.has(from) && from > 0) out.unshift(<wbr key={`w${from}`} />);
    return out;
  };

  if (!runs?.length) return <>{withBreaks(0, text.length)}</>;
  return (
    <>
      {runs.map((run) => {
        const from = codePointToUtf16(text, run.start);
        const to = codePointToUtf16(text, run.end);
        if (!run.count) return <Fragment key={from}>{withBreaks(from, to)}</Fragment>;
        return (
          <mark
            key={from}
            className={run.band > 1 ? `hl hl-many hl-band-${run.band}` : `hl hl-${run.tag ?? "plain"}`}
            data-note-id={run.topNoteId ?? undefined}
            data-count={run.count}
            title={label?.(run.count)}
          >
            {withBreaks(from, to)}
          </mark>
        );
      })}
    </>
  );
}
