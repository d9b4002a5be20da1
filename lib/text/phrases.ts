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
