import { Fragment } from "react";
import { splitPhrases } from "@/lib/text/phrases";

/** Text with <wbr> at Japanese phrase boundaries; the text content itself is unchanged. */
export function PhraseText({ text, locale }: { text: string; locale: string }) {
  const phrases = splitPhrases(text, locale);
  if (phrases.length === 1) return text;
  return phrases.map((phrase, index) => (
    <Fragment key={index}>
      {index > 0 && <wbr />}
      {phrase}
    </Fragment>
  ));
}
