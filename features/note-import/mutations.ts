import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { noteTags, MAX_BODY_LENGTH, textLocales, type NoteTag } from "@/features/notes/types";
import { requireVerifiedEmail } from "@/lib/auth/email-links";
import { anchorCandidate, articleFromSource, isAnchorFailure, type AnchorParagraph } from "@/lib/annotations/anchor-candidate";
import { fromWebAnnotation, type AnnotationCandidate } from "@/lib/annotations/web-annotation";
import { getPrisma } from "@/lib/db/prisma";
import { Prisma } from "@/lib/generated/prisma/client";
import { needsApproval } from "@/lib/permissions/groups";
import { siteUrl } from "@/lib/site-url";
import { findExistingNotes, findImportArticles, findImportGroup, isEmailUnverified, loadAnchorParagraphs, type ExistingNote, type ImportArticle } from "./data";
import { MAX_LISTED_ERRORS, readAnnotationDocument } from "./schema";
import type { NotAnchoredReason, SkipReason } from "./types";

// Importing a file of W3C Web Annotations into the caller's own notes (ADR 0031). The whole file
// is planned in memory first — parsed, deduplicated, matched to articles, anchored, threaded —
// with a few batched reads, then written in ONE transaction: a failure anywhere leaves nothing.
// A problem with one annotation is a line in the report, never a failure of the file.

export type ImportTarget = { groupId: string | null };

export type PlanLine<R extends string> = { index: number; id: string | null; code: R; detail?: string };

export type ImportOutcome =
  | { ok: true; imported: number; read: number; skipped: PlanLine<SkipReason>[]; notAnchored: PlanLine<NotAnchoredReason>[] }
  | { ok: false; code: "not_found" }
  | { ok: false; code: "malformed"; errors: string[] }
  | { ok: false; code: "conflict" }
  | { ok: false; code: "email_unverified" };

/** Rows per INSERT (one array parameter per column, so any size binds; this bounds one statement's memory). */
const INSERT_BATCH = 2_000;
/** The longest a 50,000-annotation file may hold the transaction (its INSERTs take seconds). */
const TRANSACTION_TIMEOUT_MS = 5 * 60_000;
const VIA_MAX_LENGTH = 2_000;
const NOTE_ID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

type Entry = { index: number; raw: unknown; candidate: AnnotationCandidate; keys: string[]; via: string };

/** Where a note of the thread being built is: a planned row or an existing note of the caller. */
type ThreadNode = {
  id: string;
  articleId: string;
  paragraphId: string;
  locale: string;
  rootId: string | null;
  depth: number;
  visibility: "private" | "public" | "group";
  groupId: string | null;
  usable: boolean;
  locked: boolean;
};

type NoteRow = {
  id: string;
  articleId: string;
  paragraphId: string;
  locale: string;
  authorId: string;
  kind: "annotation" | "comment";
  visibility: "private" | "group";
  groupId: string | null;
  status: "visible" | "pending";
  parentId?: string;
  rootId?: string;
  depth?: number;
  body: string;
  tag?: NoteTag | null;
  quoteExact?: string | null;
  quotePrefix?: string | null;
  quoteSuffix?: string | null;
  posStart?: number | null;
  posEnd?: number | null;
  via: string;
  articleRevision: number | null;
  createdAt: Date;
  updatedAt: Date;
};

export async function importAnnotations(author: { id: string }, document: unknown, target: ImportTarget): Promise<ImportOutcome> {
  const now = new Date();
  let status: "visible" | "pending" = "visible";
  if (target.groupId) {
    // Only a live group the caller belongs to now; anything else is the ordinary 404.
    const group = await findImportGroup(author.id, target.groupId);
    if (!group) return { ok: false, code: "not_found" };
    if (needsApproval(group.role, group.preModeration)) status = "pending";
    // As for notes written one by one (features/notes, ADR 0033): an unconfirmed address writes
    // private notes only. Private imports are always allowed.
    if (requireVerifiedEmail() && (await isEmailUnverified(author.id))) return { ok: false, code: "email_unverified" };
  }
  const visibility = target.groupId ? ("group" as const) : ("private" as const);

  const reading = readAnnotationDocument(document);
  if (!reading.ok) return { ok: false, code: "malformed", errors: reading.errors.slice(0, MAX_LISTED_ERRORS) };

  const skipped: PlanLine<SkipReason>[] = [];
  const notAnchored: PlanLine<NotAnchoredReason>[] = [];
  const entries: Entry[] = [];
  const problems: string[] = [];
  reading.items.forEach((raw, offset) => {
    const index = offset + 1;
    const parsed = fromWebAnnotation(raw);
    if (!parsed.ok) {
      problems.push(...parsed.errors.slice(0, 2).map((e) => `#${index}: ${e}`));
      const id = typeof (raw as { id?: unknown })?.id === "string" ? ((raw as { id: string }).id as string).slice(0, 2048) : null;
      skipped.push({ index, id, code: "invalid", detail: parsed.errors.slice(0, 3).join("; ") });
      return;
    }
    const candidate = parsed.annotation;
    entries.push({ index, raw, candidate, ...dedupKeys(candidate, raw) });
  });
  // Nothing in the file is an annotation we can read: the file is malformed, not "all skipped".
  if (!entries.length) return { ok: false, code: "malformed", errors: problems.slice(0, MAX_LISTED_ERRORS) };

  // ---- batched reads: the caller's earlier imports, our own IRIs, articles, paragraphs --------
  const ownPattern = new RegExp(`^${escapeRegExp(siteUrl().origin)}/api/annotations/[^/]+/(${NOTE_ID})$`, "i");
  const ownId = (iri: string) => ownPattern.exec(iri)?.[1]?.toLowerCase() ?? null;
  const lookupKeys = new Set<string>();
  const ownIds = new Set<string>();
  for (const entry of entries) {
    for (const key of [...entry.keys, entry.candidate.source]) {
      if (key.length <= VIA_MAX_LENGTH) lookupKeys.add(key);
      const own = ownId(key);
      if (own) ownIds.add(own);
    }
  }
  const existing = await findExistingNotes(author.id, [...lookupKeys], [...ownIds]);
  const existingByKey = new Map<string, ExistingNote>();
  for (const note of existing) {
    if (note.via) existingByKey.set(note.via, note);
    existingByKey.set(`own:${note.id}`, note);
  }
  const findExisting = (key: string) => existingByKey.get(key) ?? (ownId(key) ? existingByKey.get(`own:${ownId(key)}`) : undefined);

  const slugs = new Set<string>();
  const sources = new Set<string>();
  for (const { candidate } of entries) {
    const ours = articleFromSource(candidate.source);
    if (ours) slugs.add(ours.slug);
    else for (const variant of sourceVariants(candidate.source)) sources.add(variant);
  }
  const articles = await findImportArticles(author.id, [...slugs], [...sources], [...new Set(existing.map((n) => n.articleId))]);
  const bySlug = new Map(articles.map((a) => [a.slug, a]));
  const bySource = new Map<string, ImportArticle>();
  for (const article of articles) if (article.sourceUrl) bySource.set(sourceVariants(article.sourceUrl)[0]!, article);
  const paragraphs = await loadAnchorParagraphs(articles.map((a) => a.id));

  // ---- plan: duplicates, top-level notes, then replies (parents first) -------------------------
  const rows: NoteRow[] = [];
  const nodes = new Map<string, ThreadNode>();
  const register = (keys: string[], node: ThreadNode) => {
    for (const key of keys) if (!nodes.has(key)) nodes.set(key, node);
  };
  const existingNode = (note: ExistingNote): ThreadNode => ({
    id: note.id,
    articleId: note.articleId,
    paragraphId: note.paragraphId,
    locale: note.locale,
    rootId: note.rootId,
    depth: note.depth,
    visibility: note.visibility,
    groupId: note.groupId,
    // A deleted note takes no replies; nor does one on an article the caller can no longer read.
    usable: !note.deleted && articles.some((a) => a.id === note.articleId),
    locked: note.locked,
  });
  const inFile = new Set<string>();
  let replies: Entry[] = [];
  for (const entry of entries) {
    const { candidate, keys, index } = entry;
    const earlier = keys.map(findExisting).find(Boolean);
    if (earlier || keys.some((key) => inFile.has(key))) {
      skipped.push({ index, id: candidate.id, code: "duplicate" });
      if (earlier) register(keys, existingNode(earlier));
      continue;
    }
    for (const key of keys) inFile.add(key);
    const ours = articleFromSource(candidate.source);
    const article = ours ? bySlug.get(ours.slug) : bySource.get(sourceVariants(candidate.source)[0]!);
    if (!article) {
      // Not one of our articles: perhaps a reply (its target is another annotation).
      replies.push(entry);
      continue;
    }
    // An annotation made on the original page is in the article's original language.
    const locale = ours ? ours.locale : article.originalLocale;
    const anchored = anchorCandidate(candidate, paragraphs.get(article.id) ?? ([] as AnchorParagraph[]), locale);
    if (isAnchorFailure(anchored)) {
      notAnchored.push({ index, id: candidate.id, code: anchored.reason });
      continue;
    }
    const content = noteContent(candidate, anchored.quote !== null);
    if (!content) {
      skipped.push({ index, id: candidate.id, code: "empty_comment" });
      continue;
    }
    const id = randomUUID();
    rows.push({
      id,
      articleId: article.id,
      paragraphId: anchored.paragraphId,
      locale: anchored.locale,
      authorId: author.id,
      kind: anchored.quote ? "annotation" : "comment",
      visibility,
      groupId: target.groupId,
      status,
      body: content.body,
      tag: content.tag,
      quoteExact: anchored.quote?.exact ?? null,
      quotePrefix: anchored.quote?.prefix ?? null,
      quoteSuffix: anchored.quote?.suffix ?? null,
      posStart: anchored.start,
      posEnd: anchored.end,
      via: entry.via,
      articleRevision: article.revision,
      createdAt: createdAt(candidate, now),
      updatedAt: now,
    });
    register(keys, {
      id,
      articleId: article.id,
      paragraphId: anchored.paragraphId,
      locale: anchored.locale,
      rootId: null,
      depth: 0,
      visibility,
      groupId: target.groupId,
      usable: true,
      locked: false,
    });
  }

  // Replies whose parent is planned or exists; again while that attaches more (a reply to a
  // reply may come before its parent in the file).
  for (let progress = true; progress && replies.length; ) {
    progress = false;
    const waiting: Entry[] = [];
    for (const entry of replies) {
      const { candidate, index } = entry;
      const parent = nodes.get(candidate.source) ?? (findExisting(candidate.source) && existingNode(findExisting(candidate.source)!));
      if (!parent) {
        waiting.push(entry);
        continue;
      }
      progress = true;
      if (!parent.usable) {
        notAnchored.push({ index, id: candidate.id, code: "parent_missing" });
        continue;
      }
      // A thread has one audience: a reply cannot widen or move what the import was asked for.
      if (parent.visibility !== visibility || parent.groupId !== target.groupId) {
        notAnchored.push({ index, id: candidate.id, code: "parent_other_visibility" });
        continue;
      }
      if (parent.locked) {
        notAnchored.push({ index, id: candidate.id, code: "thread_locked" });
        continue;
      }
      const content = noteContent(candidate, false);
      if (!content) {
        skipped.push({ index, id: candidate.id, code: "empty_comment" });
        continue;
      }
      const id = randomUUID();
      const language = candidate.language?.split("-")[0] ?? "";
      const locale = (textLocales as readonly string[]).includes(language) ? language : parent.locale;
      const rootId = parent.rootId ?? parent.id;
      rows.push({
        id,
        articleId: parent.articleId,
        paragraphId: parent.paragraphId,
        locale,
        authorId: author.id,
        kind: "comment",
        visibility,
        groupId: target.groupId,
        status,
        parentId: parent.id,
        rootId,
        depth: parent.depth + 1,
        // Replies carry no tag of their own in the notes model: tags stay visible in the text.
        body: content.tag && !content.body.includes(`#${content.tag}`) ? `${content.body}\n\n#${content.tag}`.trim() : content.body,
        via: entry.via,
        articleRevision: articleRevisionOf(articles, parent.articleId),
        createdAt: createdAt(candidate, now),
        updatedAt: now,
      });
      register(entry.keys, { ...parent, id, rootId, depth: parent.depth + 1, usable: true, locked: false });
    }
    replies = waiting;
  }
  for (const { candidate, index } of replies) {
    const isReply = candidate.motivation.includes("replying") || ownPattern.test(candidate.source);
    notAnchored.push({ index, id: candidate.id, code: isReply ? "parent_missing" : "article_not_found" });
  }

  // ---- write: all or nothing -------------------------------------------------------------------
  try {
    await getPrisma().$transaction(
      async (tx) => {
        for (let at = 0; at < rows.length; at += INSERT_BATCH) {
          await tx.$executeRaw(insertSql(rows.slice(at, at + INSERT_BATCH)));
        }
      },
      { timeout: TRANSACTION_TIMEOUT_MS, maxWait: 10_000 },
    );
  } catch (error) {
    // Another import of the same annotations committed first (the unique (author, via) index).
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return { ok: false, code: "conflict" };
    throw error;
  }
  skipped.sort((a, b) => a.index - b.index);
  notAnchored.sort((a, b) => a.index - b.index);
  return { ok: true, imported: rows.length, read: reading.items.length, skipped, notAnchored };
}

/**
 * One INSERT of many notes, a column per array parameter (unnest): Prisma's createMany binds
 * every value separately, which made a 5,000-note import spend seconds in the client. The note
 * triggers (live events, public stats) run per row as for any insert.
 */
function insertSql(rows: NoteRow[]): Prisma.Sql {
  const column = <T>(pick: (row: NoteRow) => T) => rows.map(pick);
  return Prisma.sql`
    INSERT INTO note (id, article_id, paragraph_id, locale, author_id, kind, visibility, group_id, status, parent_id, root_id, depth,
      body, tag, quote_exact, quote_prefix, quote_suffix, pos_start, pos_end, via, article_revision, created_at, updated_at)
    SELECT id, article_id, paragraph_id, locale, author_id, kind::"NoteKind", visibility::"NoteVisibility", group_id, status::"NoteStatus",
      parent_id, root_id, depth, body, tag::"NoteTag", quote_exact, quote_prefix, quote_suffix, pos_start, pos_end, via, article_revision,
      created_at::timestamptz, updated_at::timestamptz
    FROM unnest(
      ${column((r) => r.id)}::uuid[], ${column((r) => r.articleId)}::uuid[], ${column((r) => r.paragraphId)}::uuid[],
      ${column((r) => r.locale)}::text[], ${column((r) => r.authorId)}::text[], ${column((r) => r.kind)}::text[],
      ${column((r) => r.visibility)}::text[], ${column((r) => r.groupId)}::uuid[], ${column((r) => r.status)}::text[],
      ${column((r) => r.parentId ?? null)}::uuid[], ${column((r) => r.rootId ?? null)}::uuid[], ${column((r) => r.depth ?? 0)}::int[],
      ${column((r) => r.body)}::text[], ${column((r) => r.tag ?? null)}::text[], ${column((r) => r.quoteExact ?? null)}::text[],
      ${column((r) => r.quotePrefix ?? null)}::text[], ${column((r) => r.quoteSuffix ?? null)}::text[], ${column((r) => r.posStart ?? null)}::int[],
      ${column((r) => r.posEnd ?? null)}::int[], ${column((r) => r.via)}::text[], ${column((r) => r.articleRevision)}::int[],
      ${column((r) => r.createdAt.toISOString())}::text[], ${column((r) => r.updatedAt.toISOString())}::text[]
    ) AS v(id, article_id, paragraph_id, locale, author_id, kind, visibility, group_id, status, parent_id, root_id, depth,
      body, tag, quote_exact, quote_prefix, quote_suffix, pos_start, pos_end, via, article_revision, created_at, updated_at)`;
}

/**
 * The IRIs that identify the annotation across servers (any of them already among the caller's
 * notes makes it a duplicate), and the one kept as the note's `via`: the earliest known — its
 * `canonical`, else the `via` it was itself copied from, else its id. An annotation without any
 * IRI is identified by a hash of its JSON, so importing the same file twice still skips it.
 */
function dedupKeys(candidate: AnnotationCandidate, raw: unknown): { keys: string[]; via: string } {
  const iris = [candidate.canonical, candidate.via, candidate.id].filter((iri): iri is string => iri !== null);
  let via = iris[0] ?? `urn:sha256:${sha256(JSON.stringify(raw))}`;
  if (via.length > VIA_MAX_LENGTH) via = `urn:sha256:${sha256(via)}`;
  return { keys: [...new Set([...iris, via])], via };
}

/**
 * Body and tag of the note. Our tags (question, vocabulary …) become the note's tag (the first
 * one; `questioning` means question); any other tag stays visible as `#tag` at the end of the
 * body. null: a comment with nothing to say.
 */
function noteContent(candidate: AnnotationCandidate, hasQuote: boolean): { body: string; tag: NoteTag | null } | null {
  const ours = candidate.tags.filter((t): t is NoteTag => (noteTags as readonly string[]).includes(t));
  const tag = ours[0] ?? (candidate.motivation.includes("questioning") ? "question" : null);
  const rest = candidate.tags.filter((t) => t !== tag).map((t) => `#${t.replace(/\s+/g, "-")}`);
  let body = candidate.bodyMarkdown.trim();
  const withTags = rest.length ? `${body}${body ? "\n\n" : ""}${rest.join(" ")}` : body;
  if (withTags.length <= MAX_BODY_LENGTH) body = withTags;
  if (!body && !hasQuote) return null;
  return { body, tag };
}

/**
 * Spellings of a page URL that name the same page for matching an article's `sourceUrl`: the
 * first is the normal form (no fragment, no trailing slash), then the URL as given and with a
 * trailing slash (the database compares exactly).
 */
function sourceVariants(url: string): string[] {
  const bare = url.replace(/#.*$/, "").replace(/\/+$/, "");
  return [...new Set([bare, url, `${bare}/`])];
}

/** The annotation's own creation time when it has a sensible one (not in the future), else now. */
function createdAt(candidate: AnnotationCandidate, now: Date): Date {
  const created = candidate.created ? new Date(candidate.created) : null;
  return created && created.getTime() <= now.getTime() && created.getUTCFullYear() >= 1990 ? created : now;
}

function articleRevisionOf(articles: ImportArticle[], articleId: string): number | null {
  return articles.find((a) => a.id === articleId)?.revision ?? null;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
