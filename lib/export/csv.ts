// CSV for spreadsheets (RFC 4180): UTF-8 with a byte-order mark (Excel reads UTF-8 only with
// one), CRLF line ends, quoted cells where needed. Cells that a spreadsheet would run as a
// formula — those starting with = + - @ tab or CR — are prefixed with ' (OWASP "CSV injection"):
// an exported note must never run code in the spreadsheet of whoever opens the file.

export const CSV_BOM = "\uFEFF";

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell: neutralised, then quoted when it holds a comma, a quote or a line break. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, CRLF-terminated. */
export function csvRow(cells: readonly (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}
