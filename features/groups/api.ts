import "server-only";
import { defineEndpoint, type EndpointContext } from "@/lib/http/endpoint";
import { fail, ok } from "@/lib/http/responses";
import { getGroupForMember, listActiveInvites, listGroupActivity, listGroupMembers, listMyGroups } from "./data";
import {
  changeRole,
  createGroup,
  createInvite,
  deleteGroup,
  joinByInvite,
  leaveGroup,
  removeMember,
  revokeInvite,
  updateGroup,
  type Failure,
} from "./mutations";
import { activityQuerySchema, changeRoleSchema, createGroupSchema, createInviteSchema, memberQuerySchema, parseCursor, updateGroupSchema } from "./schema";

// The groups API: endpoints of the one pipeline (lib/http/endpoint.ts) behind one-line route
// files, so the integration tests call exactly what the browser calls. Authorization lives in
// data.ts / mutations.ts; the pipeline authenticates, checks the origin, validates and
// rate-limits writes.

/** Group writes are rare and human-paced: bursts of 20, 2 a second per user. */
export const GROUP_WRITE_BUCKET = { capacity: 20, refillPerSecond: 2 };
const writer = { messages: "Groups", auth: "writer", writeLimit: { key: "groups", bucket: GROUP_WRITE_BUCKET } } as const;
const groupId = { id: "uuid" } as const;

/** fail() with a status that lib/http has no code for (410 for a spent invite). */
function withStatus(response: Response, status: number): Response {
  return new Response(response.body, { status, headers: response.headers });
}

function failure(ctx: Pick<EndpointContext<"Groups", string, unknown, unknown, "writer">, "t" | "notFound">, result: Failure): Response {
  if (result.code === "conflict") return fail("conflict", ctx.t("errors.conflict"), { current: result.current });
  if (result.code === "last_owner") return fail("last_owner", ctx.t("errors.lastOwner"));
  return ctx.notFound();
}

// ---- groups ------------------------------------------------------------------------------------

/** POST /api/groups */
export const postGroup = defineEndpoint({ ...writer, summary: "Create a study group; the caller becomes its owner.", body: createGroupSchema }, async ({ viewer, body }) => {
  const result = await createGroup(viewer, body);
  return ok({ group: result.group }, 201);
});

/** GET /api/groups/mine — the reader's layer switcher and composer list these. */
export const getMyGroups = defineEndpoint({ summary: "The caller's groups, with their role and each group's language focus.", messages: "Groups", auth: "required" }, async ({ viewer }) => {
  const groups = await listMyGroups(viewer.id);
  return ok({ groups: groups.map(({ id, name, role, languageFocus }) => ({ id, name, role, languageFocus })) });
});

/** GET /api/groups/{id} */
export const getGroup = defineEndpoint({ summary: "A group the caller belongs to, with its members (404 for non-members).", messages: "Groups", auth: "required", params: groupId }, async ({ viewer, params, notFound }) => {
  const group = await getGroupForMember(params.id, viewer.id);
  if (!group) return notFound();
  const members = (await listGroupMembers(params.id, viewer.id)) ?? [];
  return ok({ group, members });
});

/** PATCH /api/groups/{id} — owners edit name, description and language focus from a version. */
export const patchGroup = defineEndpoint({ ...writer, summary: "Owners edit a group's name, description and language focus from a known version.", params: groupId, body: updateGroupSchema }, async (ctx) => {
  const result = await updateGroup(ctx.viewer, ctx.params.id, ctx.body);
  return result.ok ? ok({ group: result.group }) : failure(ctx, result);
});

/** DELETE /api/groups/{id} — soft delete by an owner. */
export const removeGroup = defineEndpoint({ ...writer, summary: "An owner deletes a group (soft delete).", params: groupId }, async (ctx) => {
  const result = await deleteGroup(ctx.viewer, ctx.params.id);
  return result.ok ? ok({}) : failure(ctx, result);
});

/** POST /api/groups/{id}/leave */
export const postLeave = defineEndpoint({ ...writer, summary: "Leave a group (its last owner cannot).", params: groupId }, async (ctx) => {
  const result = await leaveGroup(ctx.viewer, ctx.params.id);
  return result.ok ? ok({}) : failure(ctx, result);
});

// ---- members -----------------------------------------------------------------------------------

/** GET /api/groups/{id}/members?q= — for @mention autocomplete; members only. */
export const getMembers = defineEndpoint(
  { summary: "A group's members whose names match `q`, for its members (@mention autocomplete).", messages: "Groups", auth: "required", params: groupId, query: memberQuerySchema },
  async ({ viewer, params, query, notFound }) => {
    const members = await listGroupMembers(params.id, viewer.id, query.q.trim());
    if (!members) return notFound();
    return ok({ members: members.map(({ id: userId, name, role }) => ({ id: userId, name, role })) });
  },
);

const memberParams = { id: "uuid", userId: "userId" } as const;

/** PATCH /api/groups/{id}/members/{userId} — owners change roles. */
export const patchMember = defineEndpoint({ ...writer, summary: "Owners change a member's role.", params: memberParams, body: changeRoleSchema }, async (ctx) => {
  const result = await changeRole(ctx.viewer, ctx.params.id, ctx.params.userId, ctx.body);
  return result.ok ? ok({ role: result.role, version: result.version }) : failure(ctx, result);
});

/** DELETE /api/groups/{id}/members/{userId} */
export const deleteMember = defineEndpoint({ ...writer, summary: "Remove a member from a group, as the group's roles allow.", params: memberParams }, async (ctx) => {
  const result = await removeMember(ctx.viewer, ctx.params.id, ctx.params.userId);
  return result.ok ? ok({}) : failure(ctx, result);
});

// ---- invites -----------------------------------------------------------------------------------

/** POST /api/groups/{id}/invites — the token is in this answer and nowhere else, ever. */
export const postInvite = defineEndpoint({ ...writer, summary: "Create an invite link to a group; its token is in this answer and nowhere else.", params: groupId, body: createInviteSchema }, async (ctx) => {
  const result = await createInvite(ctx.viewer, ctx.params.id, ctx.body);
  if (!result.ok) return failure(ctx, result);
  const { token, ...invite } = result.invite;
  return ok({ invite, token, path: `/${ctx.locale}/invite/${token}` }, 201);
});

/** GET /api/groups/{id}/invites — active invites, for owners and moderators. */
export const getInvites = defineEndpoint({ summary: "A group's active invites, for its owners and moderators.", messages: "Groups", auth: "required", params: groupId }, async ({ viewer, params, notFound }) => {
  const invites = await listActiveInvites(params.id, viewer.id);
  return invites ? ok({ invites }) : notFound();
});

/** DELETE /api/groups/{id}/invites/{inviteId} */
export const deleteInvite = defineEndpoint({ ...writer, summary: "Revoke a group's invite link.", params: { id: "uuid", inviteId: "uuid" } }, async (ctx) => {
  const result = await revokeInvite(ctx.viewer, ctx.params.id, ctx.params.inviteId);
  return result.ok ? ok({}) : failure(ctx, result);
});

/** POST /api/invites/{token}/join — 404 for a link that never worked, 410 for one that stopped. */
export const postJoin = defineEndpoint({ ...writer, summary: "Join a group with an invite link's token (410 for a link that expired, was revoked or is used up).", params: { token: "token" } }, async (ctx) => {
  const result = await joinByInvite(ctx.viewer, ctx.params.token);
  if (result.ok) {
    return ok(
      { groupId: result.groupId, alreadyMember: result.alreadyMember, message: result.alreadyMember ? ctx.t("invite.alreadyMember") : ctx.t("invite.joined") },
      result.alreadyMember ? 200 : 201,
    );
  }
  if (result.code === "invalid") return fail("not_found", ctx.t("invite.invalid"));
  const key = ({ expired: "invite.expired", revoked: "invite.revoked", used_up: "invite.usedUp" } as const)[result.code];
  return withStatus(fail(`invite_${result.code}`, ctx.t(key)), 410);
});

// ---- activity ----------------------------------------------------------------------------------

/** GET /api/groups/{id}/activity?cursor= — 20 a page, newest first. */
export const getActivity = defineEndpoint(
  { summary: "A group's recent activity for its members, 20 a page, newest first.", messages: "Groups", auth: "required", params: groupId, query: activityQuerySchema },
  async ({ viewer, params, query, locale, t, notFound }) => {
    const cursor = parseCursor(query.cursor);
    if (cursor === "invalid") return fail("validation", t("errors.invalid"), { fieldErrors: { cursor: [t("errors.invalid")] } });
    const page = await listGroupActivity(params.id, viewer.id, locale, cursor);
    return page ? ok(page) : notFound();
  },
);
