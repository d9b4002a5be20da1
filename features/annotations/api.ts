import "server-only";
import { loadReadableArticle } from "@/features/articles/loaders";
import { pickTranslation } from "@/features/articles/schema";
import { NOTE_WRITE_BUCKET } from "@/features/notes/api";
import {
  ACCEPT_POST,
  ALLOWED_REQUEST_HEADERS,
  ANNOTATION_ALLOW,
  ANNOTATION_LINKS,
  ANNOTATION_VARY,
  annotationEtag,
  CONTAINER_ALLOW,
  CONTAINER_LINKS,
  CONTAINER_VARY,
  contentEtag,
  contentTypeFor,
  EXPOSED_HEADERS,
  ifMatchVersions,
  ifNoneMatchHits,
  LDP_CONSTRAINED_BY,
  LDP_CONTEXT,
  negotiateFormat,
  parsePrefer,
  PROTOCOL_SPEC,
  slugId,
  type Format,
} from "@/lib/annotations/protocol";
import { ANNO_CONTEXT, annotationIriFor, containerIriFor, TAIYAKU_CONTEXT, toWebAnnotation, type WebAnnotation } from "@/lib/annotations/web-annotation";
import { invalidatePublicNotes } from "@/lib/cache-tags";
import { defineEndpoint, type EndpointContext } from "@/lib/http/endpoint";
import { fail } from "@/lib/http/responses";
import { siteUrl } from "@/lib/site-url";
import { getContainerStats, getArticleSlug, listContainerPage, getProtocolNote } from "./data";
import { deleteAnnotation, postAnnotation, putAnnotation, type AnchorReason, type ContainerArticle, type WriteResult } from "./mutations";
import { annotationBodySchema, containerQuerySchema, MAX_ANNOTATION_BYTES, PAGE_SIZE } from "./schema";
import type { ContainerStats, ContainerView, ProtocolNote } from "./types";

// The W3C Web Annotation Protocol (REC 2017) over the notes (ADR 0029): one LDP Basic Container
// per article at /api/annotations/{slug}/ (an AnnotationCollection of AnnotationPages), each
// annotation at /api/annotations/{slug}/{noteId}. Endpoints of the one pipeline
// (lib/http/endpoint.ts): it authenticates (cookie or personal API token: read scope for reads,
// write for writes), checks the origin of cookie writes, parses JSON-LD bodies and spends the
// notes' rate limit. Visibility is the notes' rule, applied in data.ts.

const site = () => siteUrl().href.replace(/\/+$/, "");

type Ctx = EndpointContext<"Annotations", string, unknown, unknown, "optional" | "writer">;

// ---- responses ---------------------------------------------------------------------------------

/** An error envelope (lib/http/responses.ts) with a status the shared code table does not know. */
function refuse(status: number, code: string, message: string, extra: Record<string, unknown> = {}): Response {
  const response = fail(code, message, extra);
  return new Response(response.body, { status, headers: response.headers });
}

function notAcceptable(ctx: Pick<Ctx, "t">): Response {
  return refuse(406, "not_acceptable", ctx.t("errors.notAcceptable"));
}

/**
 * A JSON-LD answer to GET/HEAD (or a write's new state). Caller-dependent: private to the caller
 * and revalidated with its ETag (304 for a matching If-None-Match).
 */
function documentResponse(
  request: Request,
  doc: WebAnnotation,
  options: { format: Format; status?: number; etag?: string; vary: string; headers?: Record<string, string> },
): Response {
  const body = JSON.stringify(doc);
  const etag = options.etag ?? contentEtag(`${options.format}\n${body}`);
  const headers = new Headers({
    "content-type": contentTypeFor(options.format),
    etag,
    vary: options.vary,
    "cache-control": "private, no-cache",
    ...options.headers,
  });
  const read = request.method === "GET" || request.method === "HEAD";
  if (read && ifNoneMatchHits(request.headers.get("if-none-match"), etag)) {
    headers.delete("content-type");
    return new Response(null, { status: 304, headers });
  }
  return new Response(request.method === "HEAD" ? null : body, { status: options.status ?? 200, headers });
}

/** The annotation as JSON-LD: the model mapping plus the `canonical` a client gave. */
function annotationDocument(note: ProtocolNote, slug: string): WebAnnotation {
  return toWebAnnotation(note, { siteUrl: site(), articleSlug: slug });
}

const ANCHOR_MESSAGES: Record<AnchorReason, "noFragmentOrQuote" | "fragmentNotFound" | "quoteNotFound" | "wrongLanguage" | "wrongArticle" | "unknownSource" | "parentNotFound"> = {
  no_fragment_or_quote: "noFragmentOrQuote",
  fragment_not_found: "fragmentNotFound",
  quote_not_found: "quoteNotFound",
  wrong_language: "wrongLanguage",
  wrong_article: "wrongArticle",
  unknown_source: "unknownSource",
  parent_not_found: "parentNotFound",
};

async function writeFailure(ctx: Pick<Ctx, "t" | "notFound">, result: Exclude<WriteResult, { ok: true }>): Promise<Response> {
  const t = ctx.t;
  switch (result.code) {
    case "invalid_annotation":
      return refuse(400, "invalid_annotation", t("errors.invalidAnnotation", { errors: result.errors.slice(0, 5).join("; ") }), { errors: result.errors.slice(0, 20) });
    case "not_anchored":
      return refuse(422, "not_anchored", t(`errors.${ANCHOR_MESSAGES[result.reason]}`), { reason: result.reason });
    case "already_posted": {
      const slug = await getArticleSlug(result.articleId);
      const iri = annotationIriFor(containerIriFor(site(), slug ?? ""), result.noteId);
      return refuse(409, "already_posted", t("errors.alreadyPosted", { iri }), { existing: iri });
    }
    case "immutable":
      return refuse(409, "immutable", t("errors.immutable", { field: result.field }), { field: result.field });
    case "unsupported_tag":
      return refuse(422, "unsupported_tag", t("errors.unsupportedTag"));
    case "body_required":
      return refuse(422, "validation", t("errors.bodyRequired"));
    case "reply_body_required":
      return refuse(422, "validation", t("errors.replyBodyRequired"));
    case "too_long":
      return refuse(422, "validation", t("errors.tooLong"));
    case "email_unverified":
      return refuse(422, "validation", t("errors.emailUnverified"));
    case "group_not_found":
      return refuse(422, "group_not_found", t("errors.groupNotFound"));
    case "locked":
      return refuse(423, "locked", t("errors.locked"));
    case "gone":
      return refuse(410, "gone", t("errors.gone"));
    case "not_author":
      return refuse(403, "forbidden", t("errors.notAuthor"));
    case "precondition_failed":
      return refuse(412, "precondition_failed", t("errors.preconditionFailed"));
    case "not_found":
      return ctx.notFound();
  }
}

function articleTitle(article: { translations: { locale: string; title: string }[]; originalLocale: string }, locale: string): string {
  return pickTranslation(article.translations, locale, article.originalLocale)?.title ?? "";
}

// ---- the container -------------------------------------------------------------------------------

type ContainerIris = {
  container: string;
  /** The collection as seen with embedded descriptions (iris=0) or IRIs (iris=1). */
  collection: (iris: boolean) => string;
  representation: (view: ContainerView) => string;
  page: (iris: boolean, page: number) => string;
};

function containerIris(slug: string): ContainerIris {
  const container = containerIriFor(site(), slug);
  const collection = (iris: boolean) => `${container}?iris=${iris ? 1 : 0}`;
  return {
    container,
    collection,
    representation: (view) => (view.minimal ? `${collection(view.iris)}&minimal=1` : collection(view.iris)),
    page: (iris, page) => `${collection(iris)}&page=${page}`,
  };
}

function pageItems(notes: ProtocolNote[], slug: string, iris: boolean, container: string) {
  return notes.map((note) => {
    if (iris) return annotationIriFor(container, note.id);
    // Embedded: the page's own @context applies (it carries ours too).
    const { "@context": _context, ...rest } = annotationDocument(note, slug);
    return rest;
  });
}

const lastPageOf = (stats: ContainerStats) => Math.max(0, Math.ceil(stats.total / PAGE_SIZE) - 1);

/** GET/HEAD /api/annotations/{slug}/ — the container (three representations) or one of its pages. */
export const getContainer = defineEndpoint(
  {
    summary: "W3C Web Annotation Protocol: an article's annotation container (AnnotationCollection with ?iris, ?minimal) or one of its pages (?page=N), as the caller may see them.",
    messages: "Annotations",
    auth: "optional",
    tokens: "read",
    params: { slug: "slug" },
    query: containerQuerySchema,
    produces: ["application/ld+json", "application/json"],
  },
  async (ctx) => {
    const { request, query, viewer, params } = ctx;
    const format = negotiateFormat(request.headers.get("accept"));
    if (!format) return notAcceptable(ctx);
    const article = await loadReadableArticle(params.slug, viewer);
    if (!article) return ctx.notFound();
    // The container's IRI ends in "/" (protocol §4). Next routes the slash-less address here too;
    // it is answered the same, and Content-Location names the IRI with the slash.
    const iris = containerIris(article.slug);

    // The query names a representation; without one, the Prefer header picks it (protocol
    // §4.2.1), and the answer says at which IRI that representation lives (Content-Location).
    const named = query.iris !== undefined || query.minimal !== undefined || query.page !== undefined;
    const prefer = named ? null : parsePrefer(request.headers.get("prefer"));
    const view: ContainerView = named ? { iris: query.iris === "1", minimal: query.minimal === "1" } : { iris: prefer?.iris ?? false, minimal: prefer?.minimal ?? false };
    const viewerId = viewer?.id ?? null;
    const stats = await getContainerStats(article.id, viewerId);
    const last = lastPageOf(stats);
    const modified: Record<string, string> = stats.modified ? { modified: stats.modified.toISOString() } : {};

    if (query.page !== undefined) {
      if (query.page > last) return ctx.notFound();
      const notes = await listContainerPage(article.id, viewerId, query.page * PAGE_SIZE, PAGE_SIZE);
      const id = iris.page(view.iris, query.page);
      const doc: WebAnnotation = {
        "@context": [ANNO_CONTEXT, { ...TAIYAKU_CONTEXT }],
        id,
        type: "AnnotationPage",
        // partOf as an object: a client learns the collection's size and age from any page.
        partOf: {
          id: iris.collection(view.iris),
          total: stats.total,
          ...modified,
          ...(stats.total ? { first: iris.page(view.iris, 0), last: iris.page(view.iris, last) } : ({} as Record<string, string>)),
        },
        startIndex: query.page * PAGE_SIZE,
        ...(query.page < last ? { next: iris.page(view.iris, query.page + 1) } : {}),
        ...(query.page > 0 ? { prev: iris.page(view.iris, query.page - 1) } : {}),
        items: pageItems(notes, article.slug, view.iris, iris.container),
      };
      // A page is not a container: it is only constrained by the protocol (no LDP type).
      return documentResponse(request, doc, { format, vary: CONTAINER_VARY, headers: { "content-location": id, link: `<${PROTOCOL_SPEC}>; rel="${LDP_CONSTRAINED_BY}"` } });
    }

    const id = iris.representation(view);
    const doc: WebAnnotation = {
      "@context": [ANNO_CONTEXT, LDP_CONTEXT, { ...TAIYAKU_CONTEXT }],
      id,
      type: ["BasicContainer", "AnnotationCollection"],
      label: ctx.t("containerLabel", { title: articleTitle(article, ctx.locale) }),
      total: stats.total,
      ...modified,
    };
    if (stats.total > 0) {
      if (view.minimal) {
        doc.first = iris.page(view.iris, 0);
      } else {
        const notes = await listContainerPage(article.id, viewerId, 0, PAGE_SIZE);
        doc.first = {
          id: iris.page(view.iris, 0),
          type: "AnnotationPage",
          startIndex: 0,
          ...(last > 0 ? { next: iris.page(view.iris, 1) } : {}),
          items: pageItems(notes, article.slug, view.iris, iris.container),
        };
      }
      doc.last = iris.page(view.iris, last);
    }
    const headers: Record<string, string> = { "content-location": id };
    if (prefer) headers["preference-applied"] = "return=representation";
    return documentResponse(request, doc, { format, vary: CONTAINER_VARY, headers });
  },
);

function containerArticle(article: ContainerArticle): ContainerArticle {
  return { id: article.id, slug: article.slug, sourceUrl: article.sourceUrl, paragraphs: article.paragraphs };
}

const writer = { messages: "Annotations", auth: "writer", writeLimit: { key: "notes", bucket: NOTE_WRITE_BUCKET }, tokens: "write" } as const;

/** POST /api/annotations/{slug}/ — a new annotation, anchored on the article's words. */
export const postToContainer = defineEndpoint(
  {
    ...writer,
    summary: "W3C Web Annotation Protocol: create an annotation in an article's container (201 + Location); it anchors on the paragraph and words its selectors name, private unless it says otherwise.",
    params: { slug: "slug" },
    body: annotationBodySchema,
    jsonLd: true,
    maxBytes: MAX_ANNOTATION_BYTES,
    produces: ["application/ld+json", "application/json"],
  },
  async (ctx) => {
    const { request, viewer, params } = ctx;
    const format = negotiateFormat(request.headers.get("accept"));
    if (!format) return notAcceptable(ctx);
    const article = await loadReadableArticle(params.slug, viewer);
    if (!article) return ctx.notFound();
    const result = await postAnnotation(viewer, containerArticle(article), ctx.body, { siteUrl: site(), slug: slugId(request.headers.get("slug")) });
    if (!result.ok) return writeFailure(ctx, result);
    if (result.note.visibility === "public") invalidatePublicNotes(article.id);
    const iri = annotationIriFor(containerIriFor(site(), article.slug), result.note.id);
    return documentResponse(request, annotationDocument(result.note, article.slug), {
      format,
      status: result.created ? 201 : 200,
      etag: annotationEtag(result.note.id, result.note.version),
      vary: ANNOTATION_VARY,
      headers: { location: iri, "content-location": iri },
    });
  },
);

// ---- one annotation ------------------------------------------------------------------------------

const annotationParams = { slug: "slug", id: "uuid" } as const;

/** GET/HEAD /api/annotations/{slug}/{id} */
export const getAnnotation = defineEndpoint(
  {
    summary: "W3C Web Annotation Protocol: one annotation as JSON-LD (ETag \"{id}-v{version}\"); 410 once deleted, 404 for what the caller may not see.",
    messages: "Annotations",
    auth: "optional",
    tokens: "read",
    params: annotationParams,
    produces: ["application/ld+json", "application/json"],
  },
  async (ctx) => {
    const { request, viewer, params } = ctx;
    const format = negotiateFormat(request.headers.get("accept"));
    if (!format) return notAcceptable(ctx);
    const article = await loadReadableArticle(params.slug, viewer);
    if (!article) return ctx.notFound();
    const note = await getProtocolNote(article.id, params.id, viewer?.id ?? null);
    if (!note) return ctx.notFound();
    if (note.deleted) return refuse(410, "gone", ctx.t("errors.gone"));
    const iri = annotationIriFor(containerIriFor(site(), article.slug), note.id);
    return documentResponse(request, annotationDocument(note, article.slug), {
      format,
      etag: annotationEtag(note.id, note.version),
      vary: ANNOTATION_VARY,
      headers: { "content-location": iri },
    });
  },
);

/** PUT /api/annotations/{slug}/{id} — the annotation's new state (its text and tag). */
export const putAnnotationEndpoint = defineEndpoint(
  {
    ...writer,
    summary: "W3C Web Annotation Protocol: replace an annotation's state (its text and tag) by its author; If-Match with the ETag guards against lost updates (412).",
    params: annotationParams,
    body: annotationBodySchema,
    jsonLd: true,
    maxBytes: MAX_ANNOTATION_BYTES,
    produces: ["application/ld+json", "application/json"],
  },
  async (ctx) => {
    const { request, viewer, params } = ctx;
    const format = negotiateFormat(request.headers.get("accept"));
    if (!format) return notAcceptable(ctx);
    const article = await loadReadableArticle(params.slug, viewer);
    if (!article) return ctx.notFound();
    const ifMatch = ifMatchVersions(request.headers.get("if-match"), params.id);
    const result = await putAnnotation(viewer, containerArticle(article), params.id, ctx.body, { siteUrl: site(), ifMatch });
    if (!result.ok) return writeFailure(ctx, result);
    if (result.note.visibility === "public") invalidatePublicNotes(article.id);
    return documentResponse(request, annotationDocument(result.note, article.slug), {
      format,
      etag: annotationEtag(result.note.id, result.note.version),
      vary: ANNOTATION_VARY,
      headers: { "content-location": annotationIriFor(containerIriFor(site(), article.slug), result.note.id) },
    });
  },
);

/** DELETE /api/annotations/{slug}/{id} — 204; afterwards 410 here and gone from the container. */
export const deleteAnnotationEndpoint = defineEndpoint(
  {
    ...writer,
    summary: "W3C Web Annotation Protocol: delete an annotation by its author (204); If-Match with the ETag guards against deleting a newer state (412).",
    params: annotationParams,
    produces: [],
  },
  async (ctx) => {
    const { request, viewer, params } = ctx;
    const article = await loadReadableArticle(params.slug, viewer);
    if (!article) return ctx.notFound();
    const ifMatch = ifMatchVersions(request.headers.get("if-match"), params.id);
    const result = await deleteAnnotation(viewer, containerArticle(article), params.id, ifMatch);
    if (!result.ok) return writeFailure(ctx, result);
    if (result.note.visibility === "public") invalidatePublicNotes(article.id);
    return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
  },
);

// ---- route decoration ----------------------------------------------------------------------------

type Handler = (request: Request, context: never) => Promise<Response>;

/**
 * The headers every protocol answer carries, whoever produced it (the handler or a refusal of
 * the pipeline): the container's Link types on ALL its responses (protocol §4.1), Allow,
 * Accept-Post, Vary, and for token requests (the only cross-origin ones) the protocol's headers
 * exposed and allowed. OPTIONS answers 200 (the protocol's test suite expects it) with them.
 * The pipeline still runs every request: the decorated handlers keep its metadata.
 */
export function protocolRoute<H extends Record<string, Handler>>(kind: "container" | "annotation", handlers: H): H {
  const decorated = {} as Record<string, Handler>;
  for (const [method, handler] of Object.entries(handlers)) {
    const wrapped = async (request: Request, context: never) => decorate(await handler(request, context), kind, request.method);
    // Object.assign copies the pipeline's marker (an enumerable symbol): pipelineMeta still sees it.
    decorated[method] = Object.assign(wrapped, handler);
  }
  return decorated as H;
}

function decorate(response: Response, kind: "container" | "annotation", method: string): Response {
  const headers = new Headers(response.headers);
  const success = response.status < 400 || response.status === 412;
  if (!headers.has("link") && (kind === "container" || success)) headers.set("link", kind === "container" ? CONTAINER_LINKS : ANNOTATION_LINKS);
  headers.set("allow", kind === "container" ? CONTAINER_ALLOW : ANNOTATION_ALLOW);
  if (kind === "container") headers.set("accept-post", ACCEPT_POST);
  headers.set("vary", mergeVary(headers.get("vary"), kind === "container" ? CONTAINER_VARY : ANNOTATION_VARY));
  if (headers.has("access-control-allow-origin")) {
    headers.set("access-control-expose-headers", EXPOSED_HEADERS);
    if (headers.has("access-control-allow-headers")) headers.set("access-control-allow-headers", ALLOWED_REQUEST_HEADERS);
  }
  const status = method === "OPTIONS" && response.status === 204 ? 200 : response.status;
  return new Response(response.body, { status, headers });
}

function mergeVary(current: string | null, ours: string): string {
  const names = [...ours.split(","), ...(current ?? "").split(",")].map((n) => n.trim()).filter(Boolean);
  const seen = new Set<string>();
  return names.filter((n) => !seen.has(n.toLowerCase()) && seen.add(n.toLowerCase())).join(", ");
}
