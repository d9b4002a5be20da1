"use client";

import { Suspense, useEffect, useRef, useState, type ReactNode } from "react";

type Props = {
  /** The disclosure's label: what opening it does ("Show and create tokens"). */
  summary: string;
  /** Shown while the content's code loads. */
  loading: string;
  /** Opens by itself when the address's fragment is this id (a mail links to /profile#your-data). */
  openOnHash?: string;
  children: ReactNode;
};

/**
 * A disclosure whose content mounts the first time it is opened, and then stays mounted: put a
 * React.lazy component inside and its code (and CSS) loads when someone first uses the panel,
 * not with the page (issue 15: rarely used profile panels kept out of the first load). Native
 * <details>/<summary>, so it works from the keyboard and screen readers announce its state.
 */
export function LazyDetails({ summary, loading, openOnHash, children }: Props) {
  const [used, setUsed] = useState(false);
  const details = useRef<HTMLDetailsElement>(null);

  useEffect(() => {
    // Opened before React hydrated (a quick click on the server's HTML): that toggle event was
    // missed, so send it again and the content mounts.
    if (details.current?.open) details.current.dispatchEvent(new Event("toggle"));
  }, []);

  useEffect(() => {
    if (!openOnHash) return;
    // Setting `open` fires the toggle event, which mounts the content.
    const openIfTargeted = () => {
      if (window.location.hash === `#${openOnHash}` && details.current) details.current.open = true;
    };
    openIfTargeted();
    window.addEventListener("hashchange", openIfTargeted);
    return () => window.removeEventListener("hashchange", openIfTargeted);
  }, [openOnHash]);

  return (
    <details ref={details} className="lazy-details" onToggle={(event) => event.currentTarget.open && setUsed(true)}>
      <summary>{summary}</summary>
      {used && (
        <div className="lazy-details-body">
          <Suspense fallback={<p role="status">{loading}</p>}>{children}</Suspense>
        </div>
      )}
    </details>
  );
}
