import { z } from "zod";
import "@/lib/zod-jitless";
import { SITE_ROLES } from "@/lib/permissions/core";

// Issue messages are keys under Admin.errors in messages/*.json (the pipeline translates them).
// `.strict()` bodies: an admin request that tries to set anything else is refused, not trimmed.

export const userStatuses = ["active", "suspended", "unverified"] as const;
export type UserStatus = (typeof userStatuses)[number];

export const groupStatuses = ["all", "live", "deleted"] as const;

export const ADMIN_PAGE_SIZE = 25;

const page = z.coerce.number().int().min(1).max(10_000).default(1);
const search = z.string().trim().max(200, { error: "queryTooLong" }).default("");
const reason = z.string().trim().max(1000, { error: "reasonTooLong" }).default("");

/** GET /api/admin/users and the Users page's filter form. */
export const usersQuerySchema = z.object({
  q: search,
  role: z.enum(SITE_ROLES).optional(),
  status: z.enum(userStatuses).optional(),
  page,
});

/** GET /api/admin/groups and the Groups page's filter form (deleted groups included by default). */
export const groupsQuerySchema = z.object({
  q: search,
  status: z.enum(groupStatuses).default("all"),
  page,
});

export const roleChangeSchema = z.strictObject({
  role: z.enum(SITE_ROLES, { error: "roleInvalid" }),
  /** Kept in the audit log (moderators only). */
  reason,
});

/** Verify an address by hand, restore a group: an optional note for the audit log. */
export const noteOnlySchema = z.strictObject({ reason });

export type UsersQuery = z.infer<typeof usersQuerySchema>;
export type GroupsQuery = z.infer<typeof groupsQuerySchema>;
