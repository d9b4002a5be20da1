// What the authoring endpoints answer (the contract the editor UI calls, ADR 0020): plain
// serializable shapes, ISO date strings, so client components never import the server's data.ts.
import type { AlignmentProblem, ArticleDocument, ContentLocale } from "@/lib/content/article-document";

export type ArticleStatus = "draft" | "published" | "unpublished";

export type EditableArticleItem = {
  id: string;
  slug: string;
  status: ArticleStatus;
  groupId: string | null;
  groupName: string | null;
  /** The draft's titles when there is a draft, else the live ones. */
  titles: Partial<Record<ContentLocale, string>>;
  revision: number;
  /** Unpublished changes exist (always true for an article never published). */
  hasDraft: boolean;
  updatedAt: string;
};

export type EditableArticle = {
  id: string;
  slug: string;
  status: ArticleStatus;
  groupId: string | null;
  revision: number;
  firstPublishedAt: string | null;
};

export type DraftState = {
  document: ArticleDocument;
  /** 0: no draft is stored; the document is the live text (the first save creates the draft). */
  version: number;
  updatedAt: string;
  updatedBy: { id: string; name: string } | null;
};

export type PublishStats = { changed: boolean; kept: number; added: number; removed: number; reanchored: number; passageChanged: number };

/** A failure of an authoring mutation, before the API words it. */
export type AuthoringFailure =
  | { ok: false; code: "not_found" }
  | { ok: false; code: "slug_taken"; suggestion: string }
  /** A published article's address does not change (links, feeds and notes point to it). */
  | { ok: false; code: "slug_fixed" }
  | { ok: false; code: "stale_draft"; current: DraftState }
  | { ok: false; code: "misaligned"; problems: AlignmentProblem[] }
  | { ok: false; code: "incomplete"; problems: { field: string; message: string }[] }
  /** Promote: the article is already public. */
  | { ok: false; code: "not_group_reading" };
