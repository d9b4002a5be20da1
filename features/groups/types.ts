// What the groups endpoints and pages hand to components: plain serializable shapes, so client
// components never import the server's data.ts.

// Zod-free limits and choices: the group forms import them (check:features keeps zod off the
// client); schema.ts builds its schemas on them.
export const MAX_GROUP_NAME = 80;
export const MAX_GROUP_DESCRIPTION = 1000;
export const groupRoles = ["owner", "moderator", "member"] as const;
export type GroupRole = (typeof groupRoles)[number];
export const languageFocuses = ["en", "ja"] as const;
export const inviteExpiries = ["1d", "7d", "30d"] as const;
export type InviteExpiry = (typeof inviteExpiries)[number];
export const MAX_INVITE_USES = 1000;

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
