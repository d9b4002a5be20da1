// What an import answers: the report the profile page renders and a script reads (ADR 0031).
// Zod-free: the profile's import form imports it (check:features keeps zod off the client).

/** A whole file, as the pipeline reads it (its maxBytes). */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

/** Why an annotation was left out although it was read (nothing of it was written). */
export const skipReasons = ["duplicate", "invalid", "empty_comment"] as const;
export type SkipReason = (typeof skipReasons)[number];

/** Why an annotation found no place: the article, its paragraph, its words or its parent. */
export const notAnchoredReasons = [
  "article_not_found",
  "no_fragment_or_quote",
  "fragment_not_found",
  "quote_not_found",
  "wrong_language",
  "parent_missing",
  "parent_other_visibility",
  "thread_locked",
] as const;
export type NotAnchoredReason = (typeof notAnchoredReasons)[number];

export type ReportLine<R extends string> = {
  /** 1-based position of the annotation in the file (annotations without an id are still findable). */
  index: number;
  /** The annotation's own IRI, when it has one. */
  id: string | null;
  code: R;
  /** `code` in the caller's language; for "invalid", with the first problems found. */
  reason: string;
};

export type ImportReport = {
  imported: number;
  skipped: ReportLine<SkipReason>[];
  notAnchored: ReportLine<NotAnchoredReason>[];
  /** All lines, also when the lists above stop at MAX_REPORT_LINES. */
  totals: { read: number; skipped: number; notAnchored: number };
};

/** Longest list of each kind in a report: a re-imported 50,000-note file would otherwise answer megabytes. */
export const MAX_REPORT_LINES = 1_000;
