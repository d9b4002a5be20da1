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

// ---- notification mail (ADR 0035) ------------------------------------------------------------

/** How often a kind of notification is mailed: on its own, in a digest, or not at all. */
export const MAIL_FREQUENCIES = ["immediate", "daily", "weekly", "never"] as const;
export type MailFrequency = (typeof MAIL_FREQUENCIES)[number];

/** One setting per kind of notification, in the order the profile shows them. */
export const MAIL_PREFERENCE_KINDS = ["replies", "mentions", "answers", "moderation"] as const;
export type MailPreferenceKind = (typeof MAIL_PREFERENCE_KINDS)[number];
export type MailPreferences = Record<MailPreferenceKind, MailFrequency>;

/** The profile's mail section: the settings, and whether mail can reach the user at all. */
export type MailSettingsDto = { preferences: MailPreferences; emailVerified: boolean };
