import { diffChars, diffWordsWithSpace } from "diff";
import type { ContentLocale, RevisionSnapshot } from "./article-document";

// The per-paragraph diff between two revisions of an article (the revision history page). A
// paragraph's key is its identity (ADR 0018), so paragraphs are matched by key, never by position:
// a paragraph inserted at the top shifts every number after it but changes nothing else.

export type InlinePart = { type: "same" | "ins" | "del"; text: string };

/** One language of a paragraph: its text in each revision and, when they differ, the inline diff. */
export type LocaleDiff = { locale: ContentLocale; before: string | null; after: string | null; parts: InlinePart[] };

export type ParagraphDiffKind = "added" | "removed" | "changed" | "moved" | "unchanged";

export type ParagraphDiff = {
  key: string;
  /**
   * added/removed: only in one revision; changed: its text or heading flag differs (it may also
   * have moved: `moved`); moved: same text, but its order relative to the others changed;
   * unchanged: same text, same relative order (its number may still differ).
   */
  kind: ParagraphDiffKind;
  moved: boolean;
  /** 1-based positions in each revision (null where it is absent). */
  beforePosition: number | null;
  afterPosition: number | null;
  heading: { before: boolean | null; after: boolean | null };
  locales: LocaleDiff[];
};

export type RevisionDiff = {
  paragraphs: ParagraphDiff[];
  counts: Record<ParagraphDiffKind, number>;
};

type SnapshotParagraph = RevisionSnapshot["paragraphs"][number];

/** Beyond this many edits an inline diff is no help (and costly): the texts are shown whole. */
const MAX_EDIT_LENGTH = 2_000;

/**
 * English is compared word by word (whitespace kept, so the text reads back exactly); Japanese has
 * no word spaces, so character by character. An inline diff that would take too many edits falls
 * back to "all removed, all inserted".
 */
export function inlineDiff(locale: string, before: string, after: string): InlinePart[] {
  if (before === after) return before ? [{ type: "same", text: before }] : [];
  const options = { maxEditLength: MAX_EDIT_LENGTH };
  const changes = locale === "ja" ? diffChars(before, after, options) : diffWordsWithSpace(before, after, options);
  if (!changes) {
    return [
      ...(before ? [{ type: "del" as const, text: before }] : []),
      ...(after ? [{ type: "ins" as const, text: after }] : []),
    ];
  }
  const parts: InlinePart[] = [];
  for (const change of changes) {
    const type = change.added ? "ins" : change.removed ? "del" : "same";
    const last = parts[parts.length - 1];
    // jsdiff may split one run into several change objects: merge neighbours of the same type.
    if (last && last.type === type) last.text += change.value;
    else if (change.value) parts.push({ type, text: change.value });
  }
  return parts;
}

/** Keys of the common paragraphs that keep their relative order (a longest common subsequence). */
function stableKeys(before: readonly string[], after: readonly string[]): Set<string> {
  const inAfter = new Set(after);
  const inBefore = new Set(before);
  const a = before.filter((key) => inAfter.has(key));
  const b = after.filter((key) => inBefore.has(key));
  const indexInB = new Map(b.map((key, i) => [key, i]));
  // LCS of two permutations of the same keys = longest increasing subsequence of B-indices taken
  // in A's order: O(n log n), fine for 2,000 paragraphs.
  const sequence = a.map((key) => indexInB.get(key)!);
  const tails: number[] = [];
  const tailAt: number[] = [];
  const previous: number[] = new Array<number>(sequence.length).fill(-1);
  sequence.forEach((value, i) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tails[mid]! < value) lo = mid + 1;
      else hi = mid;
    }
    tails[lo] = value;
    tailAt[lo] = i;
    previous[i] = lo > 0 ? tailAt[lo - 1]! : -1;
  });
  const stable = new Set<string>();
  for (let i = tails.length ? tailAt[tails.length - 1]! : -1; i >= 0; i = previous[i]!) stable.add(a[i]!);
  return stable;
}

function localesOf(...paragraphs: (SnapshotParagraph | undefined)[]): ContentLocale[] {
  const found = new Set<ContentLocale>();
  for (const paragraph of paragraphs) for (const locale of Object.keys(paragraph?.text ?? {}) as ContentLocale[]) found.add(locale);
  return (["en", "ja"] as const).filter((locale) => found.has(locale));
}

function localeDiffs(before: SnapshotParagraph | undefined, after: SnapshotParagraph | undefined): LocaleDiff[] {
  return localesOf(before, after).map((locale) => {
    const old = before?.text[locale] ?? null;
    const now = after?.text[locale] ?? null;
    return { locale, before: old, after: now, parts: inlineDiff(locale, old ?? "", now ?? "") };
  });
}

/**
 * Compares two snapshots paragraph by paragraph. The result follows the newer text; a removed
 * paragraph appears where it stood, after the last paragraph before it that is still there.
 */
export function buildRevisionDiff(before: Pick<RevisionSnapshot, "paragraphs">, after: Pick<RevisionSnapshot, "paragraphs">): RevisionDiff {
  const oldByKey = new Map(before.paragraphs.map((p, i) => [p.key, { paragraph: p, position: i + 1 }]));
  const newByKey = new Map(after.paragraphs.map((p, i) => [p.key, { paragraph: p, position: i + 1 }]));
  const stable = stableKeys(
    before.paragraphs.map((p) => p.key),
    after.paragraphs.map((p) => p.key),
  );

  // Removed paragraphs, grouped under the key of the nearest earlier paragraph that survives ("" = the top).
  const removedAfter = new Map<string, ParagraphDiff[]>();
  let anchor = "";
  before.paragraphs.forEach((paragraph, i) => {
    if (newByKey.has(paragraph.key)) {
      anchor = paragraph.key;
      return;
    }
    const list = removedAfter.get(anchor) ?? [];
    list.push({
      key: paragraph.key,
      kind: "removed",
      moved: false,
      beforePosition: i + 1,
      afterPosition: null,
      heading: { before: paragraph.heading, after: null },
      locales: localeDiffs(paragraph, undefined),
    });
    removedAfter.set(anchor, list);
  });

  const paragraphs: ParagraphDiff[] = [...(removedAfter.get("") ?? [])];
  after.paragraphs.forEach((paragraph, i) => {
    const old = oldByKey.get(paragraph.key);
    if (!old) {
      paragraphs.push({
        key: paragraph.key,
        kind: "added",
        moved: false,
        beforePosition: null,
        afterPosition: i + 1,
        heading: { before: null, after: paragraph.heading },
        locales: localeDiffs(undefined, paragraph),
      });
    } else {
      const locales = localeDiffs(old.paragraph, paragraph);
      const textChanged = locales.some((l) => l.before !== l.after) || old.paragraph.heading !== paragraph.heading;
      const moved = !stable.has(paragraph.key);
      paragraphs.push({
        key: paragraph.key,
        kind: textChanged ? "changed" : moved ? "moved" : "unchanged",
        moved,
        beforePosition: old.position,
        afterPosition: i + 1,
        heading: { before: old.paragraph.heading, after: paragraph.heading },
        locales,
      });
    }
    paragraphs.push(...(removedAfter.get(paragraph.key) ?? []));
  });

  const counts: Record<ParagraphDiffKind, number> = { added: 0, removed: 0, changed: 0, moved: 0, unchanged: 0 };
  for (const paragraph of paragraphs) counts[paragraph.kind]++;
  return { paragraphs, counts };
}
