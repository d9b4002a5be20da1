"use client";

import { useTranslations } from "next-intl";
import { useId, useState, useTransition } from "react";
import { LAYERS_COOKIE } from "@/lib/layers";
import { useNotes } from "@/features/notes/components/notes-context";

const YEAR_SECONDS = 60 * 60 * 24 * 365;

/** "" clears the cookie (every layer, the default). */
function writeLayersCookie(value: string) {
  document.cookie = value
    ? `${LAYERS_COOKIE}=${encodeURIComponent(value)}; Path=/; Max-Age=${YEAR_SECONDS}; SameSite=Lax`
    : `${LAYERS_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax`;
}

/**
 * Which layers of notes the page shows: public notes, my own, and each of my groups. The choice
 * lives in a cookie the reader API reads, so counts, highlights and the heat map are computed by
 * the server for exactly these layers; the server ignores groups I am not in.
 */
export function LayerSwitcher({ groups, layers }: { groups: { id: string; name: string }[]; layers: string }) {
  const t = useTranslations("Notes");
  const notes = useNotes();
  const id = useId();
  const [pending, startTransition] = useTransition();
  // The boxes change at once; the server's answer (after the reload) replaces the local choice.
  const [choice, setChoice] = useState(layers);
  const [serverLayers, setServerLayers] = useState(layers);
  if (serverLayers !== layers) {
    setServerLayers(layers);
    setChoice(layers);
  }
  const all = ["public", "mine", ...groups.map((g) => `g:${g.id}`)];
  const active = new Set(choice === "" ? all : choice.split(",").filter((token) => all.includes(token)));

  function toggle(token: string, on: boolean) {
    const next = all.filter((candidate) => (candidate === token ? on : active.has(candidate)));
    // Everything selected is the default: drop the cookie so new groups show up by default too.
    const value = next.length === all.length ? "" : next.length ? next.join(",") : "none";
    writeLayersCookie(value);
    setChoice(value);
    startTransition(() => notes.reloadState());
  }

  const options = [
    { token: "public", label: t("layerPublic") },
    { token: "mine", label: t("layerMine") },
    ...groups.map((g) => ({ token: `g:${g.id}`, label: t("layerGroup", { name: g.name }) })),
  ];
  return (
    <details className="layer-switcher" data-testid="layer-switcher">
      <summary>
        {t("layers")} <span className="count-badge">{active.size}/{all.length}</span>
      </summary>
      <fieldset aria-describedby={`${id}-hint`} aria-busy={pending || undefined}>
        <legend>{t("layersLegend")}</legend>
        <p id={`${id}-hint`} className="field-hint">
          {t("layersHint")}
        </p>
        {options.map((option) => (
          <label key={option.token}>
            <input type="checkbox" checked={active.has(option.token)} onChange={(event) => toggle(option.token, event.target.checked)} disabled={pending} />
            {option.label}
          </label>
        ))}
      </fieldset>
    </details>
  );
}
