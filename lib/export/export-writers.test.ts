import { strFromU8, unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { attachmentDisposition } from "./content-disposition";
import { CSV_BOM, csvCell, csvRow } from "./csv";
import { blockquote, escapeMarkdownText, frontMatter, indentContinuation, yamlString } from "./markdown";
import { ZipStreamWriter } from "./zip-stream";

describe("CSV", () => {
  it("neutralises formula cells: leading = + - @ tab CR get a '", () => {
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("+81 3")).toBe("'+81 3");
    expect(csvCell("-2")).toBe("'-2");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tcmd")).toBe("'\tcmd");
    expect(csvCell("\r=cmd")).toBe(`"'\r=cmd"`);
    expect(csvCell("a=b")).toBe("a=b");
    expect(csvCell(" =x")).toBe(" =x");
  });

  it("quotes per RFC 4180: commas, quotes and line breaks; doubles inner quotes", () => {
    expect(csvCell('say "hi", then go')).toBe('"say ""hi"", then go"');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell("plain 日本語")).toBe("plain 日本語");
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell(null)).toBe("");
    expect(csvCell(3)).toBe("3");
  });

  it("rows end with CRLF; the BOM is U+FEFF", () => {
    expect(csvRow(["a", "b,c", null])).toBe('a,"b,c",\r\n');
    expect(new TextEncoder().encode(CSV_BOM)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
  });
});

describe("Markdown", () => {
  it("YAML strings survive quotes, backslashes, newlines, colons and line-separator characters", () => {
    const tricky = 'He said: "no" \\ # not a comment\nnext: line\u2028\u0085\u007f';
    const yaml = yamlString(tricky);
    expect(yaml).toBe('"He said: \\"no\\" \\\\ # not a comment\\nnext: line\\u2028\\u0085\\u007f"');
    // JSON is a subset of YAML 1.2 double-quoted scalars: parsing it back gives the value.
    expect(JSON.parse(yaml)).toBe(tricky);
    expect(yaml).not.toMatch(/[\n\u2028\u0085]/);
  });

  it("front matter lists the fields given, skipping nulls", () => {
    expect(frontMatter({ title: "A: b", url: "http://x/y", source: null })).toBe('---\ntitle: "A: b"\nurl: "http://x/y"\n---\n');
  });

  it("escapes text so Markdown reads it literally", () => {
    expect(escapeMarkdownText("*bold* _it_ [link](x) <b> `code` # h")).toBe("\\*bold\\* \\_it\\_ \\[link\\](x) \\<b\\> \\`code\\` \\# h");
    expect(escapeMarkdownText("- item\n1. first\n+ plus")).toBe("\\- item\n1\\. first\n\\+ plus");
    expect(escapeMarkdownText("日本語の文。")).toBe("日本語の文。");
  });

  it("blockquotes every line and indents list continuations", () => {
    expect(blockquote("one\n\ntwo")).toBe("> one\n>\n> two");
    expect(indentContinuation("a\nb\n\nc", "  ")).toBe("a\n  b\n\n  c");
  });
});

describe("Content-Disposition", () => {
  it("gives an ASCII fallback and the exact UTF-8 name (RFC 6266 / 8187)", () => {
    expect(attachmentDisposition("notes-読書会.csv")).toBe(`attachment; filename="notes-___.csv"; filename*=UTF-8''notes-%E8%AA%AD%E6%9B%B8%E4%BC%9A.csv`);
    expect(attachmentDisposition('a"b\\c.md')).toBe(`attachment; filename="a_b_c.md"; filename*=UTF-8''a%22b%5Cc.md`);
  });
});

describe("streaming zip", () => {
  it("writes entries one after another and hands bytes on before the end", () => {
    const zip = new ZipStreamWriter();
    zip.startFile("one.md");
    zip.write("# One\n");
    zip.write("日本語\n".repeat(2000));
    const early = zip.take();
    zip.startFile("two.md");
    zip.write("# Two\n");
    zip.end();
    const rest = zip.take();
    expect(early.length).toBeGreaterThan(0);
    const all = new Uint8Array([...early, ...rest].flatMap((chunk) => [...chunk]));
    const files = unzipSync(all);
    expect(Object.keys(files)).toEqual(["one.md", "two.md"]);
    expect(strFromU8(files["one.md"]!)).toBe(`# One\n${"日本語\n".repeat(2000)}`);
    expect(strFromU8(files["two.md"]!)).toBe("# Two\n");
  });
});
