import "server-only";
import { verifyPassword } from "better-auth/crypto";
import { invalidatePublicNotes } from "@/lib/cache-tags";
import { peekToken, takeToken, type Bucket } from "@/lib/db/rate-limit";
import { defineEndpoint } from "@/lib/http/endpoint";
import { isHttps } from "@/lib/http/request-context";
import { fail, ok } from "@/lib/http/responses";
import { SESSION_COOKIE, SIGNED_IN_HINT_COOKIE } from "@/lib/session-cookie";
import { findDataExportArchive, findPasswordHash, isLastAdmin, listDataExports } from "./data";
import { deleteAccount, requestDataExport } from "./mutations";
import { deleteAccountSchema } from "./schema";

// "Download my data" and "Delete my account" (ADR 0036). Session only (no API tokens: a leaked
// token must not be able to take the data out or delete the account), and open to suspended
// users too: a suspension limits writing, not a person's rights over their own data.

/** Three archives a day: building one reads every row of the account. */
export const DATA_EXPORT_BUCKET: Bucket = { capacity: 3, refillPerSecond: 3 / 86_400 };
/** Wrong passwords at deletion are limited like sign-ins, so a borrowed session cannot guess. */
export const DELETE_PASSWORD_BUCKET: Bucket = { capacity: 5, refillPerSecond: 5 / 60 };

/** GET /api/account/data-exports — the caller's latest requests, newest first (never the bytes). */
export const getDataExports = defineEndpoint(
  { messages: "AccountData", auth: "required", summary: "Your latest “Download my data” requests and whether each archive is ready." },
  async ({ viewer }) => ok({ exports: await listDataExports(viewer.id) }),
);

/**
 * POST /api/account/data-exports — asks for an archive; a background job builds it and mails the
 * link. 202 with the request; asking while one is being prepared answers that one (200).
 */
export const postDataExport = defineEndpoint(
  { messages: "AccountData", auth: "required", bodyOptional: true, summary: "Asks for a zip of everything your account holds, prepared in the background and mailed when ready." },
  async ({ viewer, locale, t }) => {
    const key = `data-export:user:${viewer.id}`;
    const peek = await peekToken(key, DATA_EXPORT_BUCKET);
    if (!peek.allowed) return fail("rate_limited", t("errors.exportRateLimited"), { retryAfterSeconds: peek.retryAfterSeconds });
    const result = await requestDataExport(viewer.id, locale);
    if (!result.created) return ok({ dataExport: result.dataExport });
    await takeToken(key, DATA_EXPORT_BUCKET);
    return ok({ dataExport: result.dataExport }, 202);
  },
);

/** GET /api/account/data-exports/{id} — the zip; 404 when not the caller's, 410 once expired, 409 while being prepared. */
export const downloadDataExport = defineEndpoint(
  { messages: "AccountData", auth: "required", params: { id: "uuid" }, summary: "Downloads one of your data archives (zip of JSON and Markdown)." },
  async ({ viewer, params, t, notFound }) => {
    const row = await findDataExportArchive(viewer.id, params.id);
    if (!row) return notFound();
    if (row.status === "pending") return fail("conflict", t("errors.exportNotReady"));
    if (row.status === "failed") return fail("gone", t("errors.exportFailed"));
    if (!row.archive || !row.expiresAt || row.expiresAt <= new Date()) return fail("gone", t("errors.exportExpired"));
    const day = row.createdAt.toISOString().slice(0, 10);
    return new Response(new Uint8Array(row.archive), {
      headers: {
        "content-type": "application/zip",
        "content-disposition": `attachment; filename="taiyaku-data-${day}.zip"`,
        "cache-control": "private, no-store",
      },
    });
  },
);

/**
 * DELETE /api/account { password, notes: "keep" | "erase" } — deletes the caller's account for
 * good (mutations.ts deleteAccount says what goes and what stays). The password is asked again:
 * a session left open on a shared computer must not be enough. The last admin cannot leave.
 */
export const deleteMyAccount = defineEndpoint(
  { messages: "AccountData", auth: "required", body: deleteAccountSchema, summary: "Deletes your account after checking your password; public and group notes are kept as “deleted user” or erased, as you choose." },
  async ({ request, viewer, body, t }) => {
    const key = `account-delete:user:${viewer.id}`;
    const peek = await peekToken(key, DELETE_PASSWORD_BUCKET);
    if (!peek.allowed) return fail("rate_limited", t("errors.rateLimited", { seconds: peek.retryAfterSeconds }), { retryAfterSeconds: peek.retryAfterSeconds });
    const hash = await findPasswordHash(viewer.id);
    if (!hash || !(await verifyPassword({ hash, password: body.password }))) {
      const spent = await takeToken(key, DELETE_PASSWORD_BUCKET);
      if (!spent.allowed) return fail("rate_limited", t("errors.rateLimited", { seconds: spent.retryAfterSeconds }), { retryAfterSeconds: spent.retryAfterSeconds });
      const message = t("errors.passwordWrong");
      return fail("validation", message, { fieldErrors: { password: [message] } });
    }
    if (await isLastAdmin(viewer.id)) return fail("conflict", t("errors.lastAdmin"));
    const deleted = await deleteAccount(viewer.id, body.notes);
    if (!deleted) return fail("not_found", t("errors.gone"));
    // The author's name is drawn in every cached public note of theirs, on every instance.
    for (const articleId of deleted.publicArticleIds) invalidatePublicNotes(articleId);
    const headers = new Headers();
    // The session rows are gone with the account; the browser's cookies go too.
    const secure = isHttps(request) ? "; Secure" : "";
    headers.append("set-cookie", `${SESSION_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax; HttpOnly${secure}`);
    headers.append("set-cookie", `${SIGNED_IN_HINT_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax${secure}`);
    return ok({ deleted: { erasedNotes: deleted.erasedNotes, keptNotes: deleted.keptNotes } }, 200, headers);
  },
);
