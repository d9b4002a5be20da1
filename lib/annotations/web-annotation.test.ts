import { describe, expect, it } from "vitest";
import { describeRange } from "@/lib/text/anchoring";
import { sliceCodePoints } from "@/lib/text/code-points";
import {
  fromWebAnnotation,
  parseWebAnnotationJson,
  toWebAnnotation,
  validateAnnotationCollection,
  validateAnnotationPage,
  validateWebAnnotation,
  type AnnotatableNote,
} from "./web-annotation";

const options = { siteUrl: "https://taiyaku.example", articleSlug: "the-moon" };
const container = "https://taiyaku.example/api/annotations/the-moon/";

function note(overrides: Partial<AnnotatableNote> = {}): AnnotatableNote {
  return {
    id: "n1",
    paragraphKey: "p-3",
    parentId: null,
    kind: "annotation",
    locale: "en",
    visibility: "public",
    group: null,
    tag: null,
    body: "A *lovely* line.",
    quote: { exact: "bright moon", prefix: "the ", suffix: " rose", start: 4, end: 15 },
    author: { id: "u1", name: "Aiko" },
    createdAt: "2026-11-01T10:00:00.000Z",
    editedAt: null,
    ...overrides,
  };
}

const shapes: Record<string, AnnotatableNote> = {
  annotation: note(),
  highlight: note({ body: "" }),
  comment: note({ kind: "comment", quote: null }),
  reply: note({ id: "n2", parentId: "n1", kind: "comment", quote: null, body: "Agreed." }),
  question: note({ tag: "question", body: "What does this mean?" }),
  taggedHighlight: note({ body: "", tag: "vocabulary" }),
  groupEdited: note({ visibility: "group", group: { id: "g1", name: "Readers" }, editedAt: "2026-11-02T09:30:00+09:00", via: "https://hyp.example/a/xyz" }),
};

describe("toWebAnnotation", () => {
  it.each(Object.entries(shapes))("%s validates against every W3C MUST schema", (_name, shape) => {
    const result = validateWebAnnotation(toWebAnnotation(shape, options));
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("maps an annotation with a quote to a fragment refined by quote and, alternatively, position", () => {
    const anno = toWebAnnotation(note(), options);
    expect(anno["@context"]).toEqual(["http://www.w3.org/ns/anno.jsonld", { taiyaku: "urn:taiyaku:ns#" }]);
    expect(anno.id).toBe(`${container}n1`);
    expect(anno.type).toBe("Annotation");
    expect(anno.motivation).toBe("commenting");
    expect(anno.body).toEqual({ type: "TextualBody", value: "A *lovely* line.", format: "text/markdown", language: "en" });
    expect(anno.creator).toEqual({ id: "https://taiyaku.example/users/u1", type: "Person", name: "Aiko" });
    expect(anno.created).toBe("2026-11-01T10:00:00.000Z");
    expect(anno.modified).toBeUndefined();
    expect(anno.target).toEqual({
      type: "SpecificResource",
      source: "https://taiyaku.example/en/articles/the-moon",
      selector: [
        {
          type: "FragmentSelector",
          conformsTo: "http://tools.ietf.org/rfc/rfc3986",
          value: "p-3",
          refinedBy: { type: "TextQuoteSelector", exact: "bright moon", prefix: "the ", suffix: " rose" },
        },
        {
          type: "FragmentSelector",
          conformsTo: "http://tools.ietf.org/rfc/rfc3986",
          value: "p-3",
          refinedBy: { type: "TextPositionSelector", start: 4, end: 15 },
        },
      ],
    });
    expect(anno["taiyaku:visibility"]).toBe("public");
  });

  it("gives each kind its motivation", () => {
    expect(toWebAnnotation(shapes.highlight!, options).motivation).toBe("highlighting");
    expect(toWebAnnotation(shapes.highlight!, options).body).toBeUndefined();
    expect(toWebAnnotation(shapes.comment!, options).motivation).toBe("commenting");
    expect(toWebAnnotation(shapes.reply!, options).motivation).toBe("replying");
    expect(toWebAnnotation(shapes.question!, options).motivation).toEqual(["commenting", "questioning"]);
    expect(toWebAnnotation(shapes.taggedHighlight!, options).body).toEqual({ type: "TextualBody", purpose: "tagging", value: "vocabulary" });
  });

  it("targets a reply at its parent annotation and a quote-less comment at the paragraph", () => {
    expect(toWebAnnotation(shapes.reply!, options).target).toBe(`${container}n1`);
    expect(toWebAnnotation(shapes.comment!, options).target).toEqual({
      type: "SpecificResource",
      source: "https://taiyaku.example/en/articles/the-moon",
      selector: { type: "FragmentSelector", conformsTo: "http://tools.ietf.org/rfc/rfc3986", value: "p-3" },
    });
  });

  it("uses the note's text language for the source, and carries group, modified and via", () => {
    const anno = toWebAnnotation({ ...shapes.groupEdited!, locale: "ja" }, { ...options, containerIri: "https://x.example/c/" });
    expect(anno.id).toBe("https://x.example/c/n1");
    expect((anno.target as { source: string }).source).toBe("https://taiyaku.example/ja/articles/the-moon");
    expect(anno.modified).toBe("2026-11-02T00:30:00.000Z");
    expect(anno["taiyaku:visibility"]).toBe("group");
    expect(anno["taiyaku:group"]).toEqual({ id: "https://taiyaku.example/groups/g1", name: "Readers" });
    expect(anno.via).toBe("https://hyp.example/a/xyz");
  });
});

describe("validateWebAnnotation", () => {
  it("reports the W3C assertion a broken annotation fails", () => {
    const anno = toWebAnnotation(note(), options);
    const noContext = { ...anno, "@context": "http://example.com/other.jsonld" };
    const result = validateWebAnnotation(noContext);
    expect(result.valid).toBe(false);
    expect(result.errors.map((e) => e.assertion)).toContain("3.1-annotationContextValidated.json");

    const badDate = validateWebAnnotation({ ...anno, created: "yesterday" });
    expect(badDate.errors.map((e) => e.assertion)).toContain("3.3.1-annotationCreatedValidated.json");

    const both = validateWebAnnotation({ ...anno, bodyValue: "x" });
    expect(both.errors.map((e) => e.assertion)).toContain("3.2.5-notBodyBodyValue.json");

    const noQuote = validateWebAnnotation({
      ...anno,
      target: { type: "SpecificResource", source: "https://a.example/", selector: { type: "TextQuoteSelector" } },
    });
    expect(noQuote.valid).toBe(false);
  });

  it("checks collections and pages with their own MUST schemas", () => {
    const items = Object.values(shapes).map((s) => toWebAnnotation(s, options));
    const collection = {
      "@context": "http://www.w3.org/ns/anno.jsonld",
      id: container,
      type: ["BasicContainer", "AnnotationCollection"],
      total: items.length,
      first: { id: `${container}?page=0`, type: "AnnotationPage", startIndex: 0, items },
    };
    expect(validateAnnotationCollection(collection).errors).toEqual([]);
    const page = {
      "@context": "http://www.w3.org/ns/anno.jsonld",
      id: `${container}?page=0`,
      type: "AnnotationPage",
      partOf: { id: container, total: items.length },
      startIndex: 0,
      items,
    };
    expect(validateAnnotationPage(page).errors).toEqual([]);
    expect(validateAnnotationPage({ ...page, startIndex: -1 }).valid).toBe(false);
  });
});

describe("fromWebAnnotation", () => {
  it("round-trips our own annotations: same selectors, body and tags", () => {
    const result = fromWebAnnotation(toWebAnnotation(shapes.question!, options));
    expect(result).toEqual({
      ok: true,
      annotation: {
        id: `${container}n1`,
        source: "https://taiyaku.example/en/articles/the-moon",
        fragment: "p-3",
        quote: { exact: "bright moon", prefix: "the ", suffix: " rose" },
        position: { start: 4, end: 15 },
        bodyMarkdown: "What does this mean?",
        tags: ["question"],
        motivation: ["commenting", "questioning"],
        language: "en",
        via: null,
        canonical: null,
        created: "2026-11-01T10:00:00.000Z",
        visibility: "public",
        warnings: [],
      },
    });
  });

  it("round-trips a comment (fragment only), a highlight and a reply", () => {
    const comment = fromWebAnnotation(toWebAnnotation(shapes.comment!, options));
    expect(comment.ok && comment.annotation).toMatchObject({ fragment: "p-3", quote: null, position: null, bodyMarkdown: "A *lovely* line." });
    const highlight = fromWebAnnotation(toWebAnnotation(shapes.highlight!, options));
    expect(highlight.ok && highlight.annotation).toMatchObject({ bodyMarkdown: "", motivation: ["highlighting"], quote: { exact: "bright moon" } });
    const reply = fromWebAnnotation(toWebAnnotation(shapes.reply!, options));
    expect(reply.ok && reply.annotation).toMatchObject({ source: `${container}n1`, fragment: null, motivation: ["replying"], bodyMarkdown: "Agreed." });
    const via = fromWebAnnotation(toWebAnnotation(shapes.groupEdited!, options));
    expect(via.ok && via.annotation).toMatchObject({ via: "https://hyp.example/a/xyz", visibility: "group" });
  });

  it("keeps code-point positions for Japanese text with astral characters", () => {
    // 𠮷 (U+20BB7) and 🌕 are one code point, two UTF-16 units each.
    const paragraph = "𠮷野家で🌕を見ながら、「月が綺麗ですね」と言った。";
    const start = [...paragraph].indexOf("月");
    const selector = describeRange(paragraph, start, start + 6);
    expect(selector.exact).toBe("月が綺麗です");
    const ja = note({ locale: "ja", body: "漱石の訳とされる 🌙", quote: selector });
    const anno = toWebAnnotation(ja, options);
    expect(validateWebAnnotation(anno).valid).toBe(true);
    const back = fromWebAnnotation(JSON.parse(JSON.stringify(anno)));
    if (!back.ok) throw new Error(back.errors.join("; "));
    expect(back.annotation.position).toEqual({ start: 12, end: 18 });
    expect(back.annotation.position!.start).not.toBe(paragraph.indexOf("月"));
    expect(sliceCodePoints(paragraph, back.annotation.position!.start, back.annotation.position!.end)).toBe(back.annotation.quote!.exact);
    expect(back.annotation).toMatchObject({ language: "ja", bodyMarkdown: "漱石の訳とされる 🌙", source: "https://taiyaku.example/ja/articles/the-moon" });
  });

  it("normalises a Hypothesis-style JSON-LD export", () => {
    // Shape of Hypothesis' W3C export (h/presenters/annotation_jsonld.py): target an array of
    // {source, selector[]} with RangeSelector / TextPositionSelector (page-wide) / TextQuoteSelector,
    // body an array of TextualBody (no format on tags), motivation absent.
    const hypothesis = {
      "@context": "http://www.w3.org/ns/anno.jsonld",
      type: "Annotation",
      id: "https://hypothes.is/a/Xk3f9aBcEe-abcdefghijk",
      created: "2024-05-06T07:08:09.123456+00:00",
      modified: "2024-05-06T07:10:00.000000+00:00",
      creator: "acct:reader@hypothes.is",
      body: [
        { type: "TextualBody", value: "Compare with **Soseki**.", format: "text/markdown" },
        { type: "TextualBody", purpose: "tagging", value: "translation" },
        { type: "TextualBody", purpose: "tagging", value: "moon" },
      ],
      target: [
        {
          source: "https://taiyaku.example/en/articles/the-moon",
          selector: [
            { type: "RangeSelector", startContainer: "/main[1]/p[3]", startOffset: 4, endContainer: "/main[1]/p[3]", endOffset: 15 },
            { type: "TextPositionSelector", start: 1234, end: 1245 },
            { type: "TextQuoteSelector", exact: "bright moon", prefix: "the ", suffix: " rose" },
          ],
        },
      ],
    };
    const result = fromWebAnnotation(hypothesis);
    if (!result.ok) throw new Error(result.errors.join("; "));
    expect(result.annotation).toMatchObject({
      id: "https://hypothes.is/a/Xk3f9aBcEe-abcdefghijk",
      source: "https://taiyaku.example/en/articles/the-moon",
      fragment: null,
      quote: { exact: "bright moon", prefix: "the ", suffix: " rose" },
      position: null,
      bodyMarkdown: "Compare with **Soseki**.",
      tags: ["translation", "moon"],
      motivation: [],
      language: null,
      created: "2024-05-06T07:08:09.123Z",
    });
    expect(result.annotation.warnings).toHaveLength(2);
  });

  it("accepts other real-world shapes: string target with #p-N, bodyValue, HTML and untyped bodies, a Choice", () => {
    const a = fromWebAnnotation({ type: ["Annotation"], target: "https://taiyaku.example/en/articles/the-moon#p-7", bodyValue: "plain" });
    expect(a.ok && a.annotation).toMatchObject({ fragment: "p-7", source: "https://taiyaku.example/en/articles/the-moon", bodyMarkdown: "plain" });
    const b = fromWebAnnotation({
      type: "Annotation",
      target: { id: "https://example.org/page" },
      body: { value: "<p>Hi &amp; bye</p>", format: "text/html", language: ["ja"] },
    });
    expect(b.ok && b.annotation).toMatchObject({ source: "https://example.org/page", bodyMarkdown: "Hi & bye", language: "ja" });
    const c = fromWebAnnotation({
      type: "Annotation",
      target: { source: "https://example.org/page", selector: { type: "FragmentSelector", value: "p-2" } },
      body: { type: "Choice", items: [{ type: "TextualBody", value: "first" }, { type: "TextualBody", value: "second" }] },
    });
    expect(c.ok && c.annotation).toMatchObject({ fragment: "p-2", bodyMarkdown: "first" });
  });

  it("refuses malformed input with precise reasons and never throws", () => {
    const reasons = (value: unknown) => {
      const result = fromWebAnnotation(value);
      expect(result.ok).toBe(false);
      return result.ok ? [] : result.errors;
    };
    const base = toWebAnnotation(note(), options);
    for (const value of [null, 42, "x", [], true, undefined]) expect(reasons(value)).toEqual(["an annotation must be a JSON object"]);
    expect(reasons({ ...base, type: "Note" })).toContain('type: must include "Annotation"');
    expect(reasons({ ...base, target: undefined })).toContain("target: missing");
    expect(reasons({ ...base, target: 17 })).toContain("target[0]: must be an IRI or an object");
    expect(reasons({ ...base, target: "not an iri" })).toContain("target[0]: not an IRI");
    expect(reasons({ ...base, body: { type: "TextualBody", value: "a\u0000b" } })).toEqual(["body.value: contains NUL or a lone surrogate"]);
    expect(reasons({ ...base, body: { type: "TextualBody", value: "\ud800" } })).toEqual(["body.value: contains NUL or a lone surrogate"]);
    expect(reasons({ ...base, body: { type: "TextualBody", value: "x".repeat(10_001) } })).toContain("body: longer than 10000 characters");
    expect(reasons({ ...base, body: { type: "TextualBody", value: 5 } })).toContain("body[0].value: a TextualBody needs a string value");
    expect(reasons({ ...base, bodyValue: "x" })).toContain("body and bodyValue: only one may be given");
    expect(
      reasons({ ...base, target: { source: "https://a.example/", selector: { type: "TextPositionSelector", start: 5, end: 2 } } }),
    ).toContain("target[0].selector[0]: start and end must be integers with 0 ≤ start ≤ end");
    expect(reasons({ ...base, target: { source: "https://a.example/", selector: { type: "TextQuoteSelector", exact: "" } } })).toContain(
      "target[0].selector[0].exact: must be a non-empty string",
    );
    expect(
      reasons({
        ...base,
        target: {
          source: "https://a.example/",
          selector: [
            { type: "FragmentSelector", value: "p-1" },
            { type: "FragmentSelector", value: "p-2" },
          ],
        },
      }),
    ).toContain("target[0].selector[1]: selects p-2, another selector p-1");
    expect(reasons({ type: "Annotation", target: "https://a.example/" })).toEqual(["annotation has neither a text body, tags nor a quoted passage"]);
    expect(reasons({ ...base, body: { type: "TextualBody", value: "x".repeat(300_000) } })[0]).toMatch(/larger than/);
    let deep: unknown = { type: "TextQuoteSelector", exact: "x" };
    for (let i = 0; i < 10; i += 1) deep = { type: "FragmentSelector", value: "p-1", refinedBy: deep };
    expect(reasons({ ...base, target: { source: "https://a.example/", selector: deep } }).join()).toMatch(/nested too deeply/);
    const hostile = { type: "Annotation", get target(): unknown { throw new Error("boom"); } };
    expect(reasons(hostile)[0]).toMatch(/boom/);
  });

  it("parses JSON text with a size limit and reports bad JSON", () => {
    const bad = parseWebAnnotationJson("{ nope");
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors[0]).toMatch(/^malformed JSON/);
    expect(parseWebAnnotationJson(" ".repeat(300_000)).ok).toBe(false);
    expect(parseWebAnnotationJson(JSON.stringify(toWebAnnotation(note(), options))).ok).toBe(true);
  });
});
