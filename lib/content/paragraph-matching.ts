// Which paragraph of the new text continues which paragraph of the old one (ADR 0018). A
// paragraph's id and key are its identity: links (#p-7), notes and exports point at them, so an
// edit must not renumber them. Matching is by content, never by position:
//   1. exact anchors — rows where some language's text is unchanged, the longest order-preserving
//      chain of them (Hunt–Szymanski LCS over the equality "any language equal");
//   2. inside each gap between two anchors, an order-preserving alignment by similarity
//      (character-bigram Dice, averaged over the languages both sides have; >= 0.5 to count);
//      a merge or a split keeps the first paragraph's identity;
//   3. moves: what is left over is paired across gaps, exact text first, then very similar text.
// Pure and bounded: the similarity DP only scores a band around each gap's diagonal, so a
// 2,000-paragraph article where every paragraph changed still costs O(n · band), not O(n²).

export type MatchParagraph = { text: Partial<Record<string, string>> };

export type ParagraphMatch = {
  /** For each new row: the old paragraph it continues, or null (a new paragraph). */
  oldForNew: (number | null)[];
  /** For each old paragraph: the new row that continues it, or null (removed). */
  newForOld: (number | null)[];
  /** How each matched pair was found (new row index → method). */
  method: ("exact" | "similar" | "moved")[];
  /**
   * For each removed old paragraph: the new row that absorbed its text (a merge: most of its
   * bigrams are in that row), else null. Its notes can follow it there.
   */
  absorbedInto: (number | null)[];
};

/** Two paragraphs are the same one edited when their similarity reaches this. */
export const SIMILARITY_THRESHOLD = 0.5;
/** A moved paragraph must be nearly unchanged to be recognised across the text. */
const MOVE_THRESHOLD = 0.8;
/** Gap ends this similar are matched without the DP. */
const STRONG_THRESHOLD = 0.8;
/** A removed paragraph was merged into a row holding this share of its bigrams. */
const ABSORBED_THRESHOLD = 0.7;
/** Half-width of the band the gap DP scores beyond the gaps' size difference. */
const BAND = 12;
/** How many rows from either side of a removed paragraph's old place a merge is looked for. */
const ABSORB_REACH = 16;
/** Beyond this many unmatched pairs the move pass compares exact texts only. */
const MOVE_PAIR_LIMIT = 40_000;

export function matchParagraphs(oldRows: MatchParagraph[], newRows: MatchParagraph[]): ParagraphMatch {
  const oldForNew: (number | null)[] = new Array(newRows.length).fill(null);
  const newForOld: (number | null)[] = new Array(oldRows.length).fill(null);
  const method: ParagraphMatch["method"] = new Array(newRows.length).fill("exact");
  const link = (i: number, j: number, how: ParagraphMatch["method"][number]) => {
    oldForNew[j] = i;
    newForOld[i] = j;
    method[j] = how;
  };

  // 1. Exact anchors.
  const anchors = exactAnchors(oldRows, newRows);
  for (const [i, j] of anchors) link(i, j, "exact");

  // 2. Similarity inside each gap (including before the first and after the last anchor).
  // Profiles are computed on first use: an edit touching a few paragraphs compares only those.
  const profiles = { old: lazyProfiles(oldRows), new: lazyProfiles(newRows) };
  const bounds: [number, number][] = [[-1, -1], ...anchors, [oldRows.length, newRows.length]];
  for (let k = 0; k + 1 < bounds.length; k++) {
    let [i0, j0] = bounds[k]!;
    let [i1, j1] = bounds[k + 1]!;
    // Pairs at either end of the gap that are nearly the same text are taken as they come, so a
    // change to every paragraph (a global replace) costs a pass, not the DP.
    while (i0 + 1 < i1 && j0 + 1 < j1 && similarity(profiles.old(i0 + 1), profiles.new(j0 + 1)) >= STRONG_THRESHOLD) link(++i0, ++j0, "similar");
    while (i0 + 1 < i1 && j0 + 1 < j1 && similarity(profiles.old(i1 - 1), profiles.new(j1 - 1)) >= STRONG_THRESHOLD) link(--i1, --j1, "similar");
    if (i1 - i0 <= 1 || j1 - j0 <= 1) continue;
    for (const [i, j] of alignGap(profiles.old, profiles.new, i0 + 1, i1, j0 + 1, j1)) link(i, j, "similar");
  }

  // Merges and splits keep the FIRST paragraph's identity, whichever part is more similar: a row
  // matched by similarity moves its match to the earliest of the unmatched paragraphs right
  // before it whose text it contains (merge), and an old paragraph to the earliest of the
  // unmatched rows right before its match that it contains (split).
  for (let j = 0; j < newRows.length; j++) {
    const i = oldForNew[j];
    if (i === null || i === undefined || method[j] !== "similar") continue;
    // The parts together must be in the row (bigrams counted with multiplicity): similar-looking
    // neighbours (templated text) are not mistaken for a merge.
    let first = i;
    for (let k = i - 1; k >= 0 && newForOld[k] === null && containment(range(k, i).map(profiles.old), profiles.new(j)) >= ABSORBED_THRESHOLD; k--) first = k;
    if (first !== i) {
      newForOld[i] = null;
      link(first, j, "similar");
      continue;
    }
    let firstRow = j;
    for (let k = j - 1; k >= 0 && oldForNew[k] === null && containment(range(k, j).map(profiles.new), profiles.old(i)) >= ABSORBED_THRESHOLD; k--) firstRow = k;
    if (firstRow !== j) {
      oldForNew[j] = null;
      link(i, firstRow, "similar");
    }
  }

  // 3. Moves: leftovers paired across the text.
  const leftOld = () => oldRows.map((_, i) => i).filter((i) => newForOld[i] === null);
  const leftNew = () => newRows.map((_, j) => j).filter((j) => oldForNew[j] === null);
  const byText = new Map<string, number[]>();
  for (const i of leftOld()) {
    for (const key of textKeys(oldRows[i]!)) {
      const list = byText.get(key);
      if (list) list.push(i);
      else byText.set(key, [i]);
    }
  }
  for (const j of leftNew()) {
    for (const key of textKeys(newRows[j]!)) {
      const i = byText.get(key)?.find((candidate) => newForOld[candidate] === null);
      if (i !== undefined) {
        link(i, j, "moved");
        break;
      }
    }
  }
  const restOld = leftOld();
  const restNew = leftNew();
  if (restOld.length * restNew.length <= MOVE_PAIR_LIMIT) {
    const pairs: { i: number; j: number; score: number }[] = [];
    for (const i of restOld) {
      for (const j of restNew) {
        const score = similarity(profiles.old(i), profiles.new(j));
        if (score >= MOVE_THRESHOLD) pairs.push({ i, j, score });
      }
    }
    pairs.sort((a, b) => b.score - a.score || a.i - b.i || a.j - b.j);
    for (const { i, j } of pairs) if (newForOld[i] === null && oldForNew[j] === null) link(i, j, "moved");
  }

  // Merges: a removed paragraph whose text now sits inside a neighbouring row.
  const absorbedInto = oldRows.map((_, i): number | null => {
    if (newForOld[i] !== null) return null;
    let before = -1;
    for (let k = i - 1; k >= 0; k--) {
      if (newForOld[k] !== null) {
        before = newForOld[k]!;
        break;
      }
    }
    let after = newRows.length - 1;
    for (let k = i + 1; k < oldRows.length; k++) {
      if (newForOld[k] !== null) {
        after = newForOld[k]!;
        break;
      }
    }
    let best: number | null = null;
    let bestScore = ABSORBED_THRESHOLD;
    // The rows next to where it was; a long stretch of new text between (a rewrite) is not
    // searched end to end.
    const lo = Math.max(0, Math.min(before, after));
    const hi = Math.min(newRows.length - 1, Math.max(before, after));
    for (let j = lo; j <= hi; j = j - lo >= ABSORB_REACH && hi - j > ABSORB_REACH ? hi - ABSORB_REACH : j + 1) {
      const partner = oldForNew[j];
      const parts = partner === null || partner === undefined ? [profiles.old(i)] : [profiles.old(i), profiles.old(partner)];
      const score = containment(parts, profiles.new(j));
      if (score >= bestScore) {
        bestScore = score;
        best = j;
      }
    }
    return best;
  });

  return { oldForNew, newForOld, method, absorbedInto };
}

/**
 * New rows a split may have moved text of `row`'s old paragraph into: the unmatched rows right
 * before and after it (the first part keeps the id, the rest are new paragraphs).
 */
export function splitNeighbours(match: ParagraphMatch, row: number): number[] {
  const out: number[] = [];
  for (let j = row + 1; j < match.oldForNew.length && match.oldForNew[j] === null; j++) out.push(j);
  for (let j = row - 1; j >= 0 && match.oldForNew[j] === null; j--) out.push(j);
  return out;
}

// ---- exact anchors -------------------------------------------------------------------------------

function textKeys(row: MatchParagraph): string[] {
  return Object.entries(row.text)
    .filter(([, text]) => text)
    .map(([locale, text]) => `${locale}\u0000${text}`);
}

/** The longest chain of (old, new) pairs, increasing in both, where some language's text is equal. */
function exactAnchors(oldRows: MatchParagraph[], newRows: MatchParagraph[]): [number, number][] {
  const positions = new Map<string, number[]>();
  oldRows.forEach((row, i) => {
    for (const key of textKeys(row)) {
      const list = positions.get(key);
      if (list) list.push(i);
      else positions.set(key, [i]);
    }
  });
  // Hunt–Szymanski: for each new row, its candidate old rows in decreasing order, then a
  // patience LIS over old indices. tails[k] = the pair ending the best chain of length k + 1.
  type Node = { i: number; j: number; previous: Node | null };
  const tails: Node[] = [];
  newRows.forEach((row, j) => {
    const candidates = [...new Set(textKeys(row).flatMap((key) => positions.get(key) ?? []))].sort((a, b) => b - a);
    for (const i of candidates) {
      let lo = 0;
      let hi = tails.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (tails[mid]!.i < i) lo = mid + 1;
        else hi = mid;
      }
      tails[lo] = { i, j, previous: lo > 0 ? tails[lo - 1]! : null };
    }
  });
  const chain: [number, number][] = [];
  for (let node: Node | null = tails[tails.length - 1] ?? null; node; node = node.previous) chain.push([node.i, node.j]);
  return chain.reverse();
}

// ---- similarity ----------------------------------------------------------------------------------

/** Per language: the text's character bigrams (two code points hashed to 32 bits), sorted. */
type Profile = Map<string, Int32Array>;

function profile(row: MatchParagraph): Profile {
  const out: Profile = new Map();
  for (const [locale, raw] of Object.entries(row.text)) {
    if (!raw) continue;
    const text = raw.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
    const chars: number[] = [];
    for (let k = 0; k < text.length; k++) {
      const code = text.codePointAt(k)!;
      chars.push(code);
      if (code > 0xffff) k++;
    }
    // A rare hash collision only nudges a similarity score.
    const grams = chars.length < 2 ? Int32Array.from(chars) : new Int32Array(chars.length - 1);
    for (let k = 0; k + 1 < chars.length; k++) grams[k] = Math.imul(chars[k]!, 0x9e3779b1) ^ chars[k + 1]!;
    out.set(locale, grams.sort());
  }
  return out;
}

function lazyProfiles(rows: MatchParagraph[]): (index: number) => Profile {
  const cache: (Profile | undefined)[] = new Array(rows.length);
  return (index) => (cache[index] ??= profile(rows[index]!));
}

function commonCount(a: Int32Array, b: Int32Array): number {
  let x = 0;
  let y = 0;
  let common = 0;
  while (x < a.length && y < b.length) {
    if (a[x] === b[y]) {
      common++;
      x++;
      y++;
    } else if (a[x]! < b[y]!) x++;
    else y++;
  }
  return common;
}

/** Dice coefficient of the bigram multisets, averaged over the languages both rows have (0 if none). */
export function similarity(a: Profile, b: Profile): number {
  let sum = 0;
  let count = 0;
  for (const [locale, grams] of a) {
    const other = b.get(locale);
    if (!other) continue;
    const total = grams.length + other.length;
    sum += total === 0 ? 1 : (2 * commonCount(grams, other)) / total;
    count++;
  }
  return count ? sum / count : 0;
}

/** from, from + 1, …, to (inclusive). */
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => from + k);

/**
 * The share of the parts' bigrams (together, with multiplicity) found in `whole`, averaged over
 * the languages the first part and `whole` have.
 */
function containment(parts: Profile[], whole: Profile): number {
  let sum = 0;
  let count = 0;
  for (const locale of parts[0]!.keys()) {
    const other = whole.get(locale);
    const grams = parts.length === 1 ? parts[0]!.get(locale)! : Int32Array.from(parts.flatMap((p) => [...(p.get(locale) ?? [])])).sort();
    if (!other || grams.length === 0) continue;
    sum += commonCount(grams, other) / grams.length;
    count++;
  }
  return count ? sum / count : 0;
}

/** Profiles of two texts, for tests and callers that compare single paragraphs. */
export function textSimilarity(a: MatchParagraph, b: MatchParagraph): number {
  return similarity(profile(a), profile(b));
}

/**
 * The order-preserving alignment of old[i0, i1) with new[j0, j1) that maximises the summed
 * similarity of matched pairs (pairs under the threshold never match). Only cells within a band
 * around the gap's diagonal are scored, which bounds the cost for long gaps.
 */
function alignGap(oldProfiles: (i: number) => Profile, newProfiles: (j: number) => Profile, i0: number, i1: number, j0: number, j1: number): [number, number][] {
  const rows = i1 - i0;
  const cols = j1 - j0;
  const band = Math.abs(rows - cols) + BAND;
  // score(r, c) for cells in the band, else -1 (never matched).
  const score = (r: number, c: number): number => {
    const diagonal = (r * cols) / rows;
    if (Math.abs(c - diagonal) > band) return -1;
    const s = similarity(oldProfiles(i0 + r), newProfiles(j0 + c));
    return s >= SIMILARITY_THRESHOLD ? s : -1;
  };
  // best[r][c] over prefixes, rolling rows; choice kept for the traceback (0 skip old, 1 skip new, 2 match).
  const choice = new Uint8Array((rows + 1) * (cols + 1));
  let previous = new Float64Array(cols + 1);
  let current = new Float64Array(cols + 1);
  for (let r = 1; r <= rows; r++) {
    current[0] = 0;
    choice[r * (cols + 1)] = 0;
    for (let c = 1; c <= cols; c++) {
      const skipOld = previous[c]!;
      const skipNew = current[c - 1]!;
      const s = score(r - 1, c - 1);
      const match = s >= 0 ? previous[c - 1]! + s : -1;
      // On a tie, skip: the earlier old paragraph keeps the match (a merge keeps the first id).
      if (match > skipOld && match > skipNew) {
        current[c] = match;
        choice[r * (cols + 1) + c] = 2;
      } else if (skipOld >= skipNew) {
        current[c] = skipOld;
        choice[r * (cols + 1) + c] = 0;
      } else {
        current[c] = skipNew;
        choice[r * (cols + 1) + c] = 1;
      }
    }
    [previous, current] = [current, previous];
  }
  const pairs: [number, number][] = [];
  let r = rows;
  let c = cols;
  while (r > 0 && c > 0) {
    const how = choice[r * (cols + 1) + c];
    if (how === 2) {
      pairs.push([i0 + r - 1, j0 + c - 1]);
      r--;
      c--;
    } else if (how === 0) r--;
    else c--;
  }
  return pairs.reverse();
}
