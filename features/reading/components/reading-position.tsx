"use client";

import { useLocale } from "next-intl";
import { useEffect } from "react";
import { apiFetch } from "@/lib/http/api-client";

/** At most one position report per this interval while the reader scrolls (plus one on leaving). */
export const POSITION_SAVE_INTERVAL_MS = 5_000;
/** The band at the top of the viewport whose first paragraph is "where the reader is". */
const TOP_BAND = "0px 0px -70% 0px";

/**
 * Remembers where a signed-in reader is, for "continue reading at ¶N": the first paragraph in
 * the top band of the screen, reported by key through PUT /api/articles/{slug}/reading. Only once
 * the reader has scrolled (opening the page is not reading it), only when the paragraph changed,
 * at most every few seconds, and once more when the page is hidden or left (keepalive, so the
 * request outlives the page). Failures are ignored: the next report carries the position again.
 */
export function useReadingPosition(slug: string, enabled: boolean) {
  const locale = useLocale();
  useEffect(() => {
    if (!enabled || typeof IntersectionObserver === "undefined") return;
    const items = Array.from(document.querySelectorAll<HTMLElement>("li.para[data-paragraph-key]"));
    if (!items.length) return;
    const index = new Map(items.map((item, i) => [item, i]));
    const inBand = new Set<number>();
    let current: string | null = null;
    let sent: string | null = null;
    let scrolled = false;
    let lastSentAt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const send = (keepalive: boolean) => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (!scrolled || current === null || current === sent) return;
      const key = current;
      sent = key;
      lastSentAt = Date.now();
      void apiFetch(`/api/articles/${encodeURIComponent(slug)}/reading`, {
        method: "PUT",
        body: { paragraph: key },
        locale,
        networkMessage: "",
        keepalive,
      }).then((result) => {
        // Not stored (offline, rate limited): let the next change or the page's end try again.
        if (!result.ok && sent === key) sent = null;
      });
    };
    const schedule = () => {
      if (timer || !scrolled || current === sent) return;
      timer = setTimeout(() => send(false), Math.max(1_000, lastSentAt + POSITION_SAVE_INTERVAL_MS - Date.now()));
    };

    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          const i = index.get(entry.target as HTMLElement);
          if (i === undefined) continue;
          if (entry.isIntersecting) inBand.add(i);
          else inBand.delete(i);
        }
        // Between two paragraphs (nothing in the band), the reader is still where they were.
        if (inBand.size) current = items[Math.min(...inBand)]!.dataset.paragraphKey ?? current;
        schedule();
      },
      { rootMargin: TOP_BAND },
    );
    for (const item of items) observer.observe(item);

    const onScroll = () => {
      scrolled = true;
      schedule();
    };
    const onHide = () => send(true);
    const onVisibility = () => {
      if (document.visibilityState === "hidden") send(true);
    };
    window.addEventListener("scroll", onScroll, { passive: true });
    window.addEventListener("pagehide", onHide);
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      observer.disconnect();
      window.removeEventListener("scroll", onScroll);
      window.removeEventListener("pagehide", onHide);
      document.removeEventListener("visibilitychange", onVisibility);
      // Leaving the reader inside the app (a client-side navigation) reports the last position too.
      send(true);
    };
  }, [slug, enabled, locale]);
}
