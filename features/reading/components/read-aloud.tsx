"use client";

import { lazy, Suspense, useSyncExternalStore } from "react";

// Read aloud's first-load part (issue 15): it only asks the browser whether it has a voice for
// the language. The player and its controls (./read-aloud-controls.tsx) load when one exists, so
// a browser without speech synthesis, or without a voice for the text, never downloads them and
// the page shows no control it could not use.

/** Sentence spans (code points) per paragraph and language. */
export type ReadAloudSentences = Record<string, Partial<Record<"en" | "ja", [number, number][]>>>;

type Lang = "en" | "ja";

const Controls = lazy(() => import("./read-aloud-controls").then((m) => ({ default: m.ReadAloudControls })));
const ParagraphControl = lazy(() => import("./read-aloud-controls").then((m) => ({ default: m.ReadParagraphControl })));

const NO_VOICES = "";

/** Whether a voice speaks `lang` ("ja-JP", "ja_JP" and "ja" all speak "ja"). */
export function speaks(voice: SpeechSynthesisVoice, lang: Lang): boolean {
  return voice.lang.toLowerCase().replace("_", "-").startsWith(lang);
}

/** The languages with a voice, as a stable string ("en,ja") for useSyncExternalStore. */
function voicedSnapshot(): string {
  if (!("speechSynthesis" in window)) return NO_VOICES;
  const voices = window.speechSynthesis.getVoices();
  return (["en", "ja"] as const).filter((lang) => voices.some((voice) => speaks(voice, lang))).join(",");
}

function subscribe(onChange: () => void) {
  if (!("speechSynthesis" in window)) return () => undefined;
  // Chromium fills the voice list asynchronously and says so with "voiceschanged".
  window.speechSynthesis.addEventListener("voiceschanged", onChange);
  return () => window.speechSynthesis.removeEventListener("voiceschanged", onChange);
}

function useVoiced(languages: Lang[]): Lang[] {
  const voiced = useSyncExternalStore(subscribe, voicedSnapshot, () => NO_VOICES);
  return languages.filter((lang) => voiced.split(",").includes(lang));
}

/**
 * The article's controls (play from the start, pause, stop, speed, and the language when both are
 * on screen), floating at the bottom of the window so they stay at hand and move nothing.
 */
export function ReadAloudBar({ sentences, languages }: { sentences: ReadAloudSentences; languages: Lang[] }) {
  const voiced = useVoiced(languages);
  if (!voiced.length) return null;
  return (
    <Suspense fallback={null}>
      <Controls sentences={sentences} voiced={voiced} />
    </Suspense>
  );
}

/** Reads one paragraph (in the language on screen); shown only when a voice exists for it. */
export function ReadParagraphButton({ paragraphKey, number, languages }: { paragraphKey: string; number: number; languages: Lang[] }) {
  const voiced = useVoiced(languages);
  if (!voiced.length) return null;
  return (
    <Suspense fallback={null}>
      <ParagraphControl paragraphKey={paragraphKey} number={number} voiced={voiced} />
    </Suspense>
  );
}
