import { describe, expect, it } from "vitest";
import type { ArticleDocument } from "@/lib/content/article-document";
import { editorReducer, fromDocument, joinCells, parseTags, toDocument, type EditorState } from "./editor-state";

function doc(rows: [string, string][]): ArticleDocument {
  return {
    meta: {
      slug: "s",
      originalLocale: "en",
      source: "Src",
      publishedAt: "2026-11-01",
      tags: ["a"],
      translations: { en: { title: "T", summary: "" }, ja: { title: "題", summary: "" } },
    },
    rows: rows.map(([en, ja]) => ({ heading: false, text: { en, ja } })),
  };
}

const texts = (state: EditorState) => state.rows.map((row) => [row.text.en, row.text.ja]);

describe("column operations", () => {
  it("merging two Japanese halves pulls the rest of the Japanese column up and drops the empty last row", () => {
    const state = fromDocument(doc([["A", "あ"], ["B", "い1"], ["C", "い2"], ["", "う"]]));
    const next = editorReducer(state, { type: "mergeNext", index: 1, lang: "ja" });
    expect(texts(next)).toEqual([["A", "あ"], ["B", "い1い2"], ["C", "う"]]);
  });

  it("joins English with a space and Japanese without", () => {
    expect(joinCells("One.", "Two.", "en")).toBe("One. Two.");
    expect(joinCells("一。", "二。", "ja")).toBe("一。二。");
    expect(joinCells("", "Two.", "en")).toBe("Two.");
  });

  it("splitting at the cursor pushes the rest of that column down, adding a row", () => {
    const state = fromDocument(doc([["One. Two.", "一。二。"], ["Three.", "三。"]]));
    const next = editorReducer(state, { type: "split", index: 0, lang: "en", at: 4 });
    expect(texts(next)).toEqual([["One.", "一。二。"], ["Two.", "三。"], ["Three.", ""]]);
    expect(next.rows[2]!.id).toBe(3);
  });

  it("splitting where the column has an empty last cell uses that cell instead of adding a row", () => {
    const state = fromDocument(doc([["One. Two.", "一。"], ["", "二。"]]));
    const next = editorReducer(state, { type: "split", index: 0, lang: "en", at: 4 });
    expect(texts(next)).toEqual([["One.", "一。"], ["Two.", "二。"]]);
  });

  it("moves one cell within its column only", () => {
    const state = fromDocument(doc([["A", "あ"], ["B", "い"]]));
    expect(texts(editorReducer(state, { type: "move", index: 1, lang: "ja", by: -1 }))).toEqual([["A", "い"], ["B", "あ"]]);
    expect(editorReducer(state, { type: "move", index: 0, lang: "ja", by: -1 })).toBe(state);
  });

  it("inserts, deletes and flags whole rows", () => {
    let state = fromDocument(doc([["A", "あ"], ["B", "い"]]));
    state = editorReducer(state, { type: "insertRowAfter", index: 0 });
    expect(texts(state)).toEqual([["A", "あ"], ["", ""], ["B", "い"]]);
    state = editorReducer(state, { type: "heading", index: 0 });
    expect(state.rows[0]!.heading).toBe(true);
    state = editorReducer(state, { type: "deleteRow", index: 2 });
    expect(texts(state)).toEqual([["A", "あ"], ["", ""]]);
  });

  it("replaces one language's column with imported rows, keeping the other and filling an empty title", () => {
    let state = fromDocument(doc([["A", "あ"]]));
    state = editorReducer(state, { type: "translation", lang: "ja", field: "title", value: "" });
    state = editorReducer(state, {
      type: "replaceColumn",
      lang: "ja",
      rows: [{ heading: true, text: "見出し" }, { heading: false, text: "本文" }],
      title: "新しい題",
    });
    expect(texts(state)).toEqual([["A", "見出し"], ["", "本文"]]);
    expect(state.rows[0]!.heading).toBe(true);
    expect(state.meta.translations.ja.title).toBe("新しい題");
  });
});

describe("toDocument", () => {
  it("leaves out a language with nothing in it and rows empty everywhere", () => {
    let state = fromDocument(doc([["A", ""], ["B", ""]]));
    state = editorReducer(state, { type: "translation", lang: "ja", field: "title", value: "" });
    state = editorReducer(state, { type: "insertRowAfter", index: 1 });
    const document = toDocument(state);
    expect(Object.keys(document.meta.translations)).toEqual(["en"]);
    expect(document.rows).toEqual([{ heading: false, text: { en: "A" } }, { heading: false, text: { en: "B" } }]);
  });

  it("round-trips a document, trimming optional fields away when blank", () => {
    const original = doc([["A", "あ"]]);
    expect(toDocument(fromDocument(original))).toEqual(original);
    expect(parseTags("Politics, economy、 politics ,")).toEqual(["Politics", "economy", "politics"]);
  });
});
