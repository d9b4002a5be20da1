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
        <span aria-hidden="true">🔗</span>
        <span className="para-action-text">{t("copyLink")}</span>
      </button>
      <span role="status" className="visually-hidden" data-testid={`copy-status-${anchor}`}>
        {status}
      </span>
    </>
  );
}
