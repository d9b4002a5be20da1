// The alignment editor's state and every edit on it, as a pure reducer (unit-tested without a
// browser). The page keeps both languages as full columns of strings; the saved document
// (lib/content/article-document.ts) only has the languages that have something in them.
//
// Column operations (merge, split, move) act on ONE language and shift that column's cells: that
// is how a misalignment is fixed — a Japanese paragraph split in two shifts every row after it,
// and merging the two halves pulls the rest of the Japanese column back up.

import type { ArticleDocument, ContentLocale, DocumentRow } from "@/lib/content/article-document";

export const LANGS: readonly ContentLocale[] = ["en", "ja"];

export type EditorRow = { id: number; key?: string; heading: boolean; text: Record<ContentLocale, string> };

export type EditorTranslation = { title: string; summary: string; translator: string };

export type EditorMeta = {
  slug: string;
  originalLocale: ContentLocale;
  source: string;
  sourceUrl: string;
  author: string;
  publishedAt: string;
  rightsNote: string;
  /** As typed: comma separated. */
  tags: string;
  translations: Record<ContentLocale, EditorTranslation>;
};

export type EditorState = { meta: EditorMeta; rows: EditorRow[]; nextId: number };

export type ImportedRow = { heading: boolean; text: string };

export type EditorAction =
  | { type: "load"; document: ArticleDocument }
  | { type: "meta"; field: Exclude<keyof EditorMeta, "translations">; value: string }
  | { type: "translation"; lang: ContentLocale; field: keyof EditorTranslation; value: string }
  | { type: "cell"; index: number; lang: ContentLocale; value: string }
  | { type: "heading"; index: number }
  | { type: "insertRowAfter"; index: number }
  | { type: "deleteRow"; index: number }
  | { type: "mergeNext"; index: number; lang: ContentLocale }
  | { type: "split"; index: number; lang: ContentLocale; at: number }
  | { type: "move"; index: number; lang: ContentLocale; by: -1 | 1 }
  | { type: "replaceColumn"; lang: ContentLocale; rows: ImportedRow[]; title: string | null };

const emptyTranslation = (): EditorTranslation => ({ title: "", summary: "", translator: "" });

export function emptyDocument(today: string, originalLocale: ContentLocale = "en"): ArticleDocument {
  return { meta: { slug: "", originalLocale, source: "", publishedAt: today, tags: [], translations: {} }, rows: [] };
}

export function fromDocument(document: ArticleDocument): EditorState {
  const m = document.meta;
  const translations = Object.fromEntries(
    LANGS.map((lang) => {
      const tr = m.translations[lang];
      return [lang, tr ? { title: tr.title, summary: tr.summary, translator: tr.translator ?? "" } : emptyTranslation()];
    }),
  ) as Record<ContentLocale, EditorTranslation>;
  const rows = document.rows.map((row, index) => ({
    id: index + 1,
    ...(row.key ? { key: row.key } : {}),
    heading: row.heading,
    text: { en: row.text.en ?? "", ja: row.text.ja ?? "" },
  }));
  return {
    meta: {
      slug: m.slug,
      originalLocale: m.originalLocale,
      source: m.source,
      sourceUrl: m.sourceUrl ?? "",
      author: m.author ?? "",
      publishedAt: m.publishedAt,
      rightsNote: m.rightsNote ?? "",
      tags: m.tags.join(", "),
      translations,
    },
    rows,
    nextId: rows.length + 1,
  };
}

/** The languages the document will have: those with a title, a summary or any text. */
export function presentLangs(state: Pick<EditorState, "meta" | "rows">): ContentLocale[] {
  return LANGS.filter((lang) => {
    const tr = state.meta.translations[lang];
    return tr.title.trim() !== "" || tr.summary.trim() !== "" || state.rows.some((row) => row.text[lang].trim() !== "");
  });
}

export function parseTags(raw: string): string[] {
  return [...new Set(raw.split(/[,、]/).map((tag) => tag.trim()).filter(Boolean))];
}

/**
 * The document to save. Rows empty in every language are left out (an inserted empty row that
 * was never filled), so a saved draft never holds a paragraph nobody wrote.
 */
export function toDocument(state: EditorState): ArticleDocument {
  const langs = presentLangs(state);
  const m = state.meta;
  const optional = (value: string) => (value.trim() ? value.trim() : undefined);
  const rows: DocumentRow[] = state.rows
    .filter((row) => langs.some((lang) => row.text[lang].trim() !== ""))
    .map((row) => ({
      ...(row.key ? { key: row.key } : {}),
      heading: row.heading,
      text: Object.fromEntries(langs.map((lang) => [lang, row.text[lang].trim()])),
    }));
  return {
    meta: {
      slug: m.slug.trim(),
      originalLocale: m.originalLocale,
      source: m.source.trim(),
      ...(optional(m.sourceUrl) ? { sourceUrl: optional(m.sourceUrl) } : {}),
      ...(optional(m.author) ? { author: optional(m.author) } : {}),
      publishedAt: m.publishedAt,
      ...(optional(m.rightsNote) ? { rightsNote: optional(m.rightsNote) } : {}),
      tags: parseTags(m.tags),
      translations: Object.fromEntries(
        langs.map((lang) => {
          const tr = m.translations[lang];
          return [lang, { title: tr.title.trim(), summary: tr.summary.trim(), ...(tr.translator.trim() ? { translator: tr.translator.trim() } : {}) }];
        }),
      ),
    },
    rows,
  };
}

/** Two cells joined: English with a space, Japanese directly (it has no word spaces). */
export function joinCells(a: string, b: string, lang: ContentLocale): string {
  if (!a.trim()) return b;
  if (!b.trim()) return a;
  return lang === "ja" ? `${a.trimEnd()}${b.trimStart()}` : `${a.trimEnd()} ${b.trimStart()}`;
}

function blankRow(id: number): EditorRow {
  return { id, heading: false, text: { en: "", ja: "" } };
}

/** Writes a new column back onto the rows, adding rows if it grew and dropping trailing rows left empty. */
function withColumn(state: EditorState, lang: ContentLocale, cells: string[]): EditorState {
  let nextId = state.nextId;
  const rows = state.rows.map((row) => ({ ...row, text: { ...row.text } }));
  while (rows.length < cells.length) rows.push(blankRow(nextId++));
  rows.forEach((row, index) => {
    row.text[lang] = cells[index] ?? "";
  });
  // A shift leaves blank rows at the end (a merge pulled a column up): they are nobody's paragraph.
  while (rows.length > 0 && isBlank(rows[rows.length - 1]!)) rows.pop();
  return { ...state, rows, nextId };
}

function isBlank(row: EditorRow): boolean {
  return LANGS.every((lang) => row.text[lang].trim() === "");
}

function column(state: EditorState, lang: ContentLocale): string[] {
  return state.rows.map((row) => row.text[lang]);
}

function updateRow(state: EditorState, index: number, change: (row: EditorRow) => EditorRow): EditorState {
  if (index < 0 || index >= state.rows.length) return state;
  return { ...state, rows: state.rows.map((row, i) => (i === index ? change(row) : row)) };
}

export function editorReducer(state: EditorState, action: EditorAction): EditorState {
  switch (action.type) {
    case "load":
      return fromDocument(action.document);
    case "meta":
      return { ...state, meta: { ...state.meta, [action.field]: action.value } };
    case "translation": {
      const translations = { ...state.meta.translations, [action.lang]: { ...state.meta.translations[action.lang], [action.field]: action.value } };
      return { ...state, meta: { ...state.meta, translations } };
    }
    case "cell":
      return updateRow(state, action.index, (row) => ({ ...row, text: { ...row.text, [action.lang]: action.value } }));
    case "heading":
      return updateRow(state, action.index, (row) => ({ ...row, heading: !row.heading }));
    case "insertRowAfter": {
      const rows = [...state.rows];
      rows.splice(action.index + 1, 0, blankRow(state.nextId));
      return { ...state, rows, nextId: state.nextId + 1 };
    }
    case "deleteRow":
      return { ...state, rows: state.rows.filter((_, i) => i !== action.index) };
    case "mergeNext": {
      const cells = column(state, action.lang);
      if (action.index < 0 || action.index + 1 >= cells.length) return state;
      cells.splice(action.index, 2, joinCells(cells[action.index]!, cells[action.index + 1]!, action.lang));
      cells.push("");
      return withColumn(state, action.lang, cells);
    }
    case "split": {
      const cells = column(state, action.lang);
      const text = cells[action.index];
      if (text === undefined) return state;
      const at = Math.max(0, Math.min(action.at, text.length));
      cells.splice(action.index, 1, text.slice(0, at).trimEnd(), text.slice(at).trimStart());
      // The column grew by one: the last cell moves into a new row unless it is empty.
      if (cells[cells.length - 1] === "" && cells.length > state.rows.length) cells.pop();
      return withColumn(state, action.lang, cells);
    }
    case "move": {
      const cells = column(state, action.lang);
      const to = action.index + action.by;
      if (action.index < 0 || action.index >= cells.length || to < 0 || to >= cells.length) return state;
      [cells[action.index], cells[to]] = [cells[to]!, cells[action.index]!];
      return withColumn(state, action.lang, cells);
    }
    case "replaceColumn": {
      const cells = action.rows.map((row) => row.text);
      const hadOther = state.rows.some((row) => LANGS.some((lang) => lang !== action.lang && row.text[lang].trim() !== ""));
      let next = withColumn({ ...state, rows: state.rows.map((row) => ({ ...row, text: { ...row.text, [action.lang]: "" } })) }, action.lang, cells);
      // Heading flags come from the imported text when it is the first text in the article;
      // otherwise the ones already set stay, and imported headings are added.
      next = {
        ...next,
        rows: next.rows.map((row, index) => ({ ...row, heading: (hadOther ? row.heading : false) || (action.rows[index]?.heading ?? false) })),
      };
      const tr = next.meta.translations[action.lang];
      if (action.title && !tr.title.trim()) {
        next = { ...next, meta: { ...next.meta, translations: { ...next.meta.translations, [action.lang]: { ...tr, title: action.title } } } };
      }
      return next;
    }
  }
}
