import { describe, expect, it } from "vitest";
import { describeRange } from "@/lib/text/anchoring";
import { anchorCandidate, articleFromSource, isAnchorFailure, type AnchorParagraph } from "./anchor-candidate";
import { fromWebAnnotation, toWebAnnotation, type AnnotatableNote, type AnnotationCandidate } from "./web-annotation";

const paragraphs: AnchorParagraph[] = [
  { id: "para-1", key: "p-1", locale: "en", text: "The bright moon rose over the quiet harbour." },
  { id: "para-1", key: "p-1", locale: "ja", text: "明るい月が静かな港の上に昇った。" },
  { id: "para-2", key: "p-2", locale: "en", text: "Boats rocked. The bright moon watched the boats." },
  { id: "para-2", key: "p-2", locale: "ja", text: "舟が揺れた。明るい月が舟を見ていた。" },
  { id: "para-3", key: "p-3", locale: "en", text: "A lantern 🏮 hung by the door, swinging slowly in the wind." },
  { id: "para-3", key: "p-3", locale: "ja", text: "提灯🏮が戸口に下がり、風にゆっくり揺れていた。" },
  { id: "para-9", key: "p-9", locale: "en", text: "An old paragraph about the bright moon.", removed: true },
];

function candidate(overrides: Partial<AnnotationCandidate> = {}): AnnotationCandidate {
  return {
    id: "https://elsewhere.example/a/1",
    source: "https://elsewhere.example/en/articles/the-moon",
    fragment: null,
    quote: null,
    position: null,
    bodyMarkdown: "A note.",
    tags: [],
    motivation: ["commenting"],
    language: null,
    via: null,
    canonical: null,
    created: null,
    visibility: null,
    warnings: [],
    ...overrides,
  };
}

function note(overrides: Partial<AnnotatableNote>): AnnotatableNote {
  return {
    id: "n1",
    paragraphKey: "p-2",
    parentId: null,
    kind: "annotation",
    locale: "en",
    visibility: "private",
    group: null,
    tag: null,
    body: "Look.",
    quote: null,
    author: { id: "u1", name: "Aiko" },
    createdAt: "2026-11-01T10:00:00.000Z",
    editedAt: null,
    ...overrides,
  };
}

function fromOurs(n: AnnotatableNote): AnnotationCandidate {
  const parsed = fromWebAnnotation(toWebAnnotation(n, { siteUrl: "https://other.example", articleSlug: "the-moon" }));
  if (!parsed.ok) throw new Error(parsed.errors.join("; "));
  return parsed.annotation;
}

describe("anchorCandidate", () => {
  it("round-trips our own annotation to the same paragraph, words and positions", () => {
    const text = paragraphs[2]!.text;
    const at = text.indexOf("bright moon");
    const range = describeRange(text, at, at + "bright moon".length);
    const result = anchorCandidate(fromOurs(note({ quote: range })), paragraphs, "en");
    expect(result).toEqual({
      paragraphId: "para-2",
      locale: "en",
      quote: { exact: "bright moon", prefix: range.prefix, suffix: range.suffix },
      start: range.start,
      end: range.end,
      method: "position",
    });
  });

  it("uses the fragment before the quote: the same words elsewhere do not win", () => {
    // "bright moon" is in p-1 and p-2; the fragment says p-2 and no position is given.
    const result = anchorCandidate(candidate({ fragment: "p-2", quote: { exact: "bright moon", prefix: "", suffix: "" } }), paragraphs, "en");
    expect(result).toMatchObject({ paragraphId: "para-2", method: "quote", start: 18, end: 29 });
  });

  it("falls back to the quote position inside the fragment when the stored position is stale", () => {
    const result = anchorCandidate(
      candidate({ fragment: "p-2", quote: { exact: "bright moon", prefix: "The ", suffix: " watched" }, position: { start: 0, end: 11 } }),
      paragraphs,
      "en",
    );
    expect(result).toMatchObject({ paragraphId: "para-2", method: "quote", start: 18, end: 29 });
  });

  it("anchors a comment without a quote on the fragment alone", () => {
    const result = anchorCandidate(candidate({ fragment: "p-3" }), paragraphs, "en");
    expect(result).toEqual({ paragraphId: "para-3", locale: "en", quote: null, start: null, end: null, method: "fragment" });
  });

  it("picks the body's language for a fragment-only comment when the source names none", () => {
    const result = anchorCandidate(candidate({ fragment: "p-3", language: "ja" }), paragraphs, null);
    expect(result).toMatchObject({ paragraphId: "para-3", locale: "ja", method: "fragment" });
  });

  it("turns a position without a quote into the words at those code points (astral characters count once)", () => {
    const result = anchorCandidate(candidate({ fragment: "p-3", position: { start: 9, end: 16 } }), paragraphs, "en");
    expect(result).toMatchObject({ paragraphId: "para-3", method: "position", quote: { exact: " 🏮 hung" }, start: 9, end: 16 });
  });

  it("finds a quote without a fragment, choosing the occurrence whose context fits (Hypothesis-style)", () => {
    const quote = { exact: "bright moon", prefix: "Boats rocked. The ", suffix: " watched the boats." };
    const result = anchorCandidate(candidate({ quote }), paragraphs, "en");
    expect(result).toMatchObject({ paragraphId: "para-2", method: "quote", start: 18, end: 29 });
    const other = anchorCandidate(candidate({ quote: { exact: "bright moon", prefix: "The ", suffix: " rose over" } }), paragraphs, "en");
    expect(other).toMatchObject({ paragraphId: "para-1", start: 4, end: 15 });
  });

  it("searches the quote over the article when the fragment's paragraph no longer holds it", () => {
    const result = anchorCandidate(candidate({ fragment: "p-3", quote: { exact: "quiet harbour", prefix: "", suffix: "" } }), paragraphs, "en");
    expect(result).toMatchObject({ paragraphId: "para-1", method: "quote" });
  });

  it("anchors approximately when the quote was slightly edited", () => {
    const result = anchorCandidate(candidate({ quote: { exact: "swinging slowly in the wynd", prefix: "", suffix: "" } }), paragraphs, "en");
    expect(result).toMatchObject({ paragraphId: "para-3", method: "fuzzy", quote: { exact: "swinging slowly in the wind" } });
  });

  it("returns code points for Japanese quotes after an astral character", () => {
    const result = anchorCandidate(candidate({ quote: { exact: "戸口", prefix: "", suffix: "" } }), paragraphs, "ja");
    expect(result).toMatchObject({ paragraphId: "para-3", locale: "ja", start: 4, end: 6, quote: { prefix: "提灯🏮が" } });
  });

  it("searches every language when the locale is unknown", () => {
    const result = anchorCandidate(candidate({ quote: { exact: "静かな港", prefix: "", suffix: "" } }), paragraphs, null);
    expect(result).toMatchObject({ paragraphId: "para-1", locale: "ja", method: "quote" });
  });

  it("never anchors on a removed paragraph", () => {
    expect(anchorCandidate(candidate({ fragment: "p-9" }), paragraphs, "en")).toEqual({ reason: "fragment_not_found" });
    expect(anchorCandidate(candidate({ quote: { exact: "An old paragraph", prefix: "", suffix: "" } }), paragraphs, "en")).toEqual({
      reason: "quote_not_found",
    });
  });

  it("explains each failure", () => {
    expect(anchorCandidate(candidate(), paragraphs, "en")).toEqual({ reason: "no_fragment_or_quote" });
    expect(anchorCandidate(candidate({ fragment: "p-42" }), paragraphs, "en")).toEqual({ reason: "fragment_not_found" });
    expect(anchorCandidate(candidate({ quote: { exact: "nowhere in this article at all", prefix: "", suffix: "" } }), paragraphs, "en")).toEqual({
      reason: "quote_not_found",
    });
    // The quote exists, but in the other language than the source's.
    expect(anchorCandidate(candidate({ quote: { exact: "静かな港", prefix: "", suffix: "" } }), paragraphs, "en")).toEqual({ reason: "wrong_language" });
    // An article without that language at all.
    const englishOnly = paragraphs.filter((p) => p.locale === "en");
    expect(anchorCandidate(candidate({ fragment: "p-1" }), englishOnly, "ja")).toEqual({ reason: "wrong_language" });
    expect(isAnchorFailure({ reason: "quote_not_found" })).toBe(true);
  });

  it("does not fuzzy-match very short quotes", () => {
    expect(anchorCandidate(candidate({ quote: { exact: "xyz", prefix: "", suffix: "" } }), paragraphs, "en")).toEqual({ reason: "quote_not_found" });
  });
});

describe("articleFromSource", () => {
  it("reads locale, slug and paragraph from any origin", () => {
    expect(articleFromSource("https://taiyaku.example/en/articles/the-moon")).toEqual({ locale: "en", slug: "the-moon", fragment: null });
    expect(articleFromSource("http://localhost:3000/ja/articles/the-moon/#p-12")).toEqual({ locale: "ja", slug: "the-moon", fragment: "p-12" });
    expect(articleFromSource("https://other.example/base/en/articles/a-1?x=1")).toEqual({ locale: "en", slug: "a-1", fragment: null });
  });

  it("refuses what is not one of our article URLs", () => {
    for (const source of [
      "https://example.com/news/the-moon",
      "https://example.com/fr/articles/the-moon",
      "https://example.com/en/articles/The_Moon",
      "https://example.com/en/articles/the-moon/comments",
      "urn:x-pdf:abc",
      "not a url",
      "ftp://example.com/en/articles/the-moon",
    ]) {
      expect(articleFromSource(source), source).toBeNull();
    }
  });

  it("ignores a fragment that is not a paragraph", () => {
    expect(articleFromSource("https://x.example/en/articles/the-moon#top")).toEqual({ locale: "en", slug: "the-moon", fragment: null });
  });
});
