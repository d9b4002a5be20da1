import "server-only";
import { invalidatePublicNotes } from "@/lib/cache-tags";
import { defineEndpoint, type EndpointContext } from "@/lib/http/endpoint";
import { fail, ok } from "@/lib/http/responses";
import { getModeratorScopes, isModerator, listLog, listQueue, type LogRow } from "./data";
import { actOnNote, flagNote, liftSuspension, suspendUser, type ModerationResult } from "./mutations";
import { flagSchema, liftSchema, logQuerySchema, noteActionSchema, queueQuerySchema, suspendSchema } from "./schema";

// Moderation endpoints, on the one pipeline (lib/http/endpoint.ts). Anything a caller may not
// moderate answers 404, exactly like a note that does not exist: a member probing as a moderator
// learns nothing. Suspended staff cannot moderate either: every write here is a "writer"
// endpoint, and a suspension stops every write.

const writer = { messages: "Moderation", auth: "writer" } as const;

function answer(ctx: Pick<EndpointContext<"Moderation", string, unknown, unknown, "writer">, "t" | "notFound">, result: ModerationResult): Response {
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
      return ctx.notFound();
  }
}

/** POST /api/notes/{id}/flag */
export const postFlag = defineEndpoint({ ...writer, summary: "Flag a note for the moderators, with a reason (once per reader and note; not one's own).", tokens: "write", params: { id: "uuid" }, body: flagSchema }, async (ctx) => {
  const result = await flagNote(ctx.viewer, ctx.params.id, ctx.body);
  return result.ok ? ok({ flagged: true }, 201) : answer(ctx, result);
});

/** GET /api/moderation/queue */
export const getQueue = defineEndpoint({ summary: "The moderation queue (flagged and pending notes) in the caller's scopes, paged; 404 for non-moderators.", messages: "Moderation", auth: "required", query: queueQuerySchema }, async ({ viewer, query, notFound }) => {
  const scopes = await getModeratorScopes(viewer);
  if (!isModerator(scopes)) return notFound();
  const { items, total } = await listQueue(scopes, query);
  return ok({ items, total, page: query.page });
});

/** POST /api/moderation/notes/{id} — hide, restore, delete, purge, approve, dismiss_flags, lock, unlock. */
export const postNoteAction = defineEndpoint({ ...writer, summary: "A moderator acts on a note: hide, restore, delete, purge, approve, dismiss its flags, lock or unlock.", params: { id: "uuid" }, body: noteActionSchema }, async (ctx) => {
  const scopes = await getModeratorScopes(ctx.viewer);
  const result = await actOnNote(ctx.viewer, scopes, ctx.params.id, ctx.body);
  // A hidden, restored, approved or purged public note changes the shared signed-out view.
  if (result.ok && result.publicArticleId) invalidatePublicNotes(result.publicArticleId);
  return answer(ctx, result);
});

/** POST (suspend) / DELETE (lift) /api/moderation/users/{id}/suspension */
export const postSuspension = defineEndpoint({ ...writer, summary: "A moderator suspends a user, with a reason and an optional end: they can still read, but not write.", params: { id: "userId" }, body: suspendSchema }, async (ctx) => {
  const scopes = await getModeratorScopes(ctx.viewer);
  return answer(ctx, await suspendUser(ctx.viewer, scopes, ctx.params.id, ctx.body));
});

export const deleteSuspension = defineEndpoint({ ...writer, summary: "A moderator lifts a user's suspension.", params: { id: "userId" }, body: liftSchema, bodyOptional: true }, async (ctx) => {
  const scopes = await getModeratorScopes(ctx.viewer);
  return answer(ctx, await liftSuspension(ctx.viewer, scopes, ctx.params.id, ctx.body.reason));
});

/** GET /api/moderation/log[?format=csv] */
export const getLog = defineEndpoint({ summary: "The moderation log in the caller's scopes, paged, or all of it as CSV with `format=csv`; 404 for non-moderators.", messages: "Moderation", auth: "required", query: logQuerySchema, produces: ["application/json", "text/csv"] }, async ({ viewer, query, notFound }) => {
  const scopes = await getModeratorScopes(viewer);
  if (!isModerator(scopes)) return notFound();
  if (query.format === "csv") {
    const { rows } = await listLog(scopes, query, true);
    return new Response(toCsv(rows), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="moderation-log-${new Date().toISOString().slice(0, 10)}.csv"`,
        "cache-control": "no-store",
      },
    });
  }
  const { rows, total } = await listLog(scopes, query);
  return ok({ rows, total, page: query.page });
});

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
