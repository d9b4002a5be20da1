import { loadDefaultJapaneseParser } from "budoux";

// Chromium breaks Japanese lines at phrase boundaries with `word-break: auto-phrase`; other
// browsers do not support it yet, so the server also marks BudouX's phrase boundaries with <wbr>
// (used together with `word-break: keep-all`). Loading the model once per process is enough.
let parser: ReturnType<typeof loadDefaultJapaneseParser> | undefined;

/** Splits Japanese text into phrases (bunsetsu); other languages are returned whole. */
export function splitPhrases(text: string, locale: string): string[] {
  if (locale !== "ja") return [text];
  parser ??= loadDefaultJapaneseParser();
  return parser.parse(text);
}

/**
 * The UTF-16 offsets where a phrase ends inside the text (where <wbr> goes): computed on the
 * server, so the browser can redraw a paragraph's highlights without loading BudouX's model.
 */
export function phraseBreaks(text: string, locale: string): number[] {
  const breaks: number[] = [];
  let offset = 0;
  for (const phrase of splitPhrases(text, locale).slice(0, -1)) {
    offset += phrase.length;
    breaks.push(offset);
  }
  return breaks;
}
