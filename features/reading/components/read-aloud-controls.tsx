"use client";

import { useTranslations } from "next-intl";
import { useEffect, useSyncExternalStore } from "react";
import { baseText, rangeOfCodePoints } from "@/components/text-offsets";
import { languageName } from "@/lib/i18n/language-names";

import { speaks, type ReadAloudSentences } from "./read-aloud";

// Read aloud (issue 15) with the browser's own speech synthesis (Web Speech API): no server, no
// external service. The text is spoken one sentence at a time, so the sentence being read can be
// highlighted (a CSS Custom Highlight, no markup) and pausing or changing speed takes effect at
// once. This module is the player and its controls; ./read-aloud.tsx loads it only in a browser
// that has a voice for the language (the rest never download it).

type Lang = "en" | "ja";
type Playing = { keys: string[]; at: number; sentence: number; lang: Lang };
type State = { playing: Playing | null; paused: boolean; rate: number; lang: Lang | null };

const RATES = [0.75, 1, 1.25, 1.5] as const;
const HIGHLIGHT = "read-aloud";
const BCP47: Record<Lang, string> = { en: "en-US", ja: "ja-JP" };

let state: State = { playing: null, paused: false, rate: 1, lang: null };
const listeners = new Set<() => void>();
const SERVER_STATE: State = state;
let sentencesByKey: ReadAloudSentences = {};

function set(next: Partial<State>) {
  state = { ...state, ...next };
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function useReadAloud(): State {
  return useSyncExternalStore(subscribe, () => state, () => SERVER_STATE);
}

function synth(): SpeechSynthesis | null {
  return typeof window !== "undefined" && "speechSynthesis" in window ? window.speechSynthesis : null;
}

function voiceFor(lang: Lang): SpeechSynthesisVoice | null {
  const voices = synth()?.getVoices() ?? [];
  return voices.find((voice) => speaks(voice, lang)) ?? null;
}

function hostOf(key: string, lang: Lang): Element | null {
  return document.getElementById(key)?.querySelector(`.para-body > [data-text-locale="${lang}"]`) ?? null;
}

function clearHighlight() {
  if (typeof CSS !== "undefined" && "highlights" in CSS) CSS.highlights.delete(HIGHLIGHT);
}

/** Speaks the current sentence, then moves on; the end of the queue stops. */
function speakCurrent() {
  const speech = synth();
  const playing = state.playing;
  if (!speech || !playing) return;
  const key = playing.keys[playing.at];
  const spans = key ? sentencesByKey[key]?.[playing.lang] : undefined;
  const host = key ? hostOf(key, playing.lang) : null;
  if (!key || !spans || !host || playing.sentence >= spans.length) return advance(playing, true);
  const [start, end] = spans[playing.sentence]!;
  const text = Array.from(baseText(host)).slice(start, end).join("");
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = BCP47[playing.lang];
  const voice = voiceFor(playing.lang);
  // Only a real SpeechSynthesisVoice may be set; without one the browser picks by `lang`.
  if (voice && typeof SpeechSynthesisVoice !== "undefined" && voice instanceof SpeechSynthesisVoice) utterance.voice = voice;
  utterance.rate = state.rate;
  utterance.onstart = () => {
    const range = rangeOfCodePoints(host, start, end);
    if (range && typeof CSS !== "undefined" && "highlights" in CSS) CSS.highlights.set(HIGHLIGHT, new Highlight(range));
    range?.startContainer.parentElement?.scrollIntoView({ block: "nearest", behavior: "smooth" });
  };
  utterance.onend = () => {
    if (state.playing === playing) advance(playing, false);
  };
  utterance.onerror = () => {
    if (state.playing === playing) stop();
  };
  speech.speak(utterance);
}

function advance(playing: Playing, skipParagraph: boolean) {
  const spans = sentencesByKey[playing.keys[playing.at]!]?.[playing.lang] ?? [];
  let next: Playing | null = { ...playing, sentence: playing.sentence + 1 };
  if (skipParagraph || next.sentence >= spans.length) next = playing.at + 1 < playing.keys.length ? { ...playing, at: playing.at + 1, sentence: 0 } : null;
  set({ playing: next });
  if (next) speakCurrent();
  else clearHighlight();
}

function play(keys: string[], lang: Lang) {
  synth()?.cancel();
  set({ playing: { keys, at: 0, sentence: 0, lang }, paused: false });
  speakCurrent();
}

function stop() {
  set({ playing: null, paused: false });
  synth()?.cancel();
  clearHighlight();
}

function togglePause() {
  const speech = synth();
  if (!speech || !state.playing) return;
  if (state.paused) speech.resume();
  else speech.pause();
  set({ paused: !state.paused });
}

function setRate(rate: number) {
  set({ rate });
  // The new speed applies from the sentence being read: start it again at that speed.
  if (state.playing && !state.paused) {
    const playing = state.playing;
    synth()?.cancel();
    set({ playing });
    speakCurrent();
  }
}

/**
 * The article's controls (play from the start, pause, stop, speed, and the language when both are
 * on screen), floating at the bottom of the window so they stay at hand and move nothing.
 */
export function ReadAloudControls({ sentences, voiced }: { sentences: ReadAloudSentences; voiced: Lang[] }) {
  const t = useTranslations("Reader");
  const current = useReadAloud();

  useEffect(() => {
    sentencesByKey = sentences;
    return () => stop();
  }, [sentences]);

  const lang = current.lang && voiced.includes(current.lang) ? current.lang : voiced[0]!;
  const keys = Object.keys(sentences).filter((key) => sentences[key]?.[lang]?.length);

  return (
    <div className="read-aloud" role="group" aria-label={t("readAloud")} data-testid="read-aloud">
      {voiced.length > 1 && (
        <label>
          <span className="visually-hidden">{t("readAloudLanguage")}</span>
          <select value={lang} onChange={(event) => set({ lang: event.target.value as Lang })}>
            {voiced.map((option) => (
              <option key={option} value={option}>
                {languageName(option)}
              </option>
            ))}
          </select>
        </label>
      )}
      {current.playing ? (
        <>
          <button type="button" className="button-small" onClick={togglePause}>
            {current.paused ? t("readAloudResume") : t("readAloudPause")}
          </button>
          <button type="button" className="button-small" onClick={stop}>
            {t("readAloudStop")}
          </button>
        </>
      ) : (
        <button type="button" className="button-small" onClick={() => play(keys, lang)} data-testid="read-aloud-play">
          {t("readAloudArticle")}
        </button>
      )}
      <label>
        <span className="visually-hidden">{t("readAloudSpeed")}</span>
        <select value={current.rate} onChange={(event) => setRate(Number(event.target.value))}>
          {RATES.map((rate) => (
            <option key={rate} value={rate}>
              {t("readAloudRate", { rate })}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

/** Reads one paragraph (in the language on screen). */
export function ReadParagraphControl({ paragraphKey, number, voiced }: { paragraphKey: string; number: number; voiced: Lang[] }) {
  const t = useTranslations("Reader");
  const current = useReadAloud();
  const lang = current.lang && voiced.includes(current.lang) ? current.lang : voiced[0]!;
  const reading = current.playing?.keys.length === 1 && current.playing.keys[0] === paragraphKey;
  return (
    <button
      type="button"
      className="para-action"
      aria-label={reading ? t("readAloudStop") : t("readParagraph", { number })}
      onClick={() => (reading ? stop() : play([paragraphKey], lang))}
      data-testid={`read-${paragraphKey}`}
    >
      <svg viewBox="0 0 16 16" aria-hidden="true" focusable="false">
        {reading ? <rect x="4" y="4" width="8" height="8" fill="currentColor" /> : <path d="M5 3.5v9l7-4.5z" fill="currentColor" />}
      </svg>
      <span className="para-action-text">{reading ? t("readAloudStop") : t("readAloudShort")}</span>
    </button>
  );
}
