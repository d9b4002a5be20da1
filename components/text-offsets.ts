import { codePointLength, codePointToUtf16 } from "@/lib/text/code-points";

// A paragraph's text as the notes count it: what the reader sees as the text, without furigana.
// Readings live in <rt> (and <rp>, for browsers without ruby) inside the paragraph; they are not
// part of the text, so selections, quotes and positions must skip them (ADR 0037).

const READINGS = "rt, rp";

function withoutReadings(fragment: DocumentFragment | Element): string {
  for (const reading of fragment.querySelectorAll(READINGS)) reading.remove();
  return fragment.textContent ?? "";
}

/** The element's text without ruby readings. */
export function baseText(element: Element): string {
  if (!element.querySelector(READINGS)) return element.textContent ?? "";
  return withoutReadings(element.cloneNode(true) as Element);
}

/** The text a range covers, without ruby readings (Range.toString() would include them). */
export function baseTextOfRange(range: Range): string {
  const fragment = range.cloneContents();
  return fragment.querySelector(READINGS) ? withoutReadings(fragment) : (fragment.textContent ?? "");
}

/** The text nodes of an element that belong to its text: readings (<rt>, <rp>) left out. */
export function textNodesOf(element: Element): Text[] {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => (node.parentElement?.closest(READINGS) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  const nodes: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node as Text);
  return nodes;
}

/** A DOM range over code points [start, end) of an element's text (readings skipped), or null. */
export function rangeOfCodePoints(element: Element, start: number, end: number): Range | null {
  const range = document.createRange();
  let offset = 0;
  let started = false;
  for (const node of textNodesOf(element)) {
    const text = node.data;
    const length = codePointLength(text);
    if (!started && start < offset + length) {
      range.setStart(node, codePointToUtf16(text, start - offset));
      started = true;
    }
    if (started && end <= offset + length) {
      range.setEnd(node, codePointToUtf16(text, end - offset));
      return range;
    }
    offset += length;
  }
  return null;
}

/** The code-point offset, in an element's text (readings skipped), of a position in one of its text nodes. */
export function codePointOffsetOf(element: Element, node: Node, offsetInNode: number): number | null {
  let offset = 0;
  for (const textNode of textNodesOf(element)) {
    if (textNode === node) return offset + codePointLength(textNode.data.slice(0, offsetInNode));
    offset += codePointLength(textNode.data);
  }
  return null;
}
