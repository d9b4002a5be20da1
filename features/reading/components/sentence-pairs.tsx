"use client";

import { useTranslations } from "next-intl";
import { lazy, Suspense, useEffect, useState } from "react";

// Sentence pairs' first-load part (issue 15): the caption bar and two listeners. The engine
// (./sentence-pairs-engine.tsx: hit-testing, alignment lookups, highlights) loads the first time
// a reader points at a paragraph's text or presses Alt+↓ / Alt+↑, and replays that event; readers
// who only read never download it.

/** One paragraph's sentences (code-point spans) per language and their pairs (lib/text/sentence-alignment.ts). */
export type ParagraphSentences = {
  en: [number, number][];
  ja: [number, number][];
  /** [fromEn, toEn, fromJa, toJa] sentence index ranges. */
  pairs: [number, number, number, number][];
};

/** The event that asked for the engine. */
export type SentencePairsStart = { kind: "pointer"; x: number; y: number } | { kind: "key"; direction: 1 | -1 };

/** The partner sentence's text, shown in the caption bar when its language is not on screen. */
export type PartnerText = { key: string; lang: string; text: string };

const Engine = lazy(() => import("./sentence-pairs-engine").then((m) => ({ default: m.SentencePairsEngine })));

function isEditable(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

/** Alt+↓ / Alt+↑ outside form fields: the sentence-by-sentence shortcut. */
export function isSentenceKey(event: KeyboardEvent): boolean {
  return event.altKey && (event.key === "ArrowDown" || event.key === "ArrowUp") && !isEditable(event.target);
}

export function SentencePairs({ sentences, primary }: { sentences: Record<string, ParagraphSentences>; primary: "en" | "ja" | "both" }) {
  const t = useTranslations("Reader");
  const [start, setStart] = useState<SentencePairsStart | null>(null);
  const [partnerText, setPartnerText] = useState<PartnerText | null>(null);

  useEffect(() => {
    // Without CSS Custom Highlights there is nothing to show: the engine never loads.
    if (start || typeof CSS === "undefined" || !("highlights" in CSS)) return;
    const onMove = (event: PointerEvent) => {
      if (event.pointerType !== "mouse" || !(event.target instanceof Element) || !event.target.closest("[data-text-locale]")) return;
      setStart({ kind: "pointer", x: event.clientX, y: event.clientY });
    };
    const onKey = (event: KeyboardEvent) => {
      if (!isSentenceKey(event)) return;
      event.preventDefault();
      setStart({ kind: "key", direction: event.key === "ArrowDown" ? 1 : -1 });
    };
    document.addEventListener("pointermove", onMove, { passive: true });
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointermove", onMove);
      document.removeEventListener("keydown", onKey);
    };
  }, [start]);

  return (
    <>
      <div className="sentence-partner" role="status" aria-live="polite" hidden={!partnerText} data-testid="sentence-partner">
        {partnerText && (
          <>
            <span className="sentence-partner-label">{t("sentencePartner")}</span>{" "}
            <span lang={partnerText.lang}>{partnerText.text}</span>
          </>
        )}
      </div>
      {start && (
        <Suspense fallback={null}>
          <Engine sentences={sentences} primary={primary} start={start} onPartner={setPartnerText} />
        </Suspense>
      )}
    </>
  );
}
