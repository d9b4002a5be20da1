import { createHash } from "node:crypto";

// The HTTP side of the W3C Web Annotation Protocol (REC 2017) that does not need a database:
// content negotiation, the Prefer header, entity tags and the fixed headers of containers and
// annotations. Pure, so every rule is unit-tested here; features/annotations answers with them
// (ADR 0029).

/** The media type the protocol requires (with the SHOULD profile). */
export const ANNO_PROFILE = "http://www.w3.org/ns/anno.jsonld";
export const ANNO_MEDIA_TYPE = `application/ld+json; profile="${ANNO_PROFILE}"`;
export const LDP_CONTEXT = "http://www.w3.org/ns/ldp.jsonld";

export const LDP_RESOURCE = "http://www.w3.org/ns/ldp#Resource";
export const LDP_BASIC_CONTAINER = "http://www.w3.org/ns/ldp#BasicContainer";
export const OA_ANNOTATION = "http://www.w3.org/ns/oa#Annotation";
export const PROTOCOL_SPEC = "http://www.w3.org/TR/annotation-protocol/";
export const LDP_CONSTRAINED_BY = "http://www.w3.org/ns/ldp#constrainedBy";
export const ANNOTATION_SERVICE_REL = "http://www.w3.org/ns/oa#annotationService";

export const PREFER_MINIMAL = "http://www.w3.org/ns/ldp#PreferMinimalContainer";
export const PREFER_IRIS = "http://www.w3.org/ns/oa#PreferContainedIRIs";
export const PREFER_DESCRIPTIONS = "http://www.w3.org/ns/oa#PreferContainedDescriptions";

export const CONTAINER_ALLOW = "GET, HEAD, OPTIONS, POST";
export const ANNOTATION_ALLOW = "GET, HEAD, OPTIONS, PUT, DELETE";
/** What a container accepts in a POST (LDP Accept-Post): JSON-LD only, as for reads. */
export const ACCEPT_POST = `${ANNO_MEDIA_TYPE}, application/ld+json, application/json`;

/** Everything a response depends on: the format, the container preference, who asks, their language. */
export const CONTAINER_VARY = "Accept, Prefer, Authorization, Cookie, Accept-Language";
export const ANNOTATION_VARY = "Accept, Authorization, Cookie";

export const CONTAINER_LINKS = [`<${LDP_BASIC_CONTAINER}>; rel="type"`, `<${PROTOCOL_SPEC}>; rel="${LDP_CONSTRAINED_BY}"`].join(", ");
export const ANNOTATION_LINKS = [`<${LDP_RESOURCE}>; rel="type"`, `<${OA_ANNOTATION}>; rel="type"`].join(", ");

/** Headers a protocol response exposes to scripts on other origins (token requests only get CORS). */
export const EXPOSED_HEADERS = "ETag, Allow, Vary, Link, Location, Content-Location, Accept-Post, WWW-Authenticate, Retry-After, X-Request-Id";
/** Request headers a cross-origin script may send (CORS preflight). */
export const ALLOWED_REQUEST_HEADERS = "Authorization, Content-Type, Accept, Prefer, If-Match, If-None-Match, Slug";

// ---- content negotiation ------------------------------------------------------------------------

export type Format = "jsonld" | "json";

type MediaRange = { type: string; subtype: string; q: number; profiles: string[] | null; order: number };

function parseAccept(header: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const [order, part] of header.split(",").entries()) {
    const [range, ...params] = part.split(";").map((s) => s.trim());
    if (!range) continue;
    const [type, subtype] = range.toLowerCase().split("/");
    if (!type || !subtype) continue;
    let q = 1;
    let profiles: string[] | null = null;
    for (const param of params) {
      const eq = param.indexOf("=");
      if (eq === -1) continue;
      const name = param.slice(0, eq).trim().toLowerCase();
      const value = param.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1");
      if (name === "q") {
        const parsed = Number(value);
        q = Number.isFinite(parsed) ? Math.min(1, Math.max(0, parsed)) : 0;
      } else if (name === "profile") {
        // A space separated list of profile IRIs (JSON-LD 1.1 §9).
        profiles = value.split(/\s+/).filter(Boolean);
      }
    }
    ranges.push({ type, subtype, q, profiles, order });
  }
  return ranges;
}

/**
 * The format to answer in, or null (406) when the client accepts nothing we produce. JSON-LD with
 * the annotation profile is the default (no Accept, `*\/*`, `application/*`); plain
 * `application/json` is honoured for clients that ask only for it. A JSON-LD request naming
 * only profiles other than anno.jsonld, Turtle, HTML … cannot be served: 406.
 */
export function negotiateFormat(accept: string | null): Format | null {
  if (accept === null || !accept.trim()) return "jsonld";
  const ranges = parseAccept(accept);
  if (!ranges.length) return "jsonld";
  const score = (format: Format): { q: number; specificity: number; order: number } | null => {
    let best: { q: number; specificity: number; order: number } | null = null;
    for (const r of ranges) {
      let specificity = -1;
      if (format === "jsonld" && r.type === "application" && r.subtype === "ld+json") {
        if (r.profiles && !r.profiles.includes(ANNO_PROFILE)) continue;
        specificity = r.profiles ? 3 : 2;
      } else if (format === "json" && r.type === "application" && r.subtype === "json") specificity = 2;
      else if (r.type === "application" && r.subtype === "*") specificity = 1;
      else if (r.type === "*" && r.subtype === "*") specificity = 0;
      else continue;
      // The most specific range decides a type's quality (RFC 9110 §12.5.1).
      if (!best || specificity > best.specificity) best = { q: r.q, specificity, order: r.order };
    }
    return best && best.q > 0 ? best : null;
  };
  const jsonld = score("jsonld");
  const json = score("json");
  if (!jsonld && !json) return null;
  if (!json) return "jsonld";
  if (!jsonld) return "json";
  // Ties go to JSON-LD (what the protocol requires): only a client that prefers plain JSON gets it.
  if (json.q > jsonld.q || (json.q === jsonld.q && json.specificity > jsonld.specificity)) return "json";
  return "jsonld";
}

export function contentTypeFor(format: Format): string {
  return format === "jsonld" ? ANNO_MEDIA_TYPE : "application/json";
}

// ---- Prefer ----------------------------------------------------------------------------------------

export type ContainerPreference = { minimal: boolean; iris: boolean };

/**
 * The container preferences of a `Prefer: return=representation; include="…"` header (RFC 7240,
 * LDP §7.2): PreferMinimalContainer, PreferContainedIRIs, PreferContainedDescriptions. Several
 * headers or values are joined; unknown preferences are ignored. Null when the header says
 * nothing about containers (the default: contained descriptions). Asking for both IRIs and
 * descriptions (a client error, protocol §4.2.1) falls back to descriptions.
 */
export function parsePrefer(header: string | null): ContainerPreference | null {
  if (!header) return null;
  const includes: string[] = [];
  for (const preference of header.split(",")) {
    const parts = preference.split(";").map((s) => s.trim());
    if (parts[0]?.toLowerCase() !== "return=representation") continue;
    for (const param of parts.slice(1)) {
      const match = /^include\s*=\s*"?([^"]*)"?$/i.exec(param);
      if (match) includes.push(...match[1]!.split(/\s+/).filter(Boolean));
    }
  }
  const minimal = includes.includes(PREFER_MINIMAL);
  const iris = includes.includes(PREFER_IRIS) && !includes.includes(PREFER_DESCRIPTIONS);
  if (!minimal && !includes.includes(PREFER_IRIS) && !includes.includes(PREFER_DESCRIPTIONS)) return null;
  return { minimal, iris };
}

// ---- entity tags ---------------------------------------------------------------------------------

/** An annotation's strong ETag: its note id and version, so If-Match maps onto the version check. */
export function annotationEtag(noteId: string, version: number): string {
  return `"${noteId}-v${version}"`;
}

/** A strong ETag of a representation's exact bytes (containers and pages change with any note). */
export function contentEtag(body: string): string {
  return `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
}

/**
 * An `If-Match` header as the versions it allows for this note: "any" for `*`, the versions of
 * the note's own strong tags, [] when nothing can match (other notes' tags, weak tags: If-Match
 * uses the strong comparison, RFC 9110 §13.1.1), null without the header.
 */
export function ifMatchVersions(header: string | null, noteId: string): "any" | number[] | null {
  if (header === null) return null;
  if (header.trim() === "*") return "any";
  const versions: number[] = [];
  for (const tag of splitTags(header)) {
    const match = /^"([0-9a-f-]{36})-v([1-9]\d{0,9})"$/.exec(tag);
    if (match && match[1] === noteId) versions.push(Number(match[2]));
  }
  return versions;
}

/** `If-None-Match` (weak comparison, RFC 9110 §13.1.2): does it match this ETag? */
export function ifNoneMatchHits(header: string | null, etag: string): boolean {
  if (header === null) return false;
  if (header.trim() === "*") return true;
  return splitTags(header).some((tag) => tag.replace(/^W\//, "") === etag);
}

function splitTags(header: string): string[] {
  return (header.match(/(?:W\/)?"[^"]*"/g) ?? []).map((t) => t.trim());
}

// ---- Slug ----------------------------------------------------------------------------------------

/** A `Slug` header (RFC 5023 §9.7: percent-encoded UTF-8, possibly quoted) as a uuid, or null. */
export function slugId(header: string | null): string | null {
  if (!header) return null;
  let value = header.trim().replace(/^"(.*)"$/, "$1");
  try {
    value = decodeURIComponent(value);
  } catch {
    return null;
  }
  const lower = value.toLowerCase();
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(lower) ? lower : null;
}
