import { Fragment, type ReactNode } from "react";
import { codePointToUtf16 } from "@/lib/text/code-points";
import type { RubySegments } from "@/lib/text/ruby";

export type HighlightRun = { start: number; end: number; count: number; band: number; topNoteId: string | null; tag: string | null };

/**
 * Paragraph text with highlight runs as <mark> (rendered on the server, so nothing shifts when
 * notes load; redrawn in place by the browser when a reader's own highlights differ) and
 * Japanese phrase boundaries (`phraseBreaks`, UTF-16 offsets) as <wbr>. Runs are in code points;
 * the text content is unchanged, so selections map back to the same offsets.
 * With `ruby` (furigana, ADR 0037) kanji runs become <ruby>base<rt>reading</rt></ruby>: the base
 * text is still the paragraph's text, and selection offsets skip <rt> (components/text-offsets.ts).
 * A highlight that starts or ends inside a kanji run cuts the ruby; the part holding the run's
 * first character keeps the reading.
 */
export function AnnotatedText({
  text,
  phraseBreaks,
  runs,
  label,
  ruby,
}: {
  text: string;
  phraseBreaks: readonly number[];
  runs?: readonly HighlightRun[];
  label?: (count: number) => string;
  ruby?: RubySegments;
}) {
  const breaks = new Set(phraseBreaks);
  const bases = ruby ? rubyBases(ruby) : null;
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
  const inline = (from: number, to: number): ReactNode[] => {
    if (!bases) return withBreaks(from, to);
    const out: ReactNode[] = [];
    let cursor = from;
    for (const base of bases) {
      if (base.to <= from || base.from >= to) continue;
      const start = Math.max(base.from, from);
      const end = Math.min(base.to, to);
      if (start > cursor) out.push(<Fragment key={`p${cursor}`}>{withBreaks(cursor, start)}</Fragment>);
      if (breaks.has(start) && start > 0) out.push(<wbr key={`w${start}`} />);
      out.push(
        <ruby key={`r${start}`}>
          {text.slice(start, end)}
          <rt>{base.from >= from ? base.reading : ""}</rt>
        </ruby>,
      );
      cursor = end;
    }
    if (cursor < to) out.push(<Fragment key={`p${cursor}`}>{withBreaks(cursor, to)}</Fragment>);
    return out;
  };

  if (!runs?.length) return <>{inline(0, text.length)}</>;
  // Runs may leave gaps (unhighlighted text need not be listed): plain text fills them.
  const out: ReactNode[] = [];
  let cursor = 0;
  for (const run of runs) {
    const from = codePointToUtf16(text, run.start);
    const to = codePointToUtf16(text, run.end);
    if (from > cursor) out.push(<Fragment key={`t${cursor}`}>{inline(cursor, from)}</Fragment>);
    cursor = Math.max(cursor, to);
    if (!run.count) {
      out.push(<Fragment key={from}>{inline(from, to)}</Fragment>);
      continue;
    }
    out.push(
      <mark
        key={from}
        // Overlaps carry only their density band: hundreds of runs on a busy page, each byte counts.
        className={run.band > 1 ? `hl hl-band-${run.band}` : `hl hl-${run.tag ?? "plain"}`}
        data-note-id={run.topNoteId ?? undefined}
        title={label?.(run.count)}
      >
        {inline(from, to)}
      </mark>,
    );
  }
  if (cursor < text.length) out.push(<Fragment key={`t${cursor}`}>{inline(cursor, text.length)}</Fragment>);
  return <>{out}</>;
}

/** The kanji runs with readings, as UTF-16 ranges of the text. */
function rubyBases(segments: RubySegments): { from: number; to: number; reading: string }[] {
  const bases: { from: number; to: number; reading: string }[] = [];
  let offset = 0;
  for (const segment of segments) {
    if (segment.length === 2) bases.push({ from: offset, to: offset + segment[0].length, reading: segment[1] });
    offset += segment[0].length;
  }
  return bases;
}

/**
 * Highlight runs as the page sends them to the browser: highlighted runs only, as tuples
 * [start, end, count, band, topNoteId, tag] (a page with thousands of notes carries hundreds of
 * runs, once in the HTML and once in the hydration payload).
 */
export type PackedRun = [number, number, number, number, string | null, string | null];

export function packRuns(runs: readonly HighlightRun[] | undefined): PackedRun[] | undefined {
  const marked = runs?.filter((run) => run.count > 0);
  return marked?.length ? marked.map((r) => [r.start, r.end, r.count, r.band, r.topNoteId, r.tag]) : undefined;
}

export function unpackRuns(runs: readonly PackedRun[] | undefined): HighlightRun[] | undefined {
  return runs?.map(([start, end, count, band, topNoteId, tag]) => ({ start, end, count, band, topNoteId, tag }));
}
