import type { HighlightRepaint } from "@/features/notes/types";
import type { Suspension } from "@/lib/auth/viewer";

/** What a signed-in reader's page adds to the cached article page, fetched once it loads. */
export type ReaderState = {
  viewer: { id: string; name: string };
  counts: Record<string, number>;
  openQuestions: Record<string, number>;
  unread: Record<string, number>;
  highlights: HighlightRepaint;
  groups: { id: string; name: string }[];
  /** The active layers as the API takes them ("" = every layer). */
  layers: string;
  suspension: Suspension | null;
};
