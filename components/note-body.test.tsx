import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { NoteBody } from "./note-body";

const attacks = [
  "<script>alert(1)</script>",
  '<img src=x onerror="alert(1)">',
  "[x](javascript:alert(1))",
  "[x](JaVaScRiPt:alert(1))",
  '<svg onload="alert(1)"></svg>',
  '<iframe src="https://evil.example"></iframe>',
  "<style>body{display:none}</style>",
  "![x](javascript:alert(1))",
  "<a href=\"javascript:alert(1)\">x</a>",
  "日本語の本文<script>alert('日本')</script>と[リンク](javascript:alert(2))",
];

describe("NoteBody", () => {
  it.each(attacks)("renders %s inert", (body) => {
    const html = renderToStaticMarkup(<NoteBody body={body} lang="en" />);
    expect(html).not.toMatch(/<script|<iframe|<style|<svg|<img|onerror|onload|javascript:/i);
  });

  it("keeps the Markdown subset and marks links nofollow", () => {
    const html = renderToStaticMarkup(
      <NoteBody body={"*em* **strong** `code`\n\n> quote\n\n- one\n- two\n\n[site](https://example.com)"} lang="en" />,
    );
    expect(html).toContain("<em>em</em>");
    expect(html).toContain("<strong>strong</strong>");
    expect(html).toContain("<code>code</code>");
    expect(html).toContain("<blockquote>");
    expect(html).toContain("<li>one</li>");
    expect(html).toContain('<a href="https://example.com" rel="nofollow noopener noreferrer" target="_blank">site</a>');
  });
});
