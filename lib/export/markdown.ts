// Markdown writing helpers for exports: YAML front matter that any parser reads back exactly,
// and literal text (an article's words) that Markdown must not reinterpret.

/**
 * A YAML double-quoted scalar. JSON strings are YAML 1.2 double-quoted scalars; the characters
 * YAML does not accept raw there, or that YAML 1.1 parsers take for line breaks (NEL, LS, PS),
 * are escaped too, so the value round-trips through either.
 */
export function yamlString(value: string): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f\u2028\u2029\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** `---` front matter; null values are left out. */
export function frontMatter(fields: Record<string, string | null | undefined>): string {
  const lines = Object.entries(fields)
    .filter((entry): entry is [string, string] => typeof entry[1] === "string")
    .map(([key, value]) => `${key}: ${yamlString(value)}`);
  return `---\n${lines.join("\n")}\n---\n`;
}

/**
 * Plain text (a quoted passage, a title) that should read literally in Markdown: inline markup
 * characters are backslash-escaped, and a line that would start a heading, list, quote or
 * thematic break is escaped at its start. Line breaks are kept.
 */
export function escapeMarkdownText(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) =>
      line
        .replace(/[\\`*_[\]<>#~|!]/g, (c) => `\\${c}`)
        .replace(/^(\s*)([-+=]|\d+(?=[.)]))/, (_, space: string, mark: string) => (/\d/.test(mark) ? `${space}${mark}\\` : `${space}\\${mark}`)),
    )
    .join("\n");
}

/** Every line prefixed with `> ` (empty lines with `>`), so the whole passage stays one quote. */
export function blockquote(text: string): string {
  return text
    .split("\n")
    .map((line) => (line ? `> ${line}` : ">"))
    .join("\n");
}

/** Lines after the first indented by `indent`: a multi-line body inside a list item. */
export function indentContinuation(text: string, indent: string): string {
  return text.replace(/\r\n?/g, "\n").split("\n").map((line, i) => (i === 0 || !line ? line : `${indent}${line}`)).join("\n");
}
