import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { createNote, createReply, deleteNote, editNote, type MutationResult, type NoteOrigin } from "@/features/notes/mutations";
import { createNoteSchema } from "@/features/notes/schema";
import { noteTags, type NoteTag } from "@/features/notes/types";
import { anchorCandidate, articleFromSource, isAnchorFailure, type AnchorFailure, type AnchorParagraph } from "@/lib/annotations/anchor-candidate";
import { annotationIriFor, containerIriFor, fromWebAnnotation, groupIriFor, TAIYAKU_NS, type AnnotationCandidate } from "@/lib/annotations/web-annotation";
import { isUuid } from "@/lib/ids";
import { findNoteByVia, getProtocolNote, isNoteIdTaken } from "./data";
import type { ProtocolNote } from "./types";

// Writes of the W3C Web Annotation Protocol server (ADR 0029): a POSTed, PUT or DELETEd Web
// Annotation becomes the notes' own create/edit/delete (features/notes/mutations.ts), so the
// notes' checks, rate limits, version checks, moderation and live events all apply unchanged.
// What this file adds is the mapping: where the annotation anchors (lib/annotations/
// anchor-candidate.ts), its visibility, its tag, and the protocol's `id` → `via`, `canonical`.

/** The article a container belongs to, as the reader loads it (paragraph texts per language). */
export type ContainerArticle = {
  id: string;
  slug: string;
  sourceUrl: string | null;
  paragraphs: { id: string; key: string; text: Record<string, string> }[];
};

type Author = { id: string };

export type AnchorReason = AnchorFailure["reason"] | "wrong_article" | "unknown_source" | "parent_not_found";

export type WriteResult =
  | { ok: true; note: ProtocolNote; created: boolean }
  | { ok: false; code: "invalid_annotation"; errors: string[] }
  | { ok: false; code: "not_anchored"; reason: AnchorReason }
  | { ok: false; code: "already_posted"; noteId: string; articleId: string }
  | { ok: false; code: "immutable"; field: string }
  | {
      ok: false;
      code: "unsupported_tag" | "body_required" | "reply_body_required" | "group_not_found" | "too_long" | "email_unverified" | "locked" | "not_found" | "gone" | "not_author" | "precondition_failed";
    };

/** `If-Match` as ifMatchVersions (lib/annotations/protocol.ts) read it. */
export type IfMatch = "any" | number[] | null;

// ---- create ------------------------------------------------------------------------------------

/**
 * POST to an article's container. The annotation lands on the paragraph its selectors anchor to
 * (fragment first, then quote); a reply (target = an annotation of this container) joins that
 * thread. Private unless it says otherwise (`taiyaku:visibility`, or `audience`).
 */
export async function postAnnotation(
  author: Author,
  article: ContainerArticle,
  json: unknown,
  options: { siteUrl: string; slug: string | null },
): Promise<WriteResult> {
  const parsed = fromWebAnnotation(json);
  if (!parsed.ok) return { ok: false, code: "invalid_annotation", errors: parsed.errors };
  const candidate = parsed.annotation;
  const container = containerIriFor(options.siteUrl, article.slug);

  // The client's own IRI for the annotation is kept as `via` (protocol §5.1), unique per author:
  // the same annotation posted twice is one note.
  const via = candidate.id ?? candidate.via;
  if (via) {
    const existing = await findNoteByVia(author.id, via);
    if (existing) return { ok: false, code: "already_posted", noteId: existing.id, articleId: existing.articleId };
  }
  const requestedId = options.slug && !(await isNoteIdTaken(options.slug)) ? options.slug : undefined;
  const origin: NoteOrigin = { id: requestedId, via, canonical: candidate.canonical };
  // A via gives a stable idempotency key: two concurrent POSTs of one annotation make one note.
  const idempotencyKey = via ? createHash("sha256").update(via).digest("base64url").slice(0, 43) : randomUUID();

  const parentId = replyParent(candidate.source, container, options.siteUrl);
  if (parentId !== undefined) {
    if (parentId === null) return { ok: false, code: "not_anchored", reason: "wrong_article" };
    const parent = await getProtocolNote(article.id, parentId, author.id);
    if (!parent || parent.deleted) return { ok: false, code: "not_anchored", reason: "parent_not_found" };
    if (!candidate.bodyMarkdown) return { ok: false, code: "reply_body_required" };
    const language = candidate.language?.split("-")[0];
    const locale: "en" | "ja" = language === "en" || language === "ja" ? language : parent.locale === "ja" ? "ja" : "en";
    const input = { parentId, locale, body: candidate.bodyMarkdown, idempotencyKey } as const;
    if (input.body.length > 10_000) return { ok: false, code: "too_long" };
    return finish(author, article, await withSlugRetry(origin, (o) => createReply(author, input, o)), { reply: true });
  }

  const place = locate(candidate, article);
  if ("reason" in place) return { ok: false, code: "not_anchored", reason: place.reason };
  const anchored = anchorCandidate(candidate, paragraphTexts(article), place.locale);
  if (isAnchorFailure(anchored)) return { ok: false, code: "not_anchored", reason: anchored.reason };

  const tag = tagOf(candidate);
  if (tag === false) return { ok: false, code: "unsupported_tag" };
  const audience = audienceOf(json, options.siteUrl);
  if (audience === false) return { ok: false, code: "group_not_found" };
  const body = candidate.bodyMarkdown;
  const kind = anchored.quote && anchored.start !== null && anchored.end !== null ? "annotation" : "comment";
  if (kind === "comment" && !body) return { ok: false, code: "body_required" };
  const input = createNoteSchema.safeParse({
    paragraphId: anchored.paragraphId,
    locale: anchored.locale,
    kind,
    visibility: audience.visibility,
    ...(audience.groupId ? { groupId: audience.groupId } : {}),
    body,
    tag,
    ...(kind === "annotation" ? { range: { start: anchored.start, end: anchored.end, exact: anchored.quote!.exact } } : {}),
    idempotencyKey,
  });
  if (!input.success) return { ok: false, code: "too_long" };
  return finish(author, article, await withSlugRetry(origin, (o) => createNote(author, input.data, o)), { reply: false });
}

/**
 * A Slug that was free when checked can be taken by a concurrent POST before the insert: the
 * primary key refuses it and the note is written again with an id of our own.
 */
async function withSlugRetry(origin: NoteOrigin, write: (origin: NoteOrigin) => Promise<MutationResult>): Promise<MutationResult> {
  try {
    return await write(origin);
  } catch (error) {
    if (!origin.id || !isUniqueViolation(error)) throw error;
    return write({ ...origin, id: undefined });
  }
}

function isUniqueViolation(error: unknown): boolean {
  const text = error instanceof Error ? `${error.message} ${JSON.stringify((error as { meta?: unknown }).meta ?? {})}` : "";
  return /23505|unique constraint/i.test(text);
}

async function finish(author: Author, article: ContainerArticle, result: MutationResult, options: { reply: boolean }): Promise<WriteResult> {
  if (!result.ok) {
    if (result.code === "locked") return { ok: false, code: "locked" };
    if (result.code === "not_found") return options.reply ? { ok: false, code: "not_anchored", reason: "parent_not_found" } : { ok: false, code: "group_not_found" };
    if (result.code === "validation") {
      if (result.field === "range") return { ok: false, code: "not_anchored", reason: "quote_not_found" };
      // REQUIRE_VERIFIED_EMAIL (ADR 0033): say so, not "too long".
      if (result.message === "emailUnverified") return { ok: false, code: "email_unverified" };
      return { ok: false, code: "too_long" };
    }
    return { ok: false, code: "precondition_failed" };
  }
  const note = await getProtocolNote(article.id, result.note.id, author.id);
  if (!note) throw new Error("a note just written cannot be read by its author");
  return { ok: true, note, created: result.created };
}

/**
 * For a target that is an annotation IRI on this site: the parent's id when it is in this
 * container, null when it is another container's; undefined when the target is not an annotation.
 */
function replyParent(source: string, container: string, siteUrl: string): string | null | undefined {
  if (source.startsWith(container)) {
    const rest = source.slice(container.length);
    return isUuid(rest) ? rest.toLowerCase() : undefined;
  }
  const ours = `${siteUrl.replace(/\/+$/, "")}/api/annotations/`;
  if (source.startsWith(ours) && /^[^/]+\/[0-9a-f-]{36}$/i.test(source.slice(ours.length))) return null;
  return undefined;
}

/** The language the target's source names (null: any), or why the target is not this article. */
function locate(candidate: AnnotationCandidate, article: ContainerArticle): { locale: string | null } | { reason: AnchorReason } {
  const fromSource = articleFromSource(candidate.source);
  if (fromSource) return fromSource.slug === article.slug ? { locale: fromSource.locale } : { reason: "wrong_article" };
  // An annotation made on the original publication (e.g. with Hypothesis) anchors on any language.
  if (article.sourceUrl && sameDocument(candidate.source, article.sourceUrl)) return { locale: null };
  return { reason: "unknown_source" };
}

function sameDocument(a: string, b: string): boolean {
  const normal = (iri: string) => {
    try {
      const url = new URL(iri);
      url.hash = "";
      return `${url.host}${url.pathname.replace(/\/+$/, "")}${url.search}`.toLowerCase();
    } catch {
      return iri;
    }
  };
  return normal(a) === normal(b);
}

function paragraphTexts(article: ContainerArticle): AnchorParagraph[] {
  return article.paragraphs.flatMap((p) => Object.entries(p.text).map(([locale, text]) => ({ id: p.id, key: p.key, locale, text })));
}

/** Our one tag per note: from a tagging body, or `questioning`. False for anything else. */
function tagOf(candidate: AnnotationCandidate): NoteTag | null | false {
  const tags = new Set(candidate.tags.map((t) => t.trim().toLowerCase()));
  if (candidate.motivation.includes("questioning")) tags.add("question");
  if (tags.size === 0) return null;
  const [tag] = [...tags];
  if (tags.size > 1 || !(noteTags as readonly string[]).includes(tag!)) return false;
  return tag as NoteTag;
}

const AS_PUBLIC = new Set(["https://www.w3.org/ns/activitystreams#Public", "http://www.w3.org/ns/activitystreams#Public", "as:Public"]);

/**
 * Who may read a POSTed annotation: private unless it says otherwise, with our extension term
 * (`taiyaku:visibility` "public" | "group" | "private", the group in `taiyaku:group`) or the
 * model's `audience` (ActivityStreams Public, or one of our group IRIs). False: a group that is
 * not ours or not given.
 */
function audienceOf(json: unknown, siteUrl: string): { visibility: "private" | "public" | "group"; groupId?: string } | false {
  const record = json as Record<string, unknown>;
  const groupPrefix = groupIriFor(siteUrl, "");
  const groupOf = (value: unknown): string | null => {
    const iri = typeof value === "string" ? value : value && typeof value === "object" && typeof (value as { id?: unknown }).id === "string" ? (value as { id: string }).id : null;
    if (!iri || !iri.startsWith(groupPrefix)) return null;
    const id = iri.slice(groupPrefix.length);
    return isUuid(id) ? id.toLowerCase() : null;
  };
  const stated = record["taiyaku:visibility"] ?? record[`${TAIYAKU_NS}visibility`];
  if (stated === "public" || stated === "private") return { visibility: stated };
  if (stated === "group") {
    const groupId = groupOf(record["taiyaku:group"] ?? record[`${TAIYAKU_NS}group`]);
    return groupId ? { visibility: "group", groupId } : false;
  }
  const audiences = Array.isArray(record.audience) ? record.audience : record.audience === undefined ? [] : [record.audience];
  for (const audience of audiences) {
    const iri = typeof audience === "string" ? audience : (audience as { id?: unknown } | null)?.id;
    if (typeof iri === "string" && AS_PUBLIC.has(iri)) return { visibility: "public" };
    const groupId = groupOf(audience);
    if (groupId) return { visibility: "group", groupId };
  }
  return { visibility: "private" };
}

// ---- update and delete ---------------------------------------------------------------------------

/** The author's note the request may change, with the version an If-Match allows, or why not. */
async function writable(author: Author, article: ContainerArticle, noteId: string, ifMatch: IfMatch): Promise<{ note: ProtocolNote; version: number } | WriteResult> {
  const note = await getProtocolNote(article.id, noteId, author.id);
  if (!note) return { ok: false, code: "not_found" };
  if (note.deleted) return { ok: false, code: "gone" };
  if (note.author.id !== author.id) return { ok: false, code: "not_author" };
  if (Array.isArray(ifMatch) && !ifMatch.includes(note.version)) return { ok: false, code: "precondition_failed" };
  return { note, version: note.version };
}

/**
 * PUT: the annotation's new state. Only what a note can change changes (its text and tag); a new
 * target, visibility, `via` or `canonical` is refused (409) rather than silently ignored, and a
 * stale If-Match (or an edit that lands between our read and our write) is a 412.
 */
export async function putAnnotation(
  author: Author,
  article: ContainerArticle,
  noteId: string,
  json: unknown,
  options: { siteUrl: string; ifMatch: IfMatch },
): Promise<WriteResult> {
  const found = await writable(author, article, noteId, options.ifMatch);
  if ("ok" in found) return found;
  const { note, version } = found;
  const parsed = fromWebAnnotation(json);
  if (!parsed.ok) return { ok: false, code: "invalid_annotation", errors: parsed.errors };
  const candidate = parsed.annotation;
  const container = containerIriFor(options.siteUrl, article.slug);

  if (candidate.id !== null && candidate.id !== annotationIriFor(container, note.id)) return { ok: false, code: "immutable", field: "id" };
  if (candidate.via !== null && candidate.via !== note.via) return { ok: false, code: "immutable", field: "via" };
  if (candidate.canonical !== null && candidate.canonical !== note.canonical) return { ok: false, code: "immutable", field: "canonical" };
  if (candidate.visibility !== null && candidate.visibility !== note.visibility) return { ok: false, code: "immutable", field: "taiyaku:visibility" };
  if (!sameTarget(candidate, note, article, container)) return { ok: false, code: "immutable", field: "target" };

  const tag = note.parentId ? null : tagOf(candidate);
  if (tag === false) return { ok: false, code: "unsupported_tag" };
  if (candidate.bodyMarkdown.length > 10_000) return { ok: false, code: "too_long" };
  const result = await editNote(author, note.id, { body: candidate.bodyMarkdown, tag, version });
  if (!result.ok) {
    if (result.code === "conflict") return { ok: false, code: "precondition_failed" };
    if (result.code === "validation") return { ok: false, code: note.parentId ? "reply_body_required" : "body_required" };
    return { ok: false, code: "not_found" };
  }
  const fresh = await getProtocolNote(article.id, note.id, author.id);
  return fresh ? { ok: true, note: fresh, created: false } : { ok: false, code: "not_found" };
}

/** Whether the PUT's target is where the note already is (the same thread, paragraph and words). */
function sameTarget(candidate: AnnotationCandidate, note: ProtocolNote, article: ContainerArticle, container: string): boolean {
  if (note.parentId) return candidate.source === annotationIriFor(container, note.parentId);
  const place = locate(candidate, article);
  if ("reason" in place) return false;
  const anchored = anchorCandidate(candidate, paragraphTexts(article), place.locale);
  if (isAnchorFailure(anchored)) return false;
  const paragraph = article.paragraphs.find((p) => p.id === anchored.paragraphId);
  if (paragraph?.key !== note.paragraphKey || anchored.locale !== note.locale) return false;
  if (!note.quote) return anchored.quote === null;
  return anchored.start === note.quote.start && anchored.end === note.quote.end;
}

/** DELETE: the notes' soft delete (replies keep their place); 412 on a stale If-Match. */
export async function deleteAnnotation(author: Author, article: ContainerArticle, noteId: string, ifMatch: IfMatch): Promise<WriteResult> {
  const found = await writable(author, article, noteId, ifMatch);
  if ("ok" in found) return found;
  const result = await deleteNote(author, found.note.id, found.version);
  if (!result.ok) return result.code === "conflict" ? { ok: false, code: "precondition_failed" } : { ok: false, code: "not_found" };
  return { ok: true, note: { ...found.note, deleted: true }, created: false };
}
