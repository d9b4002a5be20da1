"use client";

import { useLocale, useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { baseText, baseTextOfRange } from "@/components/text-offsets";
import { utf16ToCodePoint } from "@/lib/text/code-points";
import { newIdempotencyKey, notesApi } from "./notes-client";
import { useNotes, type Draft } from "./notes-context";

type Selected = Draft & { key: string; paragraphId: string; top: number; left: number; range: Range };

const PENDING_HIGHLIGHT = "taiyaku-pending";

/** Reads the current selection when it lies inside one paragraph text; offsets in code points. */
function readSelection(): Selected | null {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
  const range = selection.getRangeAt(0);
  const hostOf = (node: Node) => (node.nodeType === Node.ELEMENT_NODE ? (node as Element) : node.parentElement)?.closest<HTMLElement>("[data-text-locale]");
  const host = hostOf(range.startContainer);
  if (!host || host !== hostOf(range.endContainer)) return null;
  const item = host.closest<HTMLElement>("[data-paragraph-key]");
  if (!item) return null;
  const before = document.createRange();
  before.setStart(host, 0);
  before.setEnd(range.startContainer, range.startOffset);
  // Furigana readings (<rt>) are not part of the text: offsets count the base text only.
  const text = baseText(host);
  let from = baseTextOfRange(before).length;
  let to = from + baseTextOfRange(range).length;
  // Leading/trailing spaces are selection noise (double-click selects the following space).
  while (from < to && /\s/.test(text[from]!)) from++;
  while (to > from && /\s/.test(text[to - 1]!)) to--;
  if (to <= from) return null;
  const rect = range.getBoundingClientRect();
  return {
    key: item.dataset.paragraphKey!,
    paragraphId: item.dataset.paragraphId!,
    locale: host.dataset.textLocale!,
    start: utf16ToCodePoint(text, from),
    end: utf16ToCodePoint(text, to),
    exact: text.slice(from, to),
    // Kept on screen (a selection extended by keyboard can end below the fold).
    top: Math.max(8, Math.min(rect.bottom + 8, window.innerHeight - 56)),
    left: Math.max(8, Math.min(rect.left, window.innerWidth - 260)),
    range: range.cloneRange(),
  };
}

/** "Highlight" / "Annotate" next to a selection made with the mouse or the keyboard. */
export function SelectionPopover() {
  const t = useTranslations("Notes");
  const locale = useLocale();
  const notes = useNotes();
  const [selected, setSelected] = useState<Selected | null>(null);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const timer = useRef<number | undefined>(undefined);
  const popover = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const update = () => {
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(() => {
        // While the pointer rests on the popover, the selection it acts on stays put. Asked of
        // the element itself rather than tracked with mouseenter/mouseleave: the popover
        // unmounts under the pointer after Highlight or Annotate, so a mouseleave never comes
        // and a remembered "hovering" would hide every later popover until a reload.
        if (popover.current?.matches(":hover")) return;
        setSelected(readSelection());
        setError("");
      }, 150);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") setSelected(null);
    };
    document.addEventListener("selectionchange", update);
    document.addEventListener("keydown", onKey);
    // Text selected before the page finished loading (hydration) fired its selectionchange
    // before anyone listened: offer the popover for it now.
    if (!window.getSelection()?.isCollapsed) update();
    return () => {
      document.removeEventListener("selectionchange", update);
      document.removeEventListener("keydown", onKey);
    };
  }, []);

  if (!selected) return null;
  // A suspended reader cannot write: no Highlight/Annotate (the notes panel shows the notice).
  if (notes.viewer && notes.discussion.suspension) return null;
  const draft: Draft = { locale: selected.locale, start: selected.start, end: selected.end, exact: selected.exact };

  async function highlight() {
    if (!selected) return;
    setBusy(true);
    // Shown at once with the CSS Custom Highlight API (no DOM change under React's feet) until
    // the refreshed server render draws the real <mark>.
    const registry = (globalThis as { CSS?: { highlights?: Map<string, unknown> } }).CSS?.highlights;
    const HighlightCtor = (globalThis as { Highlight?: new (range: Range) => unknown }).Highlight;
    if (registry && HighlightCtor) registry.set(PENDING_HIGHLIGHT, new HighlightCtor(selected.range));
    notes.adjustCount(selected.paragraphId, 1);
    const result = await notesApi(locale, t("errors.network")).create({
      paragraphId: selected.paragraphId,
      locale: selected.locale,
      kind: "annotation",
      visibility: notes.visibility,
      body: "",
      tag: null,
      range: { start: draft.start, end: draft.end, exact: draft.exact },
      idempotencyKey: newIdempotencyKey(),
    });
    setBusy(false);
    if (!result.ok) {
      registry?.delete(PENDING_HIGHLIGHT);
      notes.adjustCount(selected.paragraphId, -1);
      setError(result.message);
      return;
    }
    notes.announce(t("highlightSaved"));
    notes.refreshHighlights(selected.paragraphId);
    window.setTimeout(() => registry?.delete(PENDING_HIGHLIGHT), 1500);
    window.getSelection()?.removeAllRanges();
    setSelected(null);
  }

  return (
    <div
      className="selection-popover"
      role="group"
      aria-label={t("selectionActions")}
      style={{ top: selected.top, left: selected.left }}
      // Keep the text selection while pressing the buttons.
      onMouseDown={(event) => event.preventDefault()}
      ref={popover}
    >
      {notes.viewer ? (
        <>
          <button type="button" className="button-small" onClick={highlight} disabled={busy}>
            {t("highlight")}
          </button>
          <button
            type="button"
            className="button-small"
            onClick={() => {
              notes.openParagraph(selected.key, { draft, composeFocus: true });
              setSelected(null);
            }}
          >
            {t("annotate")}
          </button>
        </>
      ) : notes.viewerPending ? (
        <p className="notes-loading" role="status">
          {t("loading")}
        </p>
      ) : (
        <a className="button-small" href={notes.signInHref(selected.key)}>
          {t("signIn")}
        </a>
      )}
      {error && (
        <p role="alert" className="form-error">
          {error}
        </p>
      )}
    </div>
  );
}
