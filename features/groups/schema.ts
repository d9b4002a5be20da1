import { z } from "zod";
import "@/lib/zod-jitless";
import { parseKeysetCursor, type KeysetCursor } from "@/lib/http/cursor";
import { groupRoles, inviteExpiries, languageFocuses, MAX_GROUP_DESCRIPTION, MAX_GROUP_NAME, MAX_INVITE_USES, type InviteExpiry } from "./types";

// Issue messages are keys under Groups.errors in messages/*.json, so one schema speaks both
// languages. `.strict()` everywhere: a body that tries to set createdById, deletedAt or a role
// where none belongs is refused (422 unexpected_field), not silently trimmed.

export const expiryMs: Record<InviteExpiry, number> = { "1d": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000 };
export const ACTIVITY_PAGE_SIZE = 20;

// Control and bidi characters: a group name renders in headers and menus, where a bidi override
// could make it read as something else.
const UNSAFE_CHARS = /[\p{Cc}\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

const name = z
  .string({ error: "nameRequired" })
  .trim()
  .min(1, { error: "nameRequired" })
  .max(MAX_GROUP_NAME, { error: "nameTooLong" })
  .refine((value) => !UNSAFE_CHARS.test(value), { error: "nameInvalid" });
const description = z.string({ error: "invalid" }).trim().max(MAX_GROUP_DESCRIPTION, { error: "descriptionTooLong" });
// The form's "no focus" option posts an empty string; the API also takes null.
const languageFocus = z
  .union([z.enum(languageFocuses), z.literal(""), z.null()], { error: "languageFocusInvalid" })
  .transform((value) => (value ? value : null));

export const createGroupSchema = z.strictObject({
  name,
  description: description.default(""),
  languageFocus: languageFocus.default(null),
});

export const updateGroupSchema = z.strictObject({
  name,
  description,
  languageFocus,
  /** Omitted: unchanged. */
  preModeration: z.boolean().optional(),
  /** The version the editor started from; a mismatch is a 409, never a silent overwrite. */
  version: z.int({ error: "invalid" }).min(1, { error: "invalid" }),
});

export const changeRoleSchema = z.strictObject({
  role: z.enum(groupRoles, { error: "roleInvalid" }),
  /** Role changes also carry the group's version: two owners changing the roster collide loudly. */
  version: z.int({ error: "invalid" }).min(1, { error: "invalid" }),
});

export const createInviteSchema = z.strictObject({
  expiresIn: z.enum(inviteExpiries, { error: "expiryInvalid" }),
  maxUses: z
    .union([z.int({ error: "maxUsesInvalid" }).min(1, { error: "maxUsesInvalid" }).max(MAX_INVITE_USES, { error: "maxUsesInvalid" }), z.null()], {
      error: "maxUsesInvalid",
    })
    .default(null),
});

export const activityQuerySchema = z.strictObject({ cursor: z.string().max(100).optional() });
export const memberQuerySchema = z.strictObject({ q: z.string().max(80).default("") });

/** 32 random bytes in base64url: 43 characters, nothing else is a token. */
export const INVITE_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export type CreateGroupInput = z.infer<typeof createGroupSchema>;
export type UpdateGroupInput = z.infer<typeof updateGroupSchema>;
export type ChangeRoleInput = z.infer<typeof changeRoleSchema>;
export type CreateInviteInput = z.infer<typeof createInviteSchema>;

/** Activity cursor: `<ISO time>_<note id>`, the last item of the previous page. */
export function parseCursor(raw: string | undefined): KeysetCursor | null | "invalid" {
  if (!raw) return null;
  return parseKeysetCursor(raw) ?? "invalid";
}

