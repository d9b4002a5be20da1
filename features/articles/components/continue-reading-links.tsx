"use client";

import { useLocale, useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { createPortal } from "react-dom";
import { apiFetch } from "@/lib/http/api-client";
import { hasSignedInHint } from "@/lib/session-cookie";

type ContinueAt = { key: string; position: number };
type Placed = { slug: string; at: ContinueAt; slot: Element; title: string };

/**
 * The home list is one cached page for everyone (ADR 0012): a signed-in reader's "continue
 * reading at ¶N" links come from GET /api/me/continue-reading after the page loads, and are
 * drawn into the empty slot each card reserves (`data-continue-slot`), so nothing moves when
 * they arrive. Signed out (no hint cookie), nothing is asked and nothing is drawn.
 */
export function ContinueReadingLinks() {
  const t = useTranslations("ContinueReading");
  const locale = useLocale();
  const [placed, setPlaced] = useState<Placed[]>([]);

  useEffect(() => {
    if (!hasSignedInHint()) return;
    const controller = new AbortController();
    void (async () => {
      const result = await apiFetch<{ items: Record<string, ContinueAt> }>("/api/me/continue-reading", {
        locale,
        networkMessage: "",
        signal: controller.signal,
      });
      // A failure leaves the list as it is: the links are a convenience.
      if (!result.ok) return;
      const next: Placed[] = [];
      for (const slot of document.querySelectorAll("[data-continue-slot]")) {
        const slug = slot.getAttribute("data-continue-slot") ?? "";
        const at = Object.hasOwn(result.items, slug) ? result.items[slug] : undefined;
        if (!at) continue;
        const title = slot.closest(".article-card")?.querySelector(".article-card-title")?.textContent?.trim() ?? slug;
        next.push({ slug, at, slot, title });
      }
      setPlaced(next);
    })();
    return () => controller.abort();
  }, [locale]);

  return placed.map(({ slug, at, slot, title }) =>
    createPortal(
      <a href={`/${locale}/articles/${slug}#${at.key}`} data-testid="continue-reading">
        {t("link", { position: at.position })}
        <span className="visually-hidden"> {t("label", { title })}</span>
      </a>,
      slot,
      slug,
    ),
  );
}
