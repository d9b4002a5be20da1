"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";

/** Copies the URL of one paragraph (current page, query kept, #p-N) and announces the result. */
export function CopyLinkButton({ anchor, number }: { anchor: string; number: number }) {
  const t = useTranslations("Reader");
  const [status, setStatus] = useState("");

  async function copy() {
    const url = new URL(window.location.href);
    url.hash = anchor;
    // Reflect the paragraph in the address bar too, so the locale switcher and reload keep it.
    window.history.replaceState(window.history.state, "", url);
    try {
      await navigator.clipboard.writeText(url.toString());
      setStatus(t("linkCopied", { number }));
    } catch {
      setStatus(t("linkCopyFailed", { url: url.toString() }));
    }
  }

  return (
    <>
      <button type="button" className="para-action" onClick={copy} aria-label={t("copyLinkLabel", { number })}>
        {/* An SVG, not an emoji: emoji fonts are missing on many systems. */}
        <svg viewBox="0 0 16 16" aria-hidden="true" focusable="false">
          <path
            d="M6.5 9.5l3-3M7 4.5l1.2-1.2a2.5 2.5 0 013.5 3.5L10.5 8M9 11.5l-1.2 1.2a2.5 2.5 0 01-3.5-3.5L5.5 8"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.5"
            strokeLinecap="round"
          />
        </svg>
        <span className="para-action-text">{t("copyLink")}</span>
      </button>
      <span role="status" className="visually-hidden" data-testid={`copy-status-${anchor}`}>
        {status}
      </span>
    </>
  );
}
