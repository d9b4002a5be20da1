"use client";

import type { ReactNode } from "react";
import { FURIGANA_COOKIE } from "@/lib/reader-rewrite";

/** A year: the choice is a reading preference, like the interface language. */
const REMEMBER_SECONDS = 365 * 24 * 60 * 60;

/** A furigana on/off link that remembers the choice in a cookie the proxy reads (lib/reader-rewrite.ts). */
export function FuriganaLink({ href, value, current, children }: { href: string; value: boolean; current: boolean; children: ReactNode }) {
  return (
    <a
      href={href}
      aria-current={current ? "page" : undefined}
      data-testid={`furigana-${value ? "on" : "off"}`}
      onClick={() => {
        document.cookie = `${FURIGANA_COOKIE}=${value ? "1" : "0"}; path=/; max-age=${REMEMBER_SECONDS}; samesite=lax`;
      }}
    >
      {children}
    </a>
  );
}
