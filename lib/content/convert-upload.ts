import { fromHtml } from "hast-util-from-html";
import { fromMarkdown } from "mdast-util-from-markdown";

// An uploaded text file (.md, .txt, .html) turned into the rows of one language: plain text per
// block, headings kept as rows with a heading flag, everything else dropped. Nothing of the input
// survives as markup: the result is text the reader renders as text (never as HTML), so a
// <script>, an <iframe> or an onclick in an upload cannot reach a page. Pure: the authoring
// convert endpoint (features/authoring/api.ts) validates the kind and the limits around it.

export type ConvertedRow = { heading: boolean; text: string };
export type ConvertedText = { title: string | null; rows: ConvertedRow[] };

// Loose structural view of mdast/hast nodes: the converter reads types, values and children only.
type TreeNode = {
  type: string;
  value?: string;
  depth?: number;
  tagName?: string;
  properties?: Record<string, unknown>;
  children?: TreeNode[];
};

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303F\uFF00-\uFFEF]/u;

/**
 * Lines of one paragraph joined into one line: a space between words, none where either side is
 * Japanese (a line break in Japanese text is not a word boundary).
 */
export function joinLines(lines: string[]): string {
  let result = "";
  for (const raw of lines) {
    const next = raw.replace(/\s+/g, " ").trim();
    if (!next) continue;
    if (!result) result = next;
    else result += CJK.test(result.at(-1)!) || CJK.test(next[0]!) ? next : ` ${next}`;
  }
  return result;
}

/** Text with any line breaks folded: the one way every converter ends a block. */
const fold = (text: string) => joinLines(text.replace(/\r\n?/g, "\n").split("\n"));

/** A leading byte-order mark and Windows/Mac line endings, as any editor may save them. */
const normalise = (source: string) => source.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");

// ---- plain text ---------------------------------------------------------------------------------

/** Blank-line separated paragraphs; a first line "# Title" is the title. */
export function convertPlainText(source: string): ConvertedText {
  const blocks = normalise(source)
    .split(/\n[ \t\f\v]*\n+/)
    .map(fold)
    .filter(Boolean);
  let title: string | null = null;
  if (blocks[0]?.startsWith("# ")) title = blocks.shift()!.slice(2).trim() || null;
  return { title, rows: blocks.map((text) => ({ heading: false, text })) };
}

// ---- Markdown -----------------------------------------------------------------------------------

/** The text of inline Markdown: raw HTML and images are dropped, line breaks fold. */
function markdownInline(node: TreeNode): string {
  switch (node.type) {
    case "text":
    case "inlineCode":
      return node.value ?? "";
    case "break":
      return "\n";
    case "html":
    case "image":
    case "imageReference":
    case "footnoteReference":
      return "";
    default:
      return (node.children ?? []).map(markdownInline).join("");
  }
}

/** CommonMark: paragraphs, list items and quotes are rows, headings heading rows; raw HTML and rules are dropped. */
export function convertMarkdown(source: string): ConvertedText {
  const root = fromMarkdown(normalise(source)) as unknown as TreeNode;
  const rows: ConvertedRow[] = [];
  let title: string | null = null;
  const visit = (node: TreeNode) => {
    switch (node.type) {
      case "heading": {
        const text = fold(markdownInline(node));
        if (!text) return;
        // A first-level heading before any text is the article's title.
        if (node.depth === 1 && title === null && rows.length === 0) title = text;
        else rows.push({ heading: true, text });
        return;
      }
      case "paragraph":
      case "code": {
        const text = fold(node.type === "code" ? (node.value ?? "") : markdownInline(node));
        if (text) rows.push({ heading: false, text });
        return;
      }
      case "html":
      case "thematicBreak":
      case "definition":
      case "footnoteDefinition":
        return;
      default:
        for (const child of node.children ?? []) visit(child);
    }
  };
  visit(root);
  return { title, rows };
}

// ---- HTML ---------------------------------------------------------------------------------------

/** Elements whose content is never text for a reader: dropped with everything inside. */
const DROPPED = new Set([
  "script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math", "head", "title",
  "canvas", "video", "audio", "picture", "img", "button", "select", "textarea", "input", "option", "form",
  "nav", "rt", "rp", "frame", "frameset", "applet", "link", "meta", "base",
]);

/** Inline elements: their text runs on with the text around them. Anything else is a block boundary. */
const INLINE = new Set([
  "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd", "label", "mark",
  "q", "ruby", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr", "del", "ins", "tt", "big", "br",
]);

const HEADINGS = new Set(["h1", "h2", "h3", "h4", "h5", "h6"]);

/**
 * An HTML document parsed as a browser would (parse5), then read for text only: each block's
 * runs of inline text become rows (p, li, blockquote, div, td…), h1–h6 heading rows; scripts,
 * styles, frames, embedded objects, forms and hidden elements are dropped with their content;
 * attributes (event handlers, styles, links) are never read. A first <h1> before any text is the title.
 */
export function convertHtml(source: string): ConvertedText {
  const root = fromHtml(normalise(source)) as unknown as TreeNode;
  const rows: ConvertedRow[] = [];
  let title: string | null = null;
  const push = (text: string, heading: boolean, tagName?: string) => {
    const line = fold(text);
    if (!line) return;
    if (tagName === "h1" && title === null && rows.length === 0) title = line;
    else rows.push({ heading, text: line });
  };
  const inlineText = (node: TreeNode): string => {
    if (node.type === "text") return node.value ?? "";
    if (node.type !== "element") return "";
    if (DROPPED.has(node.tagName!) || isHidden(node)) return "";
    if (node.tagName === "br") return "\n";
    return (node.children ?? []).map(inlineText).join("");
  };
  const visitBlock = (node: TreeNode) => {
    const heading = HEADINGS.has(node.tagName ?? "");
    let run = "";
    for (const child of node.children ?? []) {
      if (child.type === "text" || (child.type === "element" && INLINE.has(child.tagName!))) {
        run += inlineText(child);
        continue;
      }
      if (child.type !== "element" || DROPPED.has(child.tagName!) || isHidden(child)) continue;
      push(run, heading, node.tagName);
      run = "";
      visitBlock(child);
    }
    push(run, heading, node.tagName);
  };
  visitBlock(root);
  return { title, rows };
}

function isHidden(node: TreeNode): boolean {
  const properties = node.properties ?? {};
  return properties.hidden === true || properties.hidden === "" || properties.ariaHidden === "true";
}
