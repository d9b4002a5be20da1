import Ajv, { type ValidateFunction } from "ajv-draft-04";
import addFormats from "ajv-formats";
import { findUnstorableText } from "@/lib/text/safe-text";
import { w3cAnnotationMusts, w3cCollectionMusts, w3cDefinitionSchemas, w3cPageMusts } from "./w3c-schema-list";

// Taiyaku notes ⇄ W3C Web Annotation Data Model (REC 2017) JSON-LD. Pure: no database, no request.
// The mapping choices (IRIs, selector alternatives, the extension term, Markdown bodies) are
// explained in docs/decisions/0028-web-annotation-model.md.

export const ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld";
/**
 * Our extension vocabulary (visibility, group). A URN, not a site URL: two Taiyaku servers must
 * agree on the term's IRI for an export from one to import into the other.
 */
export const TAIYAKU_NS = "urn:taiyaku:ns#";
export const TAIYAKU_CONTEXT = { taiyaku: TAIYAKU_NS } as const;
export const FRAGMENT_CONFORMS_TO = "http://tools.ietf.org/rfc/rfc3986";

/** One imported annotation, serialised: far above any real note (10,000-character body). */
export const MAX_ANNOTATION_JSON_LENGTH = 256 * 1024;
export const MAX_IMPORT_BODY_LENGTH = 10_000;
export const MAX_IMPORT_QUOTE_LENGTH = 4_000;
export const MAX_IMPORT_TAGS = 20;
export const MAX_IMPORT_TAG_LENGTH = 64;
const MAX_SELECTOR_DEPTH = 4;
const MAX_LIST_ITEMS = 50;

const PARAGRAPH_FRAGMENT = /^p-[1-9]\d{0,5}$/;

/**
 * What toWebAnnotation needs of a note: structurally a subset of features/notes' NoteDto (lib may
 * not import from features), plus the `via` an imported or POSTed note keeps.
 */
export type AnnotatableNote = {
  id: string;
  paragraphKey: string;
  parentId: string | null;
  kind: "comment" | "annotation";
  locale: string;
  visibility: "private" | "public" | "group";
  group: { id: string; name: string } | null;
  tag: string | null;
  body: string | null;
  quote: { exact: string; prefix: string; suffix: string; start: number; end: number } | null;
  author: { id: string; name: string };
  createdAt: string | Date;
  editedAt: string | Date | null;
  via?: string | null;
  /** The `canonical` IRI a client gave when it POSTed the annotation (kept unchanged, ADR 0029). */
  canonical?: string | null;
};

export type WebAnnotationOptions = {
  /** No trailing slash, e.g. "https://taiyaku.example". */
  siteUrl: string;
  articleSlug: string;
  /** The article's LDP container, with its trailing slash; defaults to `{siteUrl}/api/annotations/{slug}/`. */
  containerIri?: string;
};

type JsonObject = { [key: string]: JsonValue };
type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export type WebAnnotation = JsonObject;

export type Motivation =
  | "assessing"
  | "bookmarking"
  | "classifying"
  | "commenting"
  | "describing"
  | "editing"
  | "highlighting"
  | "identifying"
  | "linking"
  | "moderating"
  | "questioning"
  | "replying"
  | "tagging";

const MOTIVATIONS: readonly Motivation[] = [
  "assessing",
  "bookmarking",
  "classifying",
  "commenting",
  "describing",
  "editing",
  "highlighting",
  "identifying",
  "linking",
  "moderating",
  "questioning",
  "replying",
  "tagging",
];

export function containerIriFor(siteUrl: string, articleSlug: string): string {
  return `${trimSlash(siteUrl)}/api/annotations/${encodeURIComponent(articleSlug)}/`;
}

export function annotationIriFor(containerIri: string, noteId: string): string {
  return `${containerIri}${encodeURIComponent(noteId)}`;
}

/** The creator's IRI: an identifier on the site, not promised to be dereferenceable (ADR 0028). */
export function userIriFor(siteUrl: string, userId: string): string {
  return `${trimSlash(siteUrl)}/users/${encodeURIComponent(userId)}`;
}

export function groupIriFor(siteUrl: string, groupId: string): string {
  return `${trimSlash(siteUrl)}/groups/${encodeURIComponent(groupId)}`;
}

export function articleIriFor(siteUrl: string, locale: string, articleSlug: string): string {
  return `${trimSlash(siteUrl)}/${locale}/articles/${encodeURIComponent(articleSlug)}`;
}

/** A note's Markdown body with its text, or "" for a highlight / deleted note. */
function bodyText(note: AnnotatableNote): string {
  return note.body?.trim() ? note.body : "";
}

export function motivationsFor(note: AnnotatableNote): Motivation[] {
  const primary: Motivation = note.parentId ? "replying" : bodyText(note) ? "commenting" : note.quote ? "highlighting" : "commenting";
  return note.tag === "question" ? [primary, "questioning"] : [primary];
}

/** The note as a W3C Web Annotation (JSON-LD, compacted against the anno.jsonld context). */
export function toWebAnnotation(note: AnnotatableNote, options: WebAnnotationOptions): WebAnnotation {
  const siteUrl = trimSlash(options.siteUrl);
  const container = options.containerIri ?? containerIriFor(siteUrl, options.articleSlug);
  const motivations = motivationsFor(note);

  const bodies: JsonObject[] = [];
  const text = bodyText(note);
  if (text) bodies.push({ type: "TextualBody", value: text, format: "text/markdown", language: note.locale });
  if (note.tag) bodies.push({ type: "TextualBody", purpose: "tagging", value: note.tag });

  const annotation: JsonObject = {
    "@context": [ANNO_CONTEXT, { ...TAIYAKU_CONTEXT }],
    id: annotationIriFor(container, note.id),
    type: "Annotation",
    motivation: motivations.length === 1 ? motivations[0]! : motivations,
    created: isoDate(note.createdAt),
  };
  if (note.editedAt) annotation.modified = isoDate(note.editedAt);
  annotation.creator = { id: userIriFor(siteUrl, note.author.id), type: "Person", name: note.author.name };
  if (bodies.length) annotation.body = bodies.length === 1 ? bodies[0]! : bodies;
  annotation.target = note.parentId ? annotationIriFor(container, note.parentId) : targetFor(note, siteUrl, options.articleSlug);
  annotation["taiyaku:visibility"] = note.visibility;
  if (note.visibility === "group" && note.group) {
    annotation["taiyaku:group"] = { id: groupIriFor(siteUrl, note.group.id), name: note.group.name };
  }
  if (note.via) annotation.via = note.via;
  if (note.canonical) annotation.canonical = note.canonical;
  return annotation;
}

function targetFor(note: AnnotatableNote, siteUrl: string, slug: string): JsonObject {
  const source = articleIriFor(siteUrl, note.locale, slug);
  const fragment = (refinedBy?: JsonObject): JsonObject => ({
    type: "FragmentSelector",
    conformsTo: FRAGMENT_CONFORMS_TO,
    value: note.paragraphKey,
    ...(refinedBy ? { refinedBy } : {}),
  });
  if (!note.quote) return { type: "SpecificResource", source, selector: fragment() };
  // Two selectors on one SpecificResource are alternatives describing the same segment (model
  // §4.2): the paragraph refined by the quote, and the paragraph refined by code-point positions.
  const { exact, prefix, suffix, start, end } = note.quote;
  return {
    type: "SpecificResource",
    source,
    selector: [
      fragment({ type: "TextQuoteSelector", exact, ...(prefix ? { prefix } : {}), ...(suffix ? { suffix } : {}) }),
      fragment({ type: "TextPositionSelector", start, end }),
    ],
  };
}

function isoDate(value: string | Date): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

// ---------------------------------------------------------------------------------------------
// Validation against the W3C web-annotation-tests MUST schemas.

export type SchemaIssue = { assertion: string; message: string; path: string };
export type SchemaResult = { valid: boolean; errors: SchemaIssue[] };

type Check = { id: string; message: string; validate: ValidateFunction };
let compiled: { annotation: Check[]; collection: Check[]; page: Check[] } | null = null;

function checks() {
  if (compiled) return compiled;
  // draft-04 schemas (they use `id`, not `$id`); not strict: they carry test-suite keywords
  // (assertionType, expectedResult, errorMessage …) that are not JSON Schema.
  const ajv = new Ajv({ strict: false, allErrors: false, validateSchema: false });
  addFormats(ajv, ["uri", "date-time"]);
  for (const schema of w3cDefinitionSchemas) ajv.addSchema(schema as object);
  const build = (list: object[]): Check[] =>
    list.map((schema) => {
      const s = schema as { id: string; errorMessage?: string };
      return { id: s.id, message: s.errorMessage ?? s.id, validate: ajv.compile(schema) };
    });
  compiled = { annotation: build(w3cAnnotationMusts), collection: build(w3cCollectionMusts), page: build(w3cPageMusts) };
  return compiled;
}

function run(list: Check[], json: unknown): SchemaResult {
  const errors: SchemaIssue[] = [];
  for (const check of list) {
    if (check.validate(json)) continue;
    const first = check.validate.errors?.[0];
    errors.push({ assertion: check.id, message: check.message, path: first?.instancePath ?? "" });
  }
  return { valid: errors.length === 0, errors };
}

/** Every MUST assertion of the W3C annotation-model test suite (annotationMusts.test). */
export function validateWebAnnotation(json: unknown): SchemaResult {
  return run(checks().annotation, json);
}

/** collectionMusts.test: an AnnotationCollection description. */
export function validateAnnotationCollection(json: unknown): SchemaResult {
  return run(checks().collection, json);
}

/** pageMusts.test: an AnnotationPage (its items are checked with validateWebAnnotation). */
export function validateAnnotationPage(json: unknown): SchemaResult {
  return run(checks().page, json);
}

// ---------------------------------------------------------------------------------------------
// Import: anyone's Web Annotation (ours, Hypothesis' JSON-LD export …) → a normalised candidate.

export type AnnotationCandidate = {
  /** The annotation's own IRI on its server, if any. */
  id: string | null;
  /** The target's source IRI (for a reply: the parent annotation's IRI). */
  source: string;
  /** The paragraph (`p-N`) from a FragmentSelector, or a `#p-N` on the source IRI. */
  fragment: string | null;
  quote: { exact: string; prefix: string; suffix: string } | null;
  /** Code points within the fragment's paragraph (only a TextPositionSelector refining the fragment). */
  position: { start: number; end: number } | null;
  bodyMarkdown: string;
  tags: string[];
  motivation: Motivation[];
  /** BCP 47 tag of the first text body, lower-case, or null. */
  language: string | null;
  via: string | null;
  canonical: string | null;
  created: string | null;
  /** Our extension term, when present: the importer still decides (private by default). */
  visibility: "private" | "public" | "group" | null;
  /** What was present but not understood (ignored selectors, non-text bodies …). */
  warnings: string[];
};

export type ImportResult = { ok: true; annotation: AnnotationCandidate } | { ok: false; errors: string[] };

/** JSON text → candidate, with the size limit applied before parsing. */
export function parseWebAnnotationJson(text: string): ImportResult {
  if (text.length > MAX_ANNOTATION_JSON_LENGTH) return { ok: false, errors: [`annotation larger than ${MAX_ANNOTATION_JSON_LENGTH} characters`] };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, errors: [`malformed JSON: ${(error as Error).message}`] };
  }
  return fromWebAnnotation(json);
}

/** A parsed JSON value → candidate or the reasons it is refused. Never throws. */
export function fromWebAnnotation(json: unknown): ImportResult {
  try {
    return convert(json);
  } catch (error) {
    // Defensive: a getter or a cycle in a value that did not come from JSON.parse.
    return { ok: false, errors: [`unreadable annotation: ${(error as Error).message}`] };
  }
}

function convert(json: unknown): ImportResult {
  const errors: string[] = [];
  const warnings: string[] = [];
  if (!isObject(json)) return { ok: false, errors: ["an annotation must be a JSON object"] };
  const size = JSON.stringify(json).length;
  if (size > MAX_ANNOTATION_JSON_LENGTH) return { ok: false, errors: [`annotation larger than ${MAX_ANNOTATION_JSON_LENGTH} characters`] };
  const bad = findUnstorableText(json);
  if (bad) return { ok: false, errors: [`${pathText(bad)}: contains NUL or a lone surrogate`] };

  const types = list(json.type);
  if (!types.includes("Annotation") && !types.includes("oa:Annotation")) errors.push('type: must include "Annotation"');

  const id = optionalIri(json.id, "id", errors);
  const via = optionalIri(firstOf(json.via), "via", errors);
  const canonical = optionalIri(json.canonical, "canonical", errors);
  const created = typeof json.created === "string" && !Number.isNaN(Date.parse(json.created)) ? new Date(json.created).toISOString() : null;

  const motivation: Motivation[] = [];
  for (const m of list(json.motivation)) {
    const name = typeof m === "string" ? m.replace(/^oa:/, "") : null;
    if (name && (MOTIVATIONS as readonly string[]).includes(name)) {
      if (!motivation.includes(name as Motivation)) motivation.push(name as Motivation);
    } else warnings.push(`motivation ${JSON.stringify(m)} ignored`);
  }

  // Target: the first one we can read (a Hypothesis export has one; more are alternatives).
  const targets = list(json.target);
  if (!targets.length) errors.push("target: missing");
  let target: TargetReading | null = null;
  for (const [index, raw] of targets.slice(0, MAX_LIST_ITEMS).entries()) {
    const reading = readTarget(raw, `target[${index}]`, errors, warnings);
    if (reading) {
      target = reading;
      break;
    }
  }
  if (targets.length && !target && !errors.some((e) => e.startsWith("target"))) errors.push("target: no usable target");

  // Bodies.
  const texts: string[] = [];
  const tags: string[] = [];
  let language: string | null = null;
  const bodies = json.body !== undefined ? list(json.body) : [];
  if (json.body !== undefined && json.bodyValue !== undefined) errors.push("body and bodyValue: only one may be given");
  if (typeof json.bodyValue === "string") texts.push(json.bodyValue);
  else if (json.bodyValue !== undefined) errors.push("bodyValue: must be a string");
  for (const [index, raw] of bodies.slice(0, MAX_LIST_ITEMS).entries()) {
    readBody(raw, `body[${index}]`, { texts, tags, errors, warnings, setLanguage: (l) => (language ??= l) });
  }
  if (bodies.length > MAX_LIST_ITEMS) errors.push(`body: more than ${MAX_LIST_ITEMS} bodies`);
  const bodyMarkdown = texts.map((t) => t.trim()).filter(Boolean).join("\n\n");
  if (bodyMarkdown.length > MAX_IMPORT_BODY_LENGTH) errors.push(`body: longer than ${MAX_IMPORT_BODY_LENGTH} characters`);
  const uniqueTags = [...new Set(tags.map((t) => t.trim()).filter(Boolean))];
  if (uniqueTags.length > MAX_IMPORT_TAGS) errors.push(`body: more than ${MAX_IMPORT_TAGS} tags`);
  for (const tag of uniqueTags) if (tag.length > MAX_IMPORT_TAG_LENGTH) errors.push(`tag "${tag.slice(0, 20)}…": longer than ${MAX_IMPORT_TAG_LENGTH} characters`);

  const visibilityRaw = json["taiyaku:visibility"] ?? json[`${TAIYAKU_NS}visibility`];
  const visibility = visibilityRaw === "private" || visibilityRaw === "public" || visibilityRaw === "group" ? visibilityRaw : null;

  if (errors.length || !target) return { ok: false, errors: errors.length ? errors : ["target: no usable target"] };
  if (!bodyMarkdown && !target.quote && !uniqueTags.length) {
    return { ok: false, errors: ["annotation has neither a text body, tags nor a quoted passage"] };
  }
  return {
    ok: true,
    annotation: {
      id,
      source: target.source,
      fragment: target.fragment,
      quote: target.quote,
      position: target.position,
      bodyMarkdown,
      tags: uniqueTags,
      motivation,
      language,
      via,
      canonical,
      created,
      visibility,
      warnings,
    },
  };
}

type TargetReading = {
  source: string;
  fragment: string | null;
  quote: AnnotationCandidate["quote"];
  position: AnnotationCandidate["position"];
};

function readTarget(raw: unknown, at: string, errors: string[], warnings: string[]): TargetReading | null {
  if (typeof raw === "string") {
    if (!isIri(raw)) {
      errors.push(`${at}: not an IRI`);
      return null;
    }
    return { ...splitFragment(raw), quote: null, position: null };
  }
  if (!isObject(raw)) {
    errors.push(`${at}: must be an IRI or an object`);
    return null;
  }
  // A SpecificResource has `source`; an External Web Resource is its own `id`.
  const sourceRaw = raw.source ?? raw.id;
  const sourceIri = typeof sourceRaw === "string" ? sourceRaw : isObject(sourceRaw) && typeof sourceRaw.id === "string" ? sourceRaw.id : null;
  if (!sourceIri || !isIri(sourceIri)) {
    errors.push(`${at}.source: missing or not an IRI`);
    return null;
  }
  const reading: TargetReading = { ...splitFragment(sourceIri), quote: null, position: null };
  const selectors = list(raw.selector);
  if (selectors.length > MAX_LIST_ITEMS) {
    errors.push(`${at}.selector: more than ${MAX_LIST_ITEMS} selectors`);
    return null;
  }
  const before = errors.length;
  for (const [index, selector] of selectors.entries()) {
    readSelector(selector, `${at}.selector[${index}]`, reading, false, 0, errors, warnings);
  }
  return errors.length === before ? reading : null;
}

function readSelector(
  raw: unknown,
  at: string,
  reading: TargetReading,
  inFragment: boolean,
  depth: number,
  errors: string[],
  warnings: string[],
): void {
  if (depth > MAX_SELECTOR_DEPTH) {
    errors.push(`${at}: selectors nested too deeply`);
    return;
  }
  if (!isObject(raw)) {
    errors.push(`${at}: a selector must be an object`);
    return;
  }
  const type = typeof raw.type === "string" ? raw.type.replace(/^oa:/, "") : null;
  let refines = inFragment;
  switch (type) {
    case "FragmentSelector": {
      const value = typeof raw.value === "string" ? raw.value.replace(/^#/, "") : null;
      if (value && PARAGRAPH_FRAGMENT.test(value)) {
        if (reading.fragment && reading.fragment !== value) errors.push(`${at}: selects ${value}, another selector ${reading.fragment}`);
        reading.fragment = value;
        refines = true;
      } else {
        warnings.push(`${at}: FragmentSelector ${JSON.stringify(raw.value)} is not a paragraph (p-N); ignored`);
        return;
      }
      break;
    }
    case "TextQuoteSelector": {
      const { exact, prefix, suffix } = raw;
      if (typeof exact !== "string" || !exact) {
        errors.push(`${at}.exact: must be a non-empty string`);
        return;
      }
      if (exact.length > MAX_IMPORT_QUOTE_LENGTH) {
        errors.push(`${at}.exact: longer than ${MAX_IMPORT_QUOTE_LENGTH} characters`);
        return;
      }
      if ((prefix !== undefined && typeof prefix !== "string") || (suffix !== undefined && typeof suffix !== "string")) {
        errors.push(`${at}: prefix and suffix must be strings`);
        return;
      }
      const quote = { exact, prefix: (prefix ?? "").slice(-256), suffix: (suffix ?? "").slice(0, 256) };
      if (reading.quote && reading.quote.exact !== quote.exact) errors.push(`${at}: quotes a different passage than another selector`);
      reading.quote ??= quote;
      break;
    }
    case "TextPositionSelector": {
      const { start, end } = raw;
      if (!isCount(start) || !isCount(end) || start > end) {
        errors.push(`${at}: start and end must be integers with 0 ≤ start ≤ end`);
        return;
      }
      // A position is only ours to use within the paragraph: Hypothesis' positions count from
      // the start of the whole page (and in UTF-16 units), so a top-level one is only a warning.
      if (inFragment) reading.position ??= { start, end };
      else warnings.push(`${at}: TextPositionSelector outside a paragraph fragment ignored`);
      break;
    }
    default:
      // RangeSelector, XPathSelector, CssSelector, SvgSelector …: describe a page we do not serve.
      warnings.push(`${at}: ${type ?? "untyped"} selector ignored`);
      return;
  }
  const refinements = list(raw.refinedBy);
  if (refinements.length > MAX_LIST_ITEMS) {
    errors.push(`${at}.refinedBy: too many selectors`);
    return;
  }
  for (const [index, child] of refinements.entries()) {
    readSelector(child, `${at}.refinedBy[${index}]`, reading, refines, depth + 1, errors, warnings);
  }
}

type BodySink = {
  texts: string[];
  tags: string[];
  errors: string[];
  warnings: string[];
  setLanguage: (language: string) => void;
};

function readBody(raw: unknown, at: string, sink: BodySink, depth = 0): void {
  if (typeof raw === "string") {
    // A string body is an IRI in the model (an External Web Resource): kept as a link.
    if (isIri(raw)) sink.texts.push(`<${raw}>`);
    else sink.errors.push(`${at}: a string body must be an IRI (use a TextualBody for text)`);
    return;
  }
  if (!isObject(raw)) {
    sink.errors.push(`${at}: must be an IRI or an object`);
    return;
  }
  const types = list(raw.type).map((t) => (typeof t === "string" ? t.replace(/^oa:/, "") : t));
  if ((types.includes("Choice") || types.includes("Composite") || types.includes("List")) && depth === 0) {
    // A Choice offers alternatives: the first readable one. Sets: every item.
    const items = list(raw.items).slice(0, MAX_LIST_ITEMS);
    const pick = types.includes("Choice") ? items.slice(0, 1) : items;
    for (const [index, item] of pick.entries()) readBody(item, `${at}.items[${index}]`, sink, depth + 1);
    return;
  }
  const value = raw.value ?? raw["rdf:value"];
  const isTextual = types.includes("TextualBody") || (types.length === 0 && value !== undefined);
  if (!isTextual) {
    sink.warnings.push(`${at}: ${String(types[0] ?? "untyped")} body ignored`);
    return;
  }
  if (typeof value !== "string") {
    sink.errors.push(`${at}.value: a TextualBody needs a string value`);
    return;
  }
  const purposes = list(raw.purpose);
  if (purposes.includes("tagging") || purposes.includes("oa:tagging")) {
    sink.tags.push(value);
    return;
  }
  const format = typeof raw.format === "string" ? raw.format.toLowerCase() : "text/markdown";
  sink.texts.push(format === "text/html" ? htmlToText(value) : value);
  const language = firstOf(raw.language);
  if (typeof language === "string" && /^[a-z]{2,3}(-[a-z0-9]{1,8})*$/i.test(language)) sink.setLanguage(language.toLowerCase());
}

/** Crude: an HTML body becomes its text (the note renders Markdown; no HTML is ever kept). */
function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/p>/gi, "\n\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

function splitFragment(iri: string): { source: string; fragment: string | null } {
  const hash = iri.indexOf("#");
  if (hash === -1) return { source: iri, fragment: null };
  const fragment = iri.slice(hash + 1);
  return PARAGRAPH_FRAGMENT.test(fragment) ? { source: iri.slice(0, hash), fragment } : { source: iri, fragment: null };
}

function optionalIri(value: unknown, at: string, errors: string[]): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "string" && isIri(value)) return value;
  errors.push(`${at}: not an IRI`);
  return null;
}

function isIri(value: string): boolean {
  if (value.length > 2_048 || /\s/.test(value)) return false;
  return /^[a-z][a-z0-9+.-]*:\S+$/i.test(value);
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 10_000_000;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function firstOf(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

function pathText(path: (string | number)[]): string {
  return path.length ? path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("").replace(/^\./, "") : "(root)";
}
