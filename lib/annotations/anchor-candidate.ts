import search from "approx-string-match";
import { routing } from "@/i18n/routing";
import { isValidSlug } from "@/lib/content/slug";
import { anchorSelector, describeRange } from "@/lib/text/anchoring";
import { codePointLength, utf16ToCodePoint } from "@/lib/text/code-points";
import type { AnnotationCandidate } from "./web-annotation";

// Where an annotation from outside (a POST to the protocol server, an imported file) lands on one
// of our articles. Pure: the caller loads the article's paragraph texts and decides what a failure
// means (422 for the protocol, a "not anchored" line in an import report). ADR 0031.

/** One paragraph's text in one language; a paragraph bilingual in en and ja is two entries. */
export type AnchorParagraph = { id: string; key: string /* "p-3" */; locale: string; text: string; removed?: boolean };

export type AnchoredCandidate = {
  paragraphId: string;
  locale: string;
  /** Recomputed from the paragraph's text (so prefix/suffix are ours), null for a comment on the paragraph. */
  quote: { exact: string; prefix: string; suffix: string } | null;
  /** Code points within the paragraph; null with a null quote. */
  start: number | null;
  end: number | null;
  /** fragment: the paragraph alone; position/quote/fuzzy: how the quoted passage was found. */
  method: "fragment" | "position" | "quote" | "fuzzy";
};

export type AnchorFailure = { reason: "no_fragment_or_quote" | "fragment_not_found" | "quote_not_found" | "wrong_language" };

export function isAnchorFailure(result: AnchoredCandidate | AnchorFailure): result is AnchorFailure {
  return "reason" in result;
}

/**
 * Fragment first (p-N, then its TextPosition/TextQuote inside it), then the quote over the
 * article's paragraphs in `locale` (or all locales when null). Paragraphs removed by a revision
 * are never anchored to: a note there would be invisible.
 */
export function anchorCandidate(
  candidate: AnnotationCandidate,
  paragraphs: AnchorParagraph[],
  locale: string | null,
): AnchoredCandidate | AnchorFailure {
  const live = paragraphs.filter((p) => !p.removed);
  const inLocale = locale ? live.filter((p) => p.locale === locale) : live;
  const { fragment, quote } = candidate;
  if (!fragment && !quote) return { reason: "no_fragment_or_quote" };
  // The source names a language the article has no text in (e.g. an annotation made on /ja/ of a
  // server whose article has only English): anchoring on the other language's words would be wrong.
  if (locale && !inLocale.length) return { reason: "wrong_language" };

  if (fragment) {
    const texts = inLocale.filter((p) => p.key === fragment);
    if (texts.length) {
      if (!quote) {
        // A position without a quote is still a passage: take the words at those code points.
        const text = pickLanguage(texts, candidate.language);
        const position = candidate.position;
        if (position && position.end > position.start && position.end <= codePointLength(text.text)) {
          return anchored(text, position.start, position.end, "position");
        }
        return { paragraphId: text.id, locale: text.locale, quote: null, start: null, end: null, method: "fragment" };
      }
      const found = bestInParagraphs(texts, quote, candidate.position, true);
      if (found) return found;
    } else if (!quote) {
      return { reason: "fragment_not_found" };
    }
  }

  // Quote over the whole article (no fragment; or the fragment's paragraph no longer holds it).
  const found = bestInParagraphs(inLocale, quote!, null, false);
  if (found) return found;
  if (locale && bestInParagraphs(live.filter((p) => p.locale !== locale), quote!, null, false)) return { reason: "wrong_language" };
  return { reason: "quote_not_found" };
}

/** The entry in the candidate's body language when there is one (a comment without a quote), else the first. */
function pickLanguage(texts: AnchorParagraph[], language: string | null): AnchorParagraph {
  const primary = language?.split("-")[0];
  return texts.find((t) => t.locale === primary) ?? texts[0]!;
}

function anchored(p: AnchorParagraph, start: number, end: number, method: AnchoredCandidate["method"]): AnchoredCandidate {
  const range = describeRange(p.text, start, end);
  return {
    paragraphId: p.id,
    locale: p.locale,
    quote: { exact: range.exact, prefix: range.prefix, suffix: range.suffix },
    start: range.start,
    end: range.end,
    method,
  };
}

type Quote = NonNullable<AnnotationCandidate["quote"]>;

/**
 * The best place for a quote among some paragraph texts: exact occurrences first (the one whose
 * context fits best across all of them), only then an approximate match (fewest errors). Inside
 * one paragraph with a known position, lib/text/anchoring's order (position, quote, fuzzy) applies.
 */
function bestInParagraphs(
  texts: AnchorParagraph[],
  quote: Quote,
  position: AnnotationCandidate["position"],
  withinFragment: boolean,
): AnchoredCandidate | null {
  if (withinFragment && texts.length === 1) {
    const p = texts[0]!;
    const found = anchorSelector(p.text, { ...quote, start: position?.start ?? 0, end: position?.end ?? 0 });
    return found ? anchored(p, found.start, found.end, found.method) : null;
  }
  if (withinFragment && position) {
    // Several languages of one paragraph: the position decides when its words are the quote.
    for (const p of texts) {
      const found = anchorSelector(p.text, { ...quote, start: position.start, end: position.end });
      if (found?.method === "position") return anchored(p, found.start, found.end, "position");
    }
  }

  let best: { p: AnchorParagraph; start: number; end: number; score: number } | null = null;
  for (const p of texts) {
    for (let at = p.text.indexOf(quote.exact); at !== -1; at = p.text.indexOf(quote.exact, at + 1)) {
      const score = contextScore(p.text, at, at + quote.exact.length, quote);
      if (!best || score > best.score) best = { p, start: at, end: at + quote.exact.length, score };
    }
  }
  if (best) return anchored(best.p, utf16ToCodePoint(best.p.text, best.start), utf16ToCodePoint(best.p.text, best.end), "quote");

  // Up to a quarter of the quote may differ, as when re-anchoring after a revision.
  const maxErrors = Math.min(32, Math.floor(quote.exact.length / 4));
  if (maxErrors === 0) return null;
  let fuzzy: { p: AnchorParagraph; start: number; end: number; errors: number; score: number } | null = null;
  for (const p of texts) {
    if (p.text.length + maxErrors < quote.exact.length) continue;
    for (const match of search(p.text, quote.exact, maxErrors)) {
      const score = contextScore(p.text, match.start, match.end, quote);
      if (!fuzzy || match.errors < fuzzy.errors || (match.errors === fuzzy.errors && score > fuzzy.score)) {
        fuzzy = { p, start: match.start, end: match.end, errors: match.errors, score };
      }
    }
  }
  if (!fuzzy) return null;
  return anchored(fuzzy.p, utf16ToCodePoint(fuzzy.p.text, fuzzy.start), utf16ToCodePoint(fuzzy.p.text, fuzzy.end), "fuzzy");
}

/** How much of the quote's prefix and suffix surround [start, end) (UTF-16 indexes). */
function contextScore(text: string, start: number, end: number, quote: Quote): number {
  const before = text.slice(Math.max(0, start - quote.prefix.length), start);
  const after = text.slice(end, end + quote.suffix.length);
  let score = 0;
  while (score < before.length && before[before.length - 1 - score] === quote.prefix[quote.prefix.length - 1 - score]) score++;
  let suffix = 0;
  while (suffix < after.length && after[suffix] === quote.suffix[suffix]) suffix++;
  return score + suffix;
}

const ARTICLE_PATH = /\/([a-z]{2})\/articles\/([^/?#]+)\/?$/;
const PARAGRAPH_HASH = /^#(p-[1-9]\d{0,5})$/;

/**
 * `…/{en|ja}/articles/{slug}` on ANY origin (another Taiyaku server, a base path before it) →
 * { locale, slug } and the `#p-N` when present; null otherwise.
 */
export function articleFromSource(source: string): { locale: string; slug: string; fragment: string | null } | null {
  let url: URL;
  try {
    url = new URL(source);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  const match = ARTICLE_PATH.exec(url.pathname);
  if (!match) return null;
  const locale = match[1]!;
  if (!(routing.locales as readonly string[]).includes(locale)) return null;
  let slug: string;
  try {
    slug = decodeURIComponent(match[2]!);
  } catch {
    return null;
  }
  if (!isValidSlug(slug)) return null;
  const hash = PARAGRAPH_HASH.exec(url.hash);
  return { locale, slug, fragment: hash ? hash[1]! : null };
}
