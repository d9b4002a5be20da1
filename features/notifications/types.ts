// What GET /api/notifications answers and the notifications page renders (client-safe).

export type NotificationDto = {
  id: string;
  kind: "reply" | "mention" | "answer" | "moderation";
  createdAt: string;
  read: boolean;
  actor: { id: string; name: string } | null;
  /** articleGroupId: set for a group reading, whose address is its members-only one (articleHref). */
  note: { id: string; excerpt: string; locale: string; articleSlug: string; articleGroupId: string | null };
  /** For kind moderation: what a moderator did and the reason the author is shown. */
  moderation: { action: string; publicReason: string } | null;
};
