import "server-only";
import { getModeratorScopes } from "@/features/moderation/data";
import { liftSchema, suspendSchema } from "@/features/moderation/schema";
import { defineEndpoint, type EndpointContext } from "@/lib/http/endpoint";
import { fail, ok } from "@/lib/http/responses";
import { siteRoleAtLeast } from "@/lib/permissions/core";
import { listGroups, listUsers } from "./data";
import { changeUserRole, liftAccountSuspension, restoreGroup, suspendAccount, verifyEmailByHand, type AdminFailure } from "./mutations";
import { groupsQuerySchema, noteOnlySchema, roleChangeSchema, usersQuerySchema } from "./schema";

// The admin console's endpoints (ADR 0034), on the one pipeline (lib/http/endpoint.ts). They
// exist for site admins only: anyone else who is signed in gets the ordinary 404, exactly like
// an address that does not exist. Writes are "writer" endpoints, so a suspended admin cannot use
// them either.

const read = { messages: "Admin", auth: "required" } as const;
const write = { messages: "Admin", auth: "writer", writeLimit: { key: "admin", bucket: { capacity: 60, refillPerSecond: 1 } } } as const;

const isAdmin = (viewer: { role: Parameters<typeof siteRoleAtLeast>[0] }) => siteRoleAtLeast(viewer.role, "admin");

function refusal(ctx: Pick<EndpointContext<"Admin", string, unknown, unknown, "writer">, "t" | "notFound">, failure: AdminFailure): Response {
  switch (failure.code) {
    case "last_admin":
      return fail("last_admin", ctx.t("errors.lastAdmin"));
    case "self_lockout":
      return fail("conflict", ctx.t("errors.selfSuspend"));
    case "invalid_state":
      return fail("conflict", ctx.t("errors.invalidState"));
    case "conflict":
      return fail("conflict", ctx.t("errors.conflict"));
    default:
      return ctx.notFound();
  }
}

/** GET /api/admin/users */
export const getUsers = defineEndpoint(
  { ...read, summary: "Site admins: accounts by name or email, role and status, with notes count, last activity and any suspension in force.", query: usersQuerySchema },
  async ({ viewer, query, notFound }) => {
    if (!isAdmin(viewer)) return notFound();
    const { users, total } = await listUsers(query);
    return ok({ users, total, page: query.page });
  },
);

/** PATCH /api/admin/users/{id} — the site role. */
export const patchUser = defineEndpoint(
  {
    ...write,
    summary: "Site admins: set an account's site role (member, moderator, editor, admin); never takes the role from the last active admin (409 last_admin). Logged.",
    params: { id: "userId" },
    body: roleChangeSchema,
  },
  async (ctx) => {
    if (!isAdmin(ctx.viewer)) return ctx.notFound();
    const result = await changeUserRole({ actor: ctx.viewer, target: { id: ctx.params.id }, role: ctx.body.role, reason: ctx.body.reason });
    if (!result.ok) return refusal(ctx, result);
    return ok({ user: { id: result.id, role: result.role, previousRole: result.previousRole } });
  },
);

/** POST /api/admin/users/{id}/email-verification — verify an address by hand. */
export const postEmailVerification = defineEndpoint(
  { ...write, summary: "Site admins: mark an account's email address verified by hand. Logged.", params: { id: "userId" }, body: noteOnlySchema, bodyOptional: true },
  async (ctx) => {
    if (!isAdmin(ctx.viewer)) return ctx.notFound();
    const result = await verifyEmailByHand(ctx.viewer, ctx.params.id, ctx.body.reason);
    return result.ok ? ok({ emailVerified: true, changed: result.changed }) : refusal(ctx, result);
  },
);

/** POST (suspend) / DELETE (lift) /api/admin/users/{id}/suspension */
export const postUserSuspension = defineEndpoint(
  {
    ...write,
    summary: "Site admins: suspend an account (not their own) for a time or until lifted, with a reason; the moderation rules apply. Logged.",
    params: { id: "userId" },
    body: suspendSchema,
  },
  async (ctx) => {
    if (!isAdmin(ctx.viewer)) return ctx.notFound();
    const result = await suspendAccount(ctx.viewer, await getModeratorScopes(ctx.viewer), ctx.params.id, ctx.body);
    return result.ok ? ok({ suspended: true }) : refusal(ctx, result);
  },
);

export const deleteUserSuspension = defineEndpoint(
  { ...write, summary: "Site admins: lift the suspension in force on an account. Logged.", params: { id: "userId" }, body: liftSchema, bodyOptional: true },
  async (ctx) => {
    if (!isAdmin(ctx.viewer)) return ctx.notFound();
    const result = await liftAccountSuspension(ctx.viewer, await getModeratorScopes(ctx.viewer), ctx.params.id, ctx.body.reason);
    return result.ok ? ok({ suspended: false }) : refusal(ctx, result);
  },
);

/** GET /api/admin/groups */
export const getGroups = defineEndpoint(
  { ...read, summary: "Site admins: study groups by name, deleted ones included, with owners, members and notes counts.", query: groupsQuerySchema },
  async ({ viewer, query, notFound }) => {
    if (!isAdmin(viewer)) return notFound();
    const { groups, total } = await listGroups(query);
    return ok({ groups, total, page: query.page });
  },
);

/** POST /api/admin/groups/{id}/restore */
export const postGroupRestore = defineEndpoint(
  { ...write, summary: "Site admins: restore a deleted study group with its members and notes. Logged.", params: { id: "uuid" }, body: noteOnlySchema, bodyOptional: true },
  async (ctx) => {
    if (!isAdmin(ctx.viewer)) return ctx.notFound();
    const result = await restoreGroup(ctx.viewer, ctx.params.id, ctx.body.reason);
    return result.ok ? ok({ restored: true, version: result.version }) : refusal(ctx, result);
  },
);
