import { z } from "zod";
import "@/lib/zod-jitless";
import { MAIL_FREQUENCIES } from "./types";

// Issue messages are keys under MailDigest.errors in messages/*.json. Strict objects: anything
// but the four settings is refused (422 unexpected_field), never trimmed.

const frequency = z.enum(MAIL_FREQUENCIES, { error: "frequencyInvalid" });

/** PUT /api/notifications/mail-preferences: every kind at once (the form always sends all four). */
export const mailPreferencesSchema = z.strictObject({ replies: frequency, mentions: frequency, answers: frequency, moderation: frequency });
export type MailPreferencesInput = z.infer<typeof mailPreferencesSchema>;

/** POST /api/notifications/unsubscribe?token=… — the signed token from the mail (lib/auth/unsubscribe-token.ts). */
export const unsubscribeQuerySchema = z.strictObject({ token: z.string({ error: "tokenInvalid" }).min(1, { error: "tokenInvalid" }).max(200, { error: "tokenInvalid" }) });
