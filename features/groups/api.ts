import "server-only";
import type { z } from "zod";
import { getViewer, type Viewer } from "@/features/accounts/data";
import { takeToken } from "@/features/rate-limit/mutations";
import { requestLocale } from "@/lib/http/request-context";
import { fail, ok, readJson } from "@/lib/http/responses";
import { translatorFor } from "@/lib/i18n/translator";
import type { AppLocale } from "@/i18n/routing";
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

// The groups API: Request → Response functions behind one-line route files, so the integration
// tests call exactly what the browser calls. Authorization lives in data.ts / mutations.ts; this
// file authenticates, validates, rate-limits writes and speaks the caller's language.

/** Group writes are rare and human-paced: bursts of 20, 2 a second per user. */
export const GROUP_WRITE_BUCKET = { capacity: 20, refillPerSecond: 2 };

type T = ReturnType<typeof translatorFor<"Groups">>;
type Context = { locale: AppLocale; t: T; viewer: Viewer | null };

async function context(request: Request): Promise<Context> {
  const locale = requestLocale(request);
  return { locale, t: translatorFor(locale, "Groups"), viewer: await getViewer(request.headers) };
}

/** fail() with a status that lib/http has no code for (410 for a spent invite). */
function withStatus(response: Response, status: number): Response {
  return new Response(response.body, { status, headers: response.headers });
}

const notFound = (t: T) => fail("not_found", t("errors.notFound"));

function failure(t: T, result: Failure): Response {
  if (result.code === "conflict") return fail("conflict", t("errors.conflict"), { current: result.current });
  if (result.code === "last_owner") return withStatus(fail("last_owner", t("errors.lastOwner")), 409);
  return notFound(t);
}

function unauthenticated(t: T) {
  return fail("unauthenticated", t("errors.unauthenticated"));
}

async function requireMember(ctx: Context): Promise<Viewer | Response> {
  return ctx.viewer ?? unauthenticated(ctx.t);
}

async function requireWriter(request: Request, ctx: Context): Promise<Viewer | Response> {
  if (!ctx.viewer) return unauthenticated(ctx.t);
  // A form on another site cannot send JSON with this header set, but a browser says so itself.
  if (request.headers.get("sec-fetch-site") === "cross-site") return fail("cross_site", ctx.t("errors.crossSite"));
  const limit = await takeToken(`groups:user:${ctx.viewer.id}`, GROUP_WRITE_BUCKET);
  if (!limit.allowed) {
    return fail("rate_limited", ctx.t("errors.rateLimited", { seconds: limit.retryAfterSeconds }), { retryAfterSeconds: limit.retryAfterSeconds });
  }
  return ctx.viewer;
}

const errorKeys = new Set([
  "nameRequired",
  "nameTooLong",
  "nameInvalid",
  "descriptionTooLong",
  "languageFocusInvalid",
  "roleInvalid",
  "expiryInvalid",
  "maxUsesInvalid",
  "invalid",
]);

function validationFailure(t: T, error: z.ZodError): Response {
  const unexpected = error.issues.flatMap((issue) => (issue.code === "unrecognized_keys" ? issue.keys : []));
  if (unexpected.length) return fail("unexpected_field", t("errors.unexpectedField", { fields: unexpected.join(", ") }), { fields: unexpected });
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const field = issue.path.length ? String(issue.path[0]) : "_";
    const message = errorKeys.has(issue.message) ? t(`errors.${issue.message}` as "errors.invalid") : t("errors.invalid");
    const list = (fieldErrors[field] ??= []);
    if (!list.includes(message)) list.push(message);
  }
  return fail("validation", Object.values(fieldErrors)[0]?.[0] ?? t("errors.invalid"), { fieldErrors });
}

async function parseBody<S extends z.ZodType>(request: Request, schema: S, t: T): Promise<{ ok: false; response: Response } | { ok: true; data: z.infer<S> }> {
  const raw = await readJson(request);
  if (!raw.ok) return { ok: false, response: fail(raw.code, raw.code === "too_large" ? t("errors.tooLarge") : t("errors.invalidJson")) };
  const parsed = schema.safeParse(raw.value);
  if (!parsed.success) return { ok: false, response: validationFailure(t, parsed.error) };
  return { ok: true, data: parsed.data as z.infer<S> };
}

// ---- groups ------------------------------------------------------------------------------------

/** POST /api/groups */
export async function postGroup(request: Request): Promise<Response> {
  const ctx = await context(request);
  const viewer = await requireWriter(request, ctx);
  if (viewer instanceof Response) return viewer;
  const parsed = await parseBody(request, createGroupSchema, ctx.t);
  if (!parsed.ok) return parsed.response;
  const result = await createGroup(viewer, parsed.data);
  return ok({ group: result.group }, 201);
}

/** GET /api/groups/mine — the reader's layer switcher and composer list these. */
export async function getMyGroups(request: Request): Promise<Response> {
  const ctx = await context(request);
  const viewer = await requireMember(ctx);
  if (viewer instanceof Response) return viewer;
  const groups = await listMyGroups(viewer.id);
  return ok({ groups: groups.map(({ id, name, role, languageFocus }) => ({ id, name, role, languageFocus })) });
}

/** GET /api/groups/{id} */
export async function getGroup(request: Request, id: string): Promise<Response> {
  const ctx = await context(request);
  const viewer = await requireMember(ctx);
  if (viewer instanceof Response) return viewer;
  const group = await getGroupForMember(id, viewer.id);
  if (!group) return notFound(ctx.t);
  const members = (await listGroupMembers(id, viewer.id)) ?? [];
  return ok({ group, members });
}

/** PATCH /api/groups/{id} — owners edit name, description and language focus from a version. */
export async function patchGroup(request: Request, id: string): Promise<Response> {
  const ctx = await context(request);
  const viewer = await requireWriter(request, ctx);
  if (viewer instanceof Response) return viewer;
  const parsed = await parseBody(request, updateGroupSchema, ctx.t);
  if (!parsed.ok) return parsed.response;
  const result = await updateGroup(viewer, id, parsed.data);
  return result.ok ? ok({ group: result.group }) : failure(ctx.t, result);
}

/** DELETE /api/groups/{id} — soft delete by an owner. */
export async function removeGroup(request: Request, id: string): Promise<Response> {
  const ctx = await context(request);
  const viewer = await requireWriter(request, ctx);
  if (viewer instanceof Response) return viewer;
  const result = await deleteGroup(viewer, id);
  return result.ok ? ok({}) : failure(ctx.t, result);
}

/** POST /api/groups/{id}/leave */
export async function postLeave(request: Request, id: string): Promise<Response> {
  const ctx = await context(request);
  const viewer = await requireWriter(request, ctx);
  if (viewer instanceof Response) return viewer;
  const result = await leaveGroup(viewer, id);
  return result.ok ? ok({}) : failure(ctx.t, result);
}

// ---- members -----------------------------------------------------------------------------------

/** GET /api/groups/{id}/members?q= — for @mention autocomplete; members only. */
export async function getMembers(request: Request, id: string): Promise<Response> {
  const ctx = await context(request);
  const viewer = await requireMember(ctx);
  if (viewer instanceof Response) return viewer;
  const parsed = memberQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return validationFailure(ctx.t, parsed.error);
  const members = await listGroupMembers(id, viewer.id, parsed.data.q.trim());
  if (!members) return notFound(ctx.t);
  return ok({ members: members.map(({ id: userId, name, role }) => ({ id: userId, name, role })) });
}

/** PATCH /api/groups/{id}/members/{userId} — owners change roles. */
export async function patchMember(request: Request, id: string, userId: string): Promise<Response> {
  const ctx = await context(request);
  const viewer = await requireWriter(request, ctx);
  if (viewer instanceof Response) return viewer;
  const parsed = await parseBody(request, changeRoleSchema, ctx.t);
  if (!parsed.ok) return parsed.response;
  const result = await changeRole(viewer, id, userId, parsed.data);
  return result.ok ? ok({ role: result.role, version: result.version }) : failure(ctx.t, result);
}

/** DELETE /api/groups/{id}/members/{userId} */
export async function deleteMember(request: Request, id: string, userId: string): Promise<Response> {
  const ctx = await context(request);
  const viewer = await requireWriter(request, ctx);
  if (viewer instanceof Response) return viewer;
  const result = await removeMember(viewer, id, userId);
  return result.ok ? ok({}) : failure(ctx.t, result);
}

// ---- invites -----------------------------------------------------------------------------------

/** POST /api/groups/{id}/invites — the token is in this answer and nowhere else, ever. */
export async function postInvite(request: Request, id: string): Promise<Response> {
  const ctx = await context(request);
  const viewer = await requireWriter(request, ctx);
  if (viewer instanceof Response) return viewer;
  const parsed = await parseBody(request, createInviteSchema, ctx.t);
  if (!parsed.ok) return parsed.response;
  const result = await createInvite(viewer, id, parsed.data);
  if (!result.ok) return failure(ctx.t, result);
  const { token, ...invite } = result.invite;
  return ok({ invite, token, path: `/${ctx.locale}/invite/${token}` }, 201);
}

/** GET /api/groups/{id}/invites — active invites, for owners and moderators. */
export async function getInvites(request: Request, id: string): Promise<Response> {
  const ctx = await context(request);
  const viewer = await requireMember(ctx);
  if (viewer instanceof Response) return viewer;
  const invites = await listActiveInvites(id, viewer.id);
  return invites ? ok({ invites }) : notFound(ctx.t);
}

/** DELETE /api/groups/{id}/invites/{inviteId} */
export async function deleteInvite(request: Request, id: string, inviteId: string): Promise<Response> {
  const ctx = await context(request);
  const viewer = await requireWriter(request, ctx);
  if (viewer instanceof Response) return viewer;
  const result = await revokeInvite(viewer, id, inviteId);
  return result.ok ? ok({}) : failure(ctx.t, result);
}

/** POST /api/invites/{token}/join — 404 for a link that never worked, 410 for one that stopped. */
export async function postJoin(request: Request, token: string): Promise<Response> {
  const ctx = await context(request);
  const viewer = await requireWriter(request, ctx);
  if (viewer instanceof Response) return viewer;
  const result = await joinByInvite(viewer, token);
  if (result.ok) {
    return ok(
      { groupId: result.groupId, alreadyMember: result.alreadyMember, message: result.alreadyMember ? ctx.t("invite.alreadyMember") : ctx.t("invite.joined") },
      result.alreadyMember ? 200 : 201,
    );
  }
  if (result.code === "invalid") return fail("not_found", ctx.t("invite.invalid"));
  const key = ({ expired: "invite.expired", revoked: "invite.revoked", used_up: "invite.usedUp" } as const)[result.code];
  return withStatus(fail(`invite_${result.code}`, ctx.t(key)), 410);
}

// ---- activity ----------------------------------------------------------------------------------

/** GET /api/groups/{id}/activity?cursor= — 20 a page, newest first. */
export async function getActivity(request: Request, id: string): Promise<Response> {
  const ctx = await context(request);
  const viewer = await requireMember(ctx);
  if (viewer instanceof Response) return viewer;
  const parsed = activityQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return validationFailure(ctx.t, parsed.error);
  const cursor = parseCursor(parsed.data.cursor);
  if (cursor === "invalid") return fail("validation", ctx.t("errors.invalid"), { fieldErrors: { cursor: [ctx.t("errors.invalid")] } });
  const page = await listGroupActivity(id, viewer.id, ctx.locale, cursor);
  return page ? ok(page) : notFound(ctx.t);
}
