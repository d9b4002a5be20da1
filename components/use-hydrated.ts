import { useSyncExternalStore } from "react";

const noSubscribe = () => () => undefined;

/**
 * False while the server-rendered HTML is not yet interactive, true once React has hydrated (and
 * on every client render after). For controls that would drop what a person types before then.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscribe,
    () => true,
    () => false,
  );
}
