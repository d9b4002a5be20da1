import { z } from "zod";
import "@/lib/zod-jitless";
import { MAX_TOKEN_NAME } from "./types";

// Issue messages are keys under Tokens.errors in messages/*.json. Strict objects: a body that
// tries to set a user id, a hash or a date is refused (422 unexpected_field), not trimmed.
// NUL and lone surrogates are refused by the pipeline before these run (422 unstorableText).

// Control and bidi characters: the name is shown in the token list, where an override could
// make it read as something else.
const UNSAFE_CHARS = /[\p{Cc}\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

export const createTokenSchema = z.strictObject({
  name: z
    .string({ error: "nameRequired" })
    .trim()
    .min(1, { error: "nameRequired" })
    // Code points, like the column (varchar counts characters, not UTF-16 units).
    .refine((value) => [...value].length <= MAX_TOKEN_NAME, { error: "nameTooLong" })
    .refine((value) => !UNSAFE_CHARS.test(value), { error: "nameInvalid" }),
  scopes: z
    .array(z.enum(["read", "write"], { error: "scopesRequired" }), { error: "scopesRequired" })
    .min(1, { error: "scopesRequired" })
    .max(10, { error: "scopesRequired" })
    // Stored once each, in a fixed order.
    .transform((scopes) => (["read", "write"] as const).filter((scope) => scopes.includes(scope))),
  expiresInDays: z.union([z.literal(30), z.literal(90), z.literal(365), z.null()], { error: "expiryInvalid" }),
});
export type CreateTokenInput = z.infer<typeof createTokenSchema>;
