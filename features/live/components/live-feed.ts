// The in-page side of live updates: a tiny emitter NotesLayer puts into the notes context (the
// open thread subscribes to it; the merge into a thread's list is the notes' own,
// features/notes/components/apply-live-update.ts).
import type { LiveNoteUpdate, LiveNotesFeed } from "@/features/notes/components/notes-context";

export type LiveFeedEmitter = LiveNotesFeed & { emit: (update: LiveNoteUpdate) => void };

export function createLiveFeed(): LiveFeedEmitter {
  const listeners = new Set<(update: LiveNoteUpdate) => void>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(update) {
      for (const listener of [...listeners]) listener(update);
    },
  };
}
