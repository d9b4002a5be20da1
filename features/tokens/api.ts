import "server-only";
import { defineEndpoint } from "@/lib/http/endpoint";
import { fail, ok } from "@/lib/http/responses";
import { listTokens } from "./data";
import { createToken, revokeToken } from "./mutations";
import { createTokenSchema } from "./schema";
import { MAX_LIVE_TOKENS } from "./types";

// Managing personal API tokens (ADR 0027). These endpoints do NOT opt into `tokens`: only a
// signed-in browser session may mint, list or revoke tokens, so a leaked token cannot make more.

/** Token management is rare; a small bucket stops a runaway script from minting in a loop. */
export const TOKEN_WRITE_BUCKET = { capacity: 10, refillPerSecond: 0.2 };
const writer = { messages: "Tokens", auth: "writer", writeLimit: { key: "tokens", bucket: TOKEN_WRITE_BUCKET } } as const;

/** GET /api/tokens — the caller's tokens, revoked ones included; never a hash. */
export const getTokens = defineEndpoint({ summary: "The caller's personal API tokens, revoked ones included (never a token or its hash); session only.", messages: "Tokens", auth: "required" }, async ({ viewer }) => {
  const tokens = await listTokens(viewer.id);
  return ok({ tokens });
});

/** POST /api/tokens {name, scopes, expiresInDays} — 201 {token, id}; the only time the token is shown. */
export const postToken = defineEndpoint({ ...writer, summary: "Create a personal API token with scopes and an expiry; this answer is the only time the token is shown. Session only.", body: createTokenSchema }, async ({ viewer, body, t }) => {
  const result = await createToken(viewer.id, body);
  if (!result.ok) return fail("conflict", t("errors.tooMany", { max: MAX_LIVE_TOKENS }), { max: MAX_LIVE_TOKENS });
  return ok({ token: result.token, id: result.dto.id, apiToken: result.dto }, 201);
});

/** DELETE /api/tokens/{id} — revoke; 404 for an id that is not the caller's. */
export const deleteToken = defineEndpoint({ ...writer, summary: "Revoke one of the caller's personal API tokens; session only.", params: { id: "uuid" }, bodyOptional: true }, async ({ viewer, params, notFound }) => {
  const token = await revokeToken(viewer.id, params.id);
  return token ? ok({ apiToken: token }) : notFound();
});
