"use client";

import { createContext, useContext, useState, type ReactNode } from "react";

// A handled item leaves the filtered queue when the page refreshes, and its own "Done" message
// goes with it before a screen reader may have read it. The queue keeps one status region of
// its own, outside the list, that survives the refresh.

const AnnounceContext = createContext<((message: string) => void) | null>(null);

export function QueueAnnouncer({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState("");
  return (
    <AnnounceContext.Provider value={setMessage}>
      <p className="queue-status" role="status" aria-live="polite" data-testid="queue-status">
        {message}
      </p>
      {children}
    </AnnounceContext.Provider>
  );
}

/** Announces on the queue's own status region; null outside a queue. */
export function useQueueAnnounce(): ((message: string) => void) | null {
  return useContext(AnnounceContext);
}
