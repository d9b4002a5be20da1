import "server-only";
import { cache } from "react";
import { headers } from "next/headers";
import { CONTENT_LOCALES, type ArticleDocument, type ContentLocale } from "@/lib/content/article-document";
import { isUuid } from "@/lib/ids";
import { mayCreateArticle, mayPromoteArticle } from "@/lib/permissions/articles";
import { siteRoleAtLeast, type Principal } from "@/lib/permissions/core";
import { mayInGroup } from "@/lib/permissions/groups";
import { getViewer } from "@/features/accounts/data";
import type { ReaderArticle } from "@/features/articles/data";
import { listMyGroups } from "@/features/groups/data";
import { getEditorView, listEditableArticles } from "./data";
import type { DraftState, EditableArticle, EditableArticleItem } from "./types";

// What the editor's pages read (per request, never cached: drafts are for those who may edit).
// Every read goes through editableArticles in data.ts; what the viewer may not edit is null (404).

export type ManagedGroup = { id: string; name: string };

/** The groups in which the viewer may add readings (owner or moderator of a live group). */
async function managedGroups(viewerId: string): Promise<ManagedGroup[]> {
  const groups = await listMyGroups(viewerId);
  return groups.filter((group) => mayInGroup(group.role, "editReadings")).map(({ id, name }) => ({ id, name }));
}

/**
 * The list page: the articles the viewer may edit and where they may create new ones, or null
 * when they may do neither (→ 404: the editor is no page for them).
 */
export async function loadEditorList(principal: NonNullable<Principal>): Promise<{
  items: EditableArticleItem[];
  mayCreatePublic: boolean;
  groups: ManagedGroup[];
} | null> {
  const [items, groups] = await Promise.all([listEditableArticles(principal), managedGroups(principal.id)]);
  const mayCreatePublic = siteRoleAtLeast(principal.role, "editor");
  if (items.length === 0 && !mayCreatePublic && groups.length === 0) return null;
  return { items, mayCreatePublic, groups };
}

/** The new-article page: a public article (groupId null) or a reading of a group the viewer manages; null → 404. */
export async function loadNewArticle(principal: NonNullable<Principal>, groupId: string | null): Promise<{ group: ManagedGroup | null } | null> {
  if (groupId === null) return mayCreateArticle(principal, null) ? { group: null } : null;
  if (!isUuid(groupId)) return null;
  const group = (await listMyGroups(principal.id)).find((g) => g.id === groupId);
  if (!group || !mayCreateArticle(principal, group.role)) return null;
  return { group: { id: group.id, name: group.name } };
}

type EditorArticleView = { article: EditableArticle; draft: DraftState; groupName: string | null; mayPromote: boolean };

// cache() compares arguments by identity: primitives let the metadata and the page share one read.
const editorArticle = cache(async (viewerId: string, role: NonNullable<Principal>["role"], articleId: string): Promise<EditorArticleView | null> => {
  if (!isUuid(articleId)) return null;
  const principal = { id: viewerId, role };
  const view = await getEditorView(articleId, principal);
  if (!view) return null;
  const { article, draft } = view;
  const groupName = article.groupId ? ((await listMyGroups(viewerId)).find((g) => g.id === article.groupId)?.name ?? null) : null;
  return { article, draft, groupName, mayPromote: mayPromoteArticle(principal) };
});

/** The editor and the preview: the article and its draft (the live text when there is none), or null → 404. */
export function loadEditorArticle(principal: NonNullable<Principal>, articleId: string): Promise<EditorArticleView | null> {
  return editorArticle(principal.id, principal.role, articleId);
}

/**
 * A draft as the Reader's article: rows become paragraphs numbered by position, keyed by the key
 * they were loaded with or a provisional `draft-N` (publishing gives new paragraphs their keys).
 * An empty cell is left out, so the Reader says that paragraph has no text in that language.
 */
export function draftReaderArticle(article: EditableArticle, document: ArticleDocument): ReaderArticle {
  const meta = document.meta;
  const langs = CONTENT_LOCALES.filter((lang) => meta.translations[lang]);
  const seen = new Set<string>();
  const paragraphs = document.rows.map((row, index) => {
    const provisional = `draft-${index + 1}`;
    const key = row.key && !seen.has(row.key) ? row.key : provisional;
    seen.add(key);
    const text: Record<string, string> = {};
    for (const lang of langs) if (row.text[lang]?.trim()) text[lang] = row.text[lang]!;
    return { id: key, key, position: index + 1, heading: row.heading, text };
  });
  return {
    id: article.id,
    slug: article.slug || meta.slug,
    groupId: article.groupId,
    originalLocale: meta.originalLocale,
    source: meta.source,
    sourceUrl: meta.sourceUrl ?? null,
    author: meta.author ?? null,
    rightsNote: meta.rightsNote ?? null,
    publishedAt: /^\d{4}-\d{2}-\d{2}$/.test(meta.publishedAt) ? meta.publishedAt : new Date().toISOString().slice(0, 10),
    translations: langs.map((lang) => ({
      locale: lang,
      title: meta.translations[lang]!.title,
      summary: meta.translations[lang]!.summary,
      translator: meta.translations[lang]!.translator ?? null,
    })),
    paragraphs,
  };
}

/**
 * The <title> of the editor and preview pages: the draft's title in the page's language, else
 * any; null when there is none or the viewer may not edit the article (the page itself 404s).
 */
export async function loadEditorPageTitle(locale: string, articleId: string): Promise<string | null> {
  const viewer = await getViewer(await headers());
  const data = viewer ? await loadEditorArticle({ id: viewer.id, role: viewer.role }, articleId) : null;
  const translations = data?.draft.document.meta.translations;
  return translations?.[locale as ContentLocale]?.title || translations?.en?.title || translations?.ja?.title || null;
}
