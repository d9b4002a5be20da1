import type { Page } from "@playwright/test";

/**
 * Selects characters [from, to) (UTF-16) of a paragraph's text in one language, the way a mouse
 * drag does: the selection spans the <wbr>, <mark> and <ruby> nodes inside, and fires selectionchange.
 */
export async function selectInParagraph(page: Page, key: string, locale: string, from: number, to: number): Promise<void> {
  await page.locator(`#${key} .para-body > [data-text-locale="${locale}"]`).evaluate(
    (element, [start, end]) => {
      // Furigana readings (<rt>) are not part of the text the offsets count.
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT, {
        acceptNode: (node) => (node.parentElement?.closest("rt, rp") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
      });
      const range = document.createRange();
      let offset = 0;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const length = node.textContent!.length;
        if (offset <= start! && start! < offset + length) range.setStart(node, start! - offset);
        if (offset < end! && end! <= offset + length) range.setEnd(node, end! - offset);
        offset += length;
      }
      const selection = window.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
    },
    [from, to],
  );
}
