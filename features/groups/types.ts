// What the groups endpoints and pages hand to components: plain serializable shapes, so client
// components never import the server's data.ts.
import type { GroupRole } from "./schema";

export type GroupSummary = { id: string; name: string; role: GroupRole; languageFocus: "en" | "ja" | null; memberCount: number };
export type GroupDetail = {
  id: string;
  name: string;
  description: string;
  languageFocus: "en" | "ja" | null;
  /** New notes from plain members wait for a group moderator's approval. */
  preModeration: boolean;
  version: number;
  createdAt: string;
  myRole: GroupRole;
};
export type GroupMemberDto = { id: string; name: string; role: GroupRole; joinedAt: string };
export type InviteDto = { id: string; createdAt: string; expiresAt: string; maxUses: number | null; uses: number; createdBy: string };
export type ActivityItem = {
  id: string;
  parentId: string | null;
  author: { id: string; name: string };
  article: { slug: string; groupId: string | null; title: string; titleLocale: string };
  paragraphNumber: number;
  locale: string;
  excerpt: string;
  createdAt: string;
};
export type ReadingArticle = { slug: string; groupId: string | null; title: string; titleLocale: string; noteCount: number; lastNoteAt: string };
/** One of the group's own readings (ADR 0019); drafts and unpublished ones only for those who edit them. */
export type GroupReading = { id: string; slug: string; groupId: string; status: "draft" | "published" | "unpublished"; publishedAt: string; title: string; titleLocale: string };

export type InviteState =
  | { status: "invalid" }
  | { status: "expired" | "revoked" | "used_up" }
  | { status: "valid"; group: { id: string; name: string }; alreadyMember: boolean };
