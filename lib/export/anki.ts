// Anki's plain-text import (https://docs.ankiweb.net/importing/text-files.html): UTF-8, one note
// per line, fields separated by tabs, and header lines that tell Anki the separator, that fields
// are plain text (not HTML), and the column names. Fields cannot hold a tab or a line break in
// this form, so both become spaces.

export type AnkiCard = { front: string; back: string; reading: string; sentence: string; source: string };

export const ANKI_COLUMNS = ["Front", "Back", "Reading", "Sentence", "Source"] as const;

const field = (value: string) => value.replace(/[\t\r\n]+/g, " ").trim();

export function ankiHeader(): string {
  return `#separator:tab\n#html:false\n#columns:${ANKI_COLUMNS.join("\t")}\n`;
}

export function ankiLine(card: AnkiCard): string {
  return `${[card.front, card.back, card.reading, card.sentence, card.source].map(field).join("\t")}\n`;
}
