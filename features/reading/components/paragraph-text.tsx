"use client";

import { useContext } from "react";
import { AnnotatedText, unpackRuns, type PackedRun } from "@/components/annotated-text";
import { HighlightRepaintContext } from "@/features/notes/components/notes-context";
import type { RubySegments } from "@/lib/text/ruby";

/**
 * One paragraph's text in one language. The server renders it with the public highlights (the
 * cached page); a signed-in reader's own, group and layer-filtered highlights replace them in
 * place once their state arrives, as real <mark> elements (same styles and clicks, nothing moves).
 */
export function ParagraphText({
  paragraphId,
  lang,
  text,
  phraseBreaks,
  runs,
  heading = false,
  ruby,
}: {
  paragraphId: string;
  lang: string;
  text: string;
  phraseBreaks: readonly number[];
  /** The cached page's (public) runs, packed. */
  runs?: PackedRun[];
  /** A heading kept as a paragraph: announced as a heading, still one paragraph of text for notes. */
  heading?: boolean;
  /** Furigana over the kanji (Japanese text with furigana on). */
  ruby?: RubySegments;
}) {
  const repaint = useContext(HighlightRepaintContext);
  const override = repaint.runs[paragraphId];
  const shown = override ? override[lang] : repaint.scope === "all" ? undefined : unpackRuns(runs);
  // data-text-locale marks the element whose text content the selection offsets count in.
  return (
    <p className="para-text" lang={lang} data-text-locale={lang} {...(heading ? { role: "heading", "aria-level": 2 } : {})}>
      <AnnotatedText text={text} phraseBreaks={phraseBreaks} runs={shown} ruby={ruby} />
    </p>
  );
}
