"use client";

import { useRouter } from "next/navigation";
import type { AnchorHTMLAttributes, MouseEvent } from "react";

/** A click the browser would handle as "open here" (not a new tab, window or download). */
function opensHere(event: MouseEvent<HTMLAnchorElement>): boolean {
  const anchor = event.currentTarget;
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey && (!anchor.target || anchor.target === "_self") && !anchor.hasAttribute("download");
}

/**
 * An in-app link: a real <a href> (works before hydration, in a new tab, without JavaScript) that,
 * once hydrated, navigates with the App Router's own `router.push`, which every page already
 * loads. It replaces next/link (with next-intl's wrapper, ~4 KB gzipped on every page's first
 * load, issue 15); what we give up is prefetching, which our cached pages hardly need (ADR 0038).
 */
export function ClientLink({ href, onClick, ...props }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const router = useRouter();
  return (
    <a
      {...props}
      href={href}
      onClick={(event) => {
        onClick?.(event);
        if (event.defaultPrevented || !opensHere(event) || new URL(href, window.location.href).origin !== window.location.origin) return;
        event.preventDefault();
        router.push(href);
      }}
    />
  );
}
