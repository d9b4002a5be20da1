import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { AnnotatedText, packRuns, unpackRuns, type HighlightRun } from "./annotated-text";

const run = (start: number, end: number, count: number, extra: Partial<HighlightRun> = {}): HighlightRun => ({
  start,
  end,
  count,
  band: count > 1 ? 2 : count,
  topNoteId: count === 1 ? "n1" : null,
  tag: count === 1 ? "question" : null,
  ...extra,
});

describe("AnnotatedText", () => {
  it("draws the same markup from full runs and from highlighted runs only (gaps filled with text)", () => {
    const text = "Japan 🇯🇵 decided to export missiles.";
    const full = [run(0, 6, 0), run(6, 8, 1), run(8, 16, 0), run(16, 25, 3), run(25, [...text].length, 0)];
    const html = renderToStaticMarkup(<AnnotatedText text={text} phraseBreaks={[]} runs={full} />);
    const packed = packRuns(full)!;
    expect(packed).toHaveLength(2);
    expect(renderToStaticMarkup(<AnnotatedText text={text} phraseBreaks={[]} runs={unpackRuns(packed)} />)).toBe(html);
    // Text content is untouched, so selection offsets still map onto it.
    expect(html.replace(/<[^>]+>/g, "")).toBe(text);
    expect(html).toContain('<mark class="hl hl-question" data-note-id="n1">🇯🇵</mark>');
    expect(html).toContain('<mark class="hl hl-band-2">');
  });

  it("puts phrase breaks inside and outside marks, and nothing for no runs", () => {
    const text = "日本はミサイルを輸出する";
    const html = renderToStaticMarkup(<AnnotatedText text={text} phraseBreaks={[3, 8]} runs={unpackRuns(packRuns([run(3, 8, 1)]))} />);
    // A break where a mark starts goes inside it (the mark keeps the whole phrase).
    expect(html).toBe('日本は<mark class="hl hl-question" data-note-id="n1"><wbr/>ミサイルを</mark><wbr/>輸出する');
    expect(packRuns([run(0, 12, 0)])).toBeUndefined();
    expect(renderToStaticMarkup(<AnnotatedText text={text} phraseBreaks={[3]} />)).toBe("日本は<wbr/>ミサイルを輸出する");
  });

  it("puts furigana over kanji runs as <ruby>, and the text without readings is unchanged", () => {
    const text = "防衛省は輸出を確認した";
    const ruby = [["防衛", "ぼうえい"], ["省", "しょう"], ["は"], ["輸出", "ゆしゅつ"], ["を"], ["確認", "かくにん"], ["した"]] as const;
    const html = renderToStaticMarkup(<AnnotatedText text={text} phraseBreaks={[4]} ruby={ruby.map((s) => [...s] as [string] | [string, string])} />);
    expect(html).toContain("<ruby>防衛<rt>ぼうえい</rt></ruby>");
    expect(html).toContain("<ruby>輸出<rt>ゆしゅつ</rt></ruby>");
    expect(html.replace(/<rt>[^<]*<\/rt>/g, "").replace(/<[^>]+>/g, "")).toBe(text);
    expect(html).toContain("<wbr/>");
  });

  it("cuts a ruby where a highlight starts inside a kanji run; the first part keeps the reading", () => {
    const text = "防衛省は";
    // "衛省は" highlighted: code points 1..4.
    const html = renderToStaticMarkup(
      <AnnotatedText text={text} phraseBreaks={[]} runs={[run(1, 4, 1)]} ruby={[["防衛", "ぼうえい"], ["省", "しょう"], ["は"]]} />,
    );
    expect(html).toBe('<ruby>防<rt>ぼうえい</rt></ruby><mark class="hl hl-question" data-note-id="n1"><ruby>衛<rt></rt></ruby><ruby>省<rt>しょう</rt></ruby>は</mark>');
  });
});
