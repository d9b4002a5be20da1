import "server-only";
import type { z } from "zod";
import { getViewer, type Viewer } from "@/features/accounts/data";
import { isUuid } from "@/lib/ids";
import { requestLocale } from "@/lib/http/request-context";
import { fail, ok, readJson } from "@/lib/http/responses";
import { translatorFor } from "@/lib/i18n/translator";
import type { AppLocale } from "@/i18n/routing";
import { getActiveSuspension, getModeratorScopes, isModerator, listLog, listQueue, type LogRow } from "./data";
import { actOnNote, flagNote, liftSuspension, suspendUser, type ModerationResult } from "./mutations";
import { flagSchema, liftSchema, logQuerySchema, noteActionSchema, queueQuerySchema, suspendSchema } from "./schema";

// Moderation endpoints. Anything a caller may not moderate answers 404, exactly like a note that
// does not exist: a member probing as a moderator learns nothing.

type Ctx = { locale: AppLocale; t: ReturnType<typeof translatorFor<"Moderation">>; viewer: Viewer | null };

async function context(request: Request): Promise<Ctx> {
  const locale = requestLocale(request);
  return { locale, t: translatorFor(locale, "Moderation"), viewer: await getViewer(request.headers) };
}

const knownErrors = new Set(["detailsRequired", "detailsTooLong", "reasonRequired", "reasonTooLong", "confirmRequired", "badDate"]);

function invalid(ctx: Ctx, error: z.ZodError): Response {
  if (error.issues.some((issue) => issue.code === "unrecognized_keys")) return fail("unexpected_field", ctx.t("errors.unexpectedField"));
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const message = knownErrors.has(issue.message) ? ctx.t(`errors.${issue.message}` as "errors.reasonRequired") : ctx.t("errors.invalid");
    (fieldErrors[String(issue.path[0] ?? "form")] ??= []).push(message);
  }
  return fail("validation", Object.values(fieldErrors)[0]![0]!, { fieldErrors });
}

async function body<S extends z.ZodType>(ctx: Ctx, request: Request, schema: S): Promise<{ ok: true; data: z.infer<S> } | { ok: false; response: Response }> {
  const raw = await readJson(request);
  if (!raw.ok) return { ok: false, response: fail(raw.code, ctx.t(raw.code === "too_large" ? "errors.tooLarge" : "errors.invalidJson")) };
  const parsed = schema.safeParse(raw.value);
  return parsed.success ? { ok: true, data: parsed.data as z.infer<S> } : { ok: false, response: invalid(ctx, parsed.error) };
}

function answer(ctx: Ctx, result: ModerationResult): Response {
  if (result.ok) return ok({ version: result.version ?? null });
  switch (result.code) {
    case "conflict":
      return fail("conflict", ctx.t("errors.conflict"), { currentVersion: result.currentVersion ?? null });
    case "already_flagged":
      return fail("conflict", ctx.t("errors.alreadyFlagged"));
    case "own_note":
      return fail("validation", ctx.t("errors.ownNote"));
    case "invalid_state":
      return fail("conflict", ctx.t("errors.invalidState"));
    default:
      return fail("not_found", ctx.t("errors.notFound"));
  }
}

/** The suspension message (reason and end) shared by every write endpoint. */
export async function suspendedResponse(userId: string, locale: AppLocale): Promise<Response | null> {
  const suspension = await getActiveSuspension(userId);
  if (!suspension) return null;
  const t = translatorFor(locale, "Moderation");
  const message = suspension.endsAt
    ? t("suspendedUntil", { reason: suspension.reason, date: new Date(suspension.endsAt) })
    : t("suspendedIndefinitely", { reason: suspension.reason });
  return Response.json({ ok: false, code: "suspended", message, suspension }, { status: 403, headers: { "cache-control": "no-store" } });
}

/** POST /api/notes/{id}/flag */
export async function postFlag(request: Request, noteId: string): Promise<Response> {
  const ctx = await context(request);
  if (!ctx.viewer) return fail("unauthenticated", ctx.t("errors.unauthenticated"));
  const suspended = await suspendedResponse(ctx.viewer.id, ctx.locale);
  if (suspended) return suspended;
  if (!isUuid(noteId)) return fail("not_found", ctx.t("errors.notFound"));
  const input = await body(ctx, request, flagSchema);
  if (!input.ok) return input.response;
  const result = await flagNote(ctx.viewer, noteId, input.data);
  return result.ok ? ok({ flagged: true }, 201) : answer(ctx, result);
}

/** GET /api/moderation/queue */
export async function getQueue(request: Request): Promise<Response> {
  const ctx = await context(request);
  if (!ctx.viewer) return fail("unauthenticated", ctx.t("errors.unauthenticated"));
  const scopes = await getModeratorScopes(ctx.viewer);
  if (!isModerator(scopes)) return fail("not_found", ctx.t("errors.notFound"));
  const query = queueQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) return invalid(ctx, query.error);
  const { items, total } = await listQueue(scopes, query.data);
  return ok({ items, total, page: query.data.page });
}

/** POST /api/moderation/notes/{id} — hide, restore, delete, purge, approve, dismiss_flags, lock, unlock. */
export async function postNoteAction(request: Request, noteId: string): Promise<Response> {
  const ctx = await context(request);
  if (!ctx.viewer) return fail("unauthenticated", ctx.t("errors.unauthenticated"));
  // Suspended staff cannot moderate either: a suspension stops every write.
  const suspended = await suspendedResponse(ctx.viewer.id, ctx.locale);
  if (suspended) return suspended;
  if (!isUuid(noteId)) return fail("not_found", ctx.t("errors.notFound"));
  const input = await body(ctx, request, noteActionSchema);
  if (!input.ok) return input.response;
  const scopes = await getModeratorScopes(ctx.viewer);
  return answer(ctx, await actOnNote(ctx.viewer, scopes, noteId, input.data));
}

/** POST (suspend) / DELETE (lift) /api/moderation/users/{id}/suspension */
export async function postSuspension(request: Request, userId: string): Promise<Response> {
  const ctx = await context(request);
  if (!ctx.viewer) return fail("unauthenticated", ctx.t("errors.unauthenticated"));
  // Suspended staff cannot moderate either: a suspension stops every write.
  const suspended = await suspendedResponse(ctx.viewer.id, ctx.locale);
  if (suspended) return suspended;
  const input = await body(ctx, request, suspendSchema);
  if (!input.ok) return input.response;
  const scopes = await getModeratorScopes(ctx.viewer);
  return answer(ctx, await suspendUser(ctx.viewer, scopes, userId, input.data));
}

export async function deleteSuspension(request: Request, userId: string): Promise<Response> {
  const ctx = await context(request);
  if (!ctx.viewer) return fail("unauthenticated", ctx.t("errors.unauthenticated"));
  // Suspended staff cannot moderate either: a suspension stops every write.
  const suspended = await suspendedResponse(ctx.viewer.id, ctx.locale);
  if (suspended) return suspended;
  const text = await request.text().catch(() => "");
  const parsed = liftSchema.safeParse(text.trim() ? safeJson(text) : {});
  if (!parsed.success) return invalid(ctx, parsed.error);
  const scopes = await getModeratorScopes(ctx.viewer);
  return answer(ctx, await liftSuspension(ctx.viewer, scopes, userId, parsed.data.reason));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** GET /api/moderation/log[?format=csv] */
export async function getLog(request: Request): Promise<Response> {
  const ctx = await context(request);
  if (!ctx.viewer) return fail("unauthenticated", ctx.t("errors.unauthenticated"));
  const scopes = await getModeratorScopes(ctx.viewer);
  if (!isModerator(scopes)) return fail("not_found", ctx.t("errors.notFound"));
  const query = logQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) return invalid(ctx, query.error);
  if (query.data.format === "csv") {
    const { rows } = await listLog(scopes, query.data, true);
    return new Response(toCsv(rows), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="moderation-log-${new Date().toISOString().slice(0, 10)}.csv"`,
        "cache-control": "no-store",
      },
    });
  }
  const { rows, total } = await listLog(scopes, query.data);
  return ok({ rows, total, page: query.data.page });
}

/** RFC 4180 CSV; cells that a spreadsheet would run as a formula are prefixed with '. */
export function toCsv(rows: LogRow[]): string {
  const header = ["time", "actor", "action", "note", "target_user", "group", "old_status", "new_status", "public_reason", "internal_note"];
  const cell = (value: string | null | undefined) => {
    let text = value ?? "";
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = rows.map((row) =>
    [row.createdAt.toISOString(), row.actor?.name ?? "console", row.action, row.noteId, row.targetUser?.name, row.groupId, row.oldStatus, row.newStatus, row.publicReason, row.internalNote]
      .map(cell)
      .join(","),
  );
  return `\uFEFF${[header.join(","), ...lines].join("\r\n")}\r\n`;
}
