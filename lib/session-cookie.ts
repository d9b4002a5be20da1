/**
 * better-auth's session cookie name (cookie prefix "taiyaku", see lib/auth/better-auth.ts).
 * httpOnly: pages never see it; the account API clears it.
 */
export const SESSION_COOKIE = "taiyaku.session_token";

/**
 * A readable companion cookie the sign-in routes set ("1") and sign-out clears. Pages are cached
 * for everyone, so the browser uses it to decide whether to ask for the reader's own data at
 * all: signed-out readers cost the server nothing. It proves nothing; the API checks the session.
 */
export const SIGNED_IN_HINT_COOKIE = "taiyaku.signed_in";

/** In the browser: does the hint cookie say someone is signed in? */
export function hasSignedInHint(): boolean {
  return document.cookie.split(";").some((part) => part.trim().startsWith(`${SIGNED_IN_HINT_COOKIE}=1`));
}
