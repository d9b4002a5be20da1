import { z } from "zod";
import "@/lib/zod-jitless";

// What POST /api/import accepts (ADR 0031), and how a file's annotations are found in it. Pure.

export const MAX_IMPORT_ANNOTATIONS = 50_000;
/** Problems listed in a refusal of a whole file: enough to fix it, not a wall of text. */
export const MAX_LISTED_ERRORS = 5;

/** `?group=<uuid>`: import into that group (a live group the caller belongs to); private otherwise. */
export const importQuerySchema = z.object({ group: z.uuid({ error: "badGroup" }).optional() }).strict();

/** The file itself: any JSON-LD document; which shapes are understood is readAnnotationDocument's business. */
export const importBodySchema = z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]);

export type DocumentReading = { ok: true; items: unknown[] } | { ok: false; errors: string[] };

/**
 * The annotations of a file, in file order: one Annotation, an array of them, an AnnotationPage,
 * an AnnotationCollection whose pages are embedded (`first`, then each page's `next`, as objects
 * or as ids of pages embedded in the collection), a plain `{items: […]}`, or Hypothesis' own
 * export (`{annotations: […]}` in its API's format, turned into W3C annotations here).
 * Refused (the whole file): anything else, a collection whose pages are only linked, a
 * collection whose `total` does not match what it embeds (a truncated file), too many items.
 */
export function readAnnotationDocument(json: unknown): DocumentReading {
  const items = collect(json);
  if (!items.ok) return items;
  if (items.items.length > MAX_IMPORT_ANNOTATIONS) return { ok: false, errors: [`more than ${MAX_IMPORT_ANNOTATIONS} annotations`] };
  if (!items.items.length) return { ok: false, errors: ["no annotations in the file"] };
  return items;
}

function collect(json: unknown): DocumentReading {
  if (Array.isArray(json)) return { ok: true, items: json };
  if (!isObject(json)) return { ok: false, errors: ["the file must be a JSON object or array"] };
  const types = typesOf(json);
  if (types.includes("Annotation")) return { ok: true, items: [json] };
  if (types.includes("AnnotationCollection")) return collection(json);
  if (types.includes("AnnotationPage")) return pages(json, new Map());
  if (Array.isArray(json.annotations)) return { ok: true, items: json.annotations.map(fromHypothesis) };
  if (Array.isArray(json.items)) return { ok: true, items: json.items };
  return { ok: false, errors: ['type: expected "Annotation", "AnnotationPage" or "AnnotationCollection", an array, or {"items": [...]}'] };
}

function collection(json: Record<string, unknown>): DocumentReading {
  const first = json.first;
  if (first === undefined) {
    // An empty collection has no pages (W3C protocol §5.1); anything with a total needs them.
    return typeof json.total === "number" && json.total > 0 ? { ok: false, errors: ["first: the collection's pages must be embedded"] } : { ok: true, items: [] };
  }
  // Pages may be embedded beside `first` (any array of the collection holding AnnotationPages), linked by id.
  const byId = new Map<string, Record<string, unknown>>();
  for (const value of Object.values(json)) {
    if (!Array.isArray(value)) continue;
    for (const page of value) if (isObject(page) && typesOf(page).includes("AnnotationPage") && typeof page.id === "string") byId.set(page.id, page);
  }
  const start = typeof first === "string" ? byId.get(first) : first;
  if (!isObject(start)) return { ok: false, errors: ["first: the collection's pages must be embedded"] };
  const reading = pages(start, byId);
  if (!reading.ok) return reading;
  if (typeof json.total === "number" && json.total !== reading.items.length) {
    return { ok: false, errors: [`total: the collection says ${json.total} annotations but embeds ${reading.items.length}`] };
  }
  return reading;
}

function pages(start: Record<string, unknown>, byId: Map<string, Record<string, unknown>>): DocumentReading {
  const items: unknown[] = [];
  const seen = new Set<object>();
  let page: unknown = start;
  while (page !== undefined && page !== null) {
    if (typeof page === "string") {
      const found = byId.get(page);
      // A page only linked, not embedded: we do not fetch other servers' pages.
      if (!found) return { ok: false, errors: [`next: page ${page.slice(0, 200)} is not embedded in the file`] };
      page = found;
    }
    if (!isObject(page) || !typesOf(page).includes("AnnotationPage")) return { ok: false, errors: ["next: must be an AnnotationPage"] };
    if (seen.has(page)) return { ok: false, errors: ["next: the pages form a loop"] };
    seen.add(page);
    if (!Array.isArray(page.items)) return { ok: false, errors: ["items: an AnnotationPage needs an items array"] };
    items.push(...page.items);
    if (items.length > MAX_IMPORT_ANNOTATIONS) return { ok: false, errors: [`more than ${MAX_IMPORT_ANNOTATIONS} annotations`] };
    page = page.next;
  }
  return { ok: true, items };
}

/**
 * One annotation of Hypothesis' API format (its client's "Export" file) as a W3C annotation: its
 * selectors already are W3C's; text and tags become bodies; a reply (`references`) targets its
 * parent's IRI. Anything already typed as an Annotation is left alone.
 */
export function fromHypothesis(item: unknown): unknown {
  if (!isObject(item) || typesOf(item).length) return item;
  const iri = (id: unknown) => (typeof id === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(id) ? `https://hypothes.is/a/${id}` : id);
  const references = Array.isArray(item.references) ? item.references : [];
  const bodies: unknown[] = [];
  if (typeof item.text === "string" && item.text.trim()) bodies.push({ type: "TextualBody", value: item.text, format: "text/markdown" });
  if (Array.isArray(item.tags)) for (const tag of item.tags) bodies.push({ type: "TextualBody", purpose: "tagging", value: tag });
  const targets = Array.isArray(item.target) ? item.target : [];
  const target = references.length
    ? iri(references[references.length - 1])
    : targets.map((t) => (isObject(t) && t.source === undefined ? { ...t, source: item.uri } : t));
  return {
    type: "Annotation",
    ...(item.id !== undefined ? { id: iri(item.id) } : {}),
    ...(typeof item.created === "string" ? { created: item.created } : {}),
    motivation: references.length ? "replying" : bodies.length ? "commenting" : "highlighting",
    ...(bodies.length ? { body: bodies } : {}),
    target: Array.isArray(target) && !target.length && typeof item.uri === "string" ? item.uri : target,
  };
}

function typesOf(value: Record<string, unknown>): string[] {
  const raw = value.type ?? value["@type"];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.filter((t): t is string => typeof t === "string").map((t) => t.replace(/^(oa:|as:)/, ""));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
