import "server-only";
import { revalidateTag } from "next/cache";
import { invalidatePublicNotes } from "@/lib/cache-tags";
import { getPrisma } from "@/lib/db/prisma";
import { alignmentProblems, type ArticleDocument } from "@/lib/content/article-document";
import { SLUG_MAX_LENGTH } from "@/lib/content/slug";
import { Prisma } from "@/lib/generated/prisma/client";
import { mayCreateArticle, mayPromoteArticle } from "@/lib/permissions/articles";
import type { Principal } from "@/lib/permissions/core";
import { articleTags } from "@/features/articles/data";
import { applyDocument } from "@/features/revisions/mutations";
import { draftOrLive, findDraft, findEditableArticle, freeSlug, liveDocument, liveGroupRole, slugTaken } from "./data";
import { generateSlug, isValidDay, publishProblems } from "./schema";
import type { ArticleStatus, AuthoringFailure, PublishStats } from "./types";

// Writes of the editor (ADR 0020): drafts are saved with a version (a stale tab gets 409 and the
// other tab's draft, nothing is overwritten), publishing applies a draft to the live tables in
// one transaction through applyDocument (features/revisions, ADR 0018) and then invalidates the
// caches readers are served from. Authorization is here: what the viewer may not edit is not
// found (404), like anything else they may not see.

type SignedIn = NonNullable<Principal>;

/** A publish of 2,000 paragraphs re-anchors every note of the article: more than Prisma's 5 s default. */
const PUBLISH_TRANSACTION = { maxWait: 10_000, timeout: 120_000 } as const;

const today = () => new Date().toISOString().slice(0, 10);

/** The article-row fields a draft mirrors before its first publish (the table requires them). */
function draftArticleFields(document: ArticleDocument) {
  const { meta } = document;
  return {
    originalLocale: meta.originalLocale,
    source: meta.source,
    publishedAt: new Date(`${isValidDay(meta.publishedAt) ? meta.publishedAt : today()}T00:00:00Z`),
  };
}

const isUniqueViolation = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

// ---- create -------------------------------------------------------------------------------------

export type CreateResult = { ok: true; id: string; slug: string; version: number } | AuthoringFailure;

/**
 * A new article as a draft: public (editors and admins) or a reading of a group the viewer owns
 * or moderates. An empty slug is generated from the title; a generated slug that is taken gets
 * the first free suffix, a chosen one is refused with that suffix as a suggestion.
 */
export async function createArticle(principal: SignedIn, input: { groupId: string | null; document: ArticleDocument }): Promise<CreateResult> {
  const prisma = getPrisma();
  const groupRole = input.groupId ? await liveGroupRole(prisma, principal.id, input.groupId) : null;
  if (input.groupId && groupRole === null) return { ok: false, code: "not_found" };
  if (!mayCreateArticle(principal, groupRole)) return { ok: false, code: "not_found" };

  const chosen = input.document.meta.slug;
  let slug = chosen || generateSlug(input.document.meta);
  if (await slugTaken(prisma, slug)) {
    const suggestion = await freeSlug(prisma, slug, SLUG_MAX_LENGTH);
    if (chosen) return { ok: false, code: "slug_taken", suggestion };
    slug = suggestion;
  }
  const document: ArticleDocument = { ...input.document, meta: { ...input.document.meta, slug } };
  try {
    const article = await prisma.article.create({
      data: {
        slug,
        status: "draft",
        groupId: input.groupId,
        createdById: principal.id,
        ...draftArticleFields(document),
        draft: { create: { document: document as unknown as Prisma.InputJsonValue, version: 1, updatedById: principal.id } },
      },
      select: { id: true },
    });
    return { ok: true, id: article.id, slug, version: 1 };
  } catch (error) {
    // Another editor took the slug between the check and the insert.
    if (isUniqueViolation(error)) return { ok: false, code: "slug_taken", suggestion: await freeSlug(prisma, slug, SLUG_MAX_LENGTH) };
    throw error;
  }
}

// ---- drafts -------------------------------------------------------------------------------------

/**
 * The slug a document asks for, checked: "" keeps the article's; a new one is taken only before
 * the first publish (a published address is in links, feeds and notes) and only when free.
 */
async function checkSlug(
  tx: Prisma.TransactionClient,
  article: { id: string; slug: string; firstPublishedAt: Date | null },
  wanted: string,
): Promise<{ ok: true; slug: string } | AuthoringFailure> {
  const slug = wanted || article.slug;
  if (slug === article.slug) return { ok: true, slug };
  if (article.firstPublishedAt) return { ok: false, code: "slug_fixed" };
  if (await slugTaken(tx, slug, article.id)) return { ok: false, code: "slug_taken", suggestion: await freeSlug(tx, slug, SLUG_MAX_LENGTH) };
  return { ok: true, slug };
}

export type SaveResult = { ok: true; version: number; savedAt: string } | AuthoringFailure;

/** Saves the draft over `version` (0: the live text, no draft stored yet); anything else is stale. */
export async function saveDraft(principal: SignedIn, articleId: string, version: number, input: ArticleDocument): Promise<SaveResult> {
  return getPrisma().$transaction(async (tx) => {
    const article = await findEditableArticle(tx, articleId, principal);
    if (!article) return { ok: false, code: "not_found" } as const;
    const stale = async () => ({ ok: false, code: "stale_draft", current: (await draftOrLive(tx, article))! }) as const;
    const stored = await tx.articleDraft.findUnique({ where: { articleId }, select: { version: true } });
    if ((stored?.version ?? 0) !== version) return stale();

    const slug = await checkSlug(tx, article, input.meta.slug);
    if (!slug.ok) return slug;
    const document = { ...input, meta: { ...input.meta, slug: slug.slug } } as unknown as Prisma.InputJsonValue;

    let savedAt: Date;
    if (version === 0) {
      // Two tabs saving their first change at once: the insert that loses finds a row, not an error.
      const created = await tx.articleDraft.createMany({ data: [{ articleId, document, version: 1, updatedById: principal.id }], skipDuplicates: true });
      if (created.count === 0) return stale();
      savedAt = (await tx.articleDraft.findUniqueOrThrow({ where: { articleId }, select: { updatedAt: true } })).updatedAt;
    } else {
      const updated = await tx.articleDraft.updateMany({
        where: { articleId, version },
        data: { document, version: { increment: 1 }, updatedById: principal.id },
      });
      if (updated.count === 0) return stale();
      savedAt = (await tx.articleDraft.findUniqueOrThrow({ where: { articleId }, select: { updatedAt: true } })).updatedAt;
    }
    if (slug.slug !== article.slug) await tx.article.update({ where: { id: articleId }, data: { slug: slug.slug } });
    if (article.status === "draft") await tx.article.update({ where: { id: articleId }, data: draftArticleFields(input) });
    return { ok: true, version: version + 1, savedAt: savedAt.toISOString() } as const;
  });
}

export type DiscardResult = { ok: true; articleDeleted: boolean } | AuthoringFailure;

/**
 * Drops the draft: the editor goes back to the live text. An article never published has no
 * live text to go back to, so discarding its draft deletes it (nobody but its editors ever saw it).
 */
export async function discardDraft(principal: SignedIn, articleId: string): Promise<DiscardResult> {
  return getPrisma().$transaction(async (tx) => {
    const article = await findEditableArticle(tx, articleId, principal);
    if (!article) return { ok: false, code: "not_found" } as const;
    if (article.status === "draft" && article.revision === 0) {
      await tx.article.delete({ where: { id: articleId } });
      return { ok: true, articleDeleted: true } as const;
    }
    await tx.articleDraft.deleteMany({ where: { articleId } });
    return { ok: true, articleDeleted: false } as const;
  });
}

// ---- publish ------------------------------------------------------------------------------------

export type PublishResult = { ok: true; revision: number; slug: string; stats: PublishStats } | AuthoringFailure;

/**
 * Publishes the draft at `version` (0: republishes the live text, e.g. after unpublishing) in one
 * transaction: completeness and alignment, the slug, applyDocument, status, the draft dropped.
 * Caches are invalidated after the commit, so no reader is served the old text from a cache
 * refilled before it.
 */
export async function publishArticle(principal: SignedIn, articleId: string, version: number, summary: string): Promise<PublishResult> {
  const result = await getPrisma().$transaction(async (tx) => {
    // The row lock orders this against another tab's publish and against saves.
    await tx.$queryRaw`SELECT 1 FROM article WHERE id = ${articleId}::uuid FOR UPDATE`;
    const article = await findEditableArticle(tx, articleId, principal);
    if (!article) return { ok: false, code: "not_found" } as const;
    const draft = await findDraft(tx, articleId);
    if ((draft?.version ?? 0) !== version) return { ok: false, code: "stale_draft", current: (await draftOrLive(tx, article))! } as const;
    const source = draft?.document ?? (await liveDocument(tx, articleId));
    if (!source) return { ok: false, code: "not_found" } as const;

    const incomplete = publishProblems(source);
    if (incomplete.length) return { ok: false, code: "incomplete", problems: incomplete } as const;
    const misaligned = alignmentProblems(source);
    if (misaligned.length) return { ok: false, code: "misaligned", problems: misaligned } as const;
    const slug = await checkSlug(tx, article, source.meta.slug);
    if (!slug.ok) return slug;
    if (slug.slug !== article.slug) await tx.article.update({ where: { id: articleId }, data: { slug: slug.slug } });

    const document: ArticleDocument = { ...source, meta: { ...source.meta, slug: slug.slug } };
    const applied = await applyDocument(tx, { articleId, document, actorId: principal.id, summary });
    await tx.article.update({
      where: { id: articleId },
      data: { status: "published", firstPublishedAt: article.firstPublishedAt ?? new Date() },
    });
    // Only the version published: a save that slipped in after it was read stays a draft.
    if (draft) await tx.articleDraft.deleteMany({ where: { articleId, version } });
    const { revision, ...stats } = applied;
    return { ok: true, revision, slug: slug.slug, stats, previousSlug: article.slug } as const;
  }, PUBLISH_TRANSACTION);
  if (!result.ok) return result;
  const { previousSlug, ...published } = result;
  invalidateArticle(articleId, [previousSlug, published.slug]);
  return published;
}

export type StatusResult = { ok: true; status: ArticleStatus; groupId: string | null } | AuthoringFailure;

/** Hides a published article from readers (404); its text, revisions and notes are all kept. */
export async function unpublishArticle(principal: SignedIn, articleId: string): Promise<StatusResult> {
  const prisma = getPrisma();
  const article = await findEditableArticle(prisma, articleId, principal);
  if (!article) return { ok: false, code: "not_found" };
  // Conditional on the status read: an article never published stays a draft.
  await prisma.article.updateMany({ where: { id: articleId, status: "published" }, data: { status: "unpublished" } });
  const status = article.status === "published" ? "unpublished" : article.status;
  invalidateArticle(articleId, [article.slug]);
  return { ok: true, status, groupId: article.groupId };
}

/** A group reading becomes a public article (editors and admins); its group notes stay the group's. */
export async function promoteArticle(principal: SignedIn, articleId: string): Promise<StatusResult> {
  const prisma = getPrisma();
  const article = await findEditableArticle(prisma, articleId, principal);
  if (!article || !mayPromoteArticle(principal)) return { ok: false, code: "not_found" };
  if (article.groupId !== null) {
    await prisma.article.update({ where: { id: articleId }, data: { groupId: null } });
    invalidateArticle(articleId, [article.slug]);
  }
  return { ok: true, status: article.status, groupId: null };
}

// ---- caches -------------------------------------------------------------------------------------

/**
 * Everything readers are served from that shows this article: its reader data and pages, the
 * list, search's tag list, the feeds and the sitemap (all tagged articleTags.all), and its
 * public notes overlay (paragraphs and anchors may have changed). Expired at once: an
 * unpublished article must never be served again, and a publish must be visible at once.
 */
export function invalidateArticle(articleId: string, slugs: string[]): void {
  try {
    revalidateTag(articleTags.all, { expire: 0 });
    for (const slug of new Set(slugs)) revalidateTag(articleTags.one(slug), { expire: 0 });
  } catch {
    // Outside a Next request (scripts, tests) there is no cache to invalidate.
  }
  invalidatePublicNotes(articleId);
}
