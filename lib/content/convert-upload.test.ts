import { describe, expect, it } from "vitest";
import { convertHtml, convertMarkdown, convertPlainText, joinLines } from "./convert-upload";

describe("joinLines", () => {
  it("joins English lines with a space and Japanese lines with none", () => {
    expect(joinLines(["The quick", "  brown\tfox "])).toBe("The quick brown fox");
    expect(joinLines(["日本語の", "文章です。"])).toBe("日本語の文章です。");
    expect(joinLines(["NHKは", "Tokyo"])).toBe("NHKはTokyo");
  });
});

describe("convertPlainText", () => {
  it("splits on blank lines, folds line breaks and takes a first '# ' line as the title", () => {
    const text = "\uFEFF# A title\r\n\r\nFirst line\r\nsame paragraph.\n\n\n  \nSecond.\n";
    expect(convertPlainText(text)).toEqual({
      title: "A title",
      rows: [
        { heading: false, text: "First line same paragraph." },
        { heading: false, text: "Second." },
      ],
    });
    expect(convertPlainText("No title here.\n\nTwo.").title).toBeNull();
  });
});

describe("convertMarkdown", () => {
  it("keeps paragraphs, list items and quotes as rows, headings as heading rows, and drops raw HTML", () => {
    const md = [
      "# The title",
      "",
      "A *first* paragraph",
      "over two lines.",
      "",
      "## A section",
      "",
      "- one item",
      "- two **items**",
      "",
      "> quoted text",
      "",
      "<script>alert(1)</script>",
      "",
      "<iframe src='https://evil.example'></iframe>",
      "",
      "Text with <b onclick=\"x()\">inline</b> html and ![an image](x.png).",
      "",
      "---",
    ].join("\n");
    const result = convertMarkdown(md);
    expect(result.title).toBe("The title");
    expect(result.rows).toEqual([
      { heading: false, text: "A first paragraph over two lines." },
      { heading: true, text: "A section" },
      { heading: false, text: "one item" },
      { heading: false, text: "two items" },
      { heading: false, text: "quoted text" },
      { heading: false, text: "Text with inline html and ." },
    ]);
    expect(JSON.stringify(result)).not.toMatch(/script|iframe|onclick|alert/);
  });

  it("keeps a level-1 heading after text as a heading row", () => {
    expect(convertMarkdown("Intro.\n\n# Later").rows).toEqual([
      { heading: false, text: "Intro." },
      { heading: true, text: "Later" },
    ]);
  });
});

describe("convertHtml", () => {
  it("keeps the text of blocks, headings as heading rows, and drops scripts, frames, styles, handlers and hidden content", () => {
    const html = `<!doctype html><html><head><title>Page</title><style>p{color:red}</style><script>alert(1)</script></head>
      <body onload="steal()">
        <h1>The title</h1>
        <p>First <b>bold</b> paragraph<br>continued.</p>
        <h2 onclick="evil()">Section</h2>
        <ul><li>Item one</li><li>Item <a href="javascript:alert(2)">two</a></li></ul>
        <blockquote><p>Quoted</p></blockquote>
        <iframe src="https://evil.example">fallback</iframe>
        <object data="x.swf">object text</object>
        <div hidden>hidden text</div>
        <p>日本語の<ruby>漢字<rt>かんじ</rt></ruby>です。</p>
        <img src=x onerror="alert(3)">
        <template><p>template text</p></template>
        <noscript>noscript text</noscript>
      </body></html>`;
    const result = convertHtml(html);
    expect(result.title).toBe("The title");
    expect(result.rows).toEqual([
      { heading: false, text: "First bold paragraph continued." },
      { heading: true, text: "Section" },
      { heading: false, text: "Item one" },
      { heading: false, text: "Item two" },
      { heading: false, text: "Quoted" },
      { heading: false, text: "日本語の漢字です。" },
    ]);
    expect(JSON.stringify(result)).not.toMatch(/alert|steal|evil|javascript|fallback|object text|hidden text|template text|noscript|color/);
  });

  it("reads a fragment without html/body, and loose text between blocks", () => {
    expect(convertHtml("Loose <em>text</em><p>Para</p>tail").rows).toEqual([
      { heading: false, text: "Loose text" },
      { heading: false, text: "Para" },
      { heading: false, text: "tail" },
    ]);
  });
});
