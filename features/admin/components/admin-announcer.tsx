"use client";

import { createContext, useContext, useState, type ReactNode } from "react";

// A row acted on may leave a filtered list when the page refreshes (a restored group under
// "Deleted", a lifted suspension under "Suspended"), and a message inside the row would go with
// it before anyone read it. Each admin list keeps one status region of its own, outside the
// rows, that survives the refresh (the moderation queue does the same).

const AnnounceContext = createContext<((message: string) => void) | null>(null);

export function AdminAnnouncer({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState("");
  return (
    <AnnounceContext.Provider value={setMessage}>
      <p className="form-done" role="status" aria-live="polite" data-testid="admin-status">
        {message}
      </p>
      {children}
    </AnnounceContext.Provider>
  );
}

/** Announces on the list's own status region; null outside an admin list. */
export function useAdminAnnounce(): ((message: string) => void) | null {
  return useContext(AnnounceContext);
}
