/**
 * better-auth's session cookie name (cookie prefix "taiyaku", see features/accounts/auth.ts).
 * The proxy only checks its presence to choose the personal reader; the account API clears it.
 */
export const SESSION_COOKIE = "taiyaku.session_token";
