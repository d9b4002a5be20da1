/**
 * better-auth signs session cookies with this secret. The launcher (`npm start`, dev, e2e,
 * bench) sets BETTER_AUTH_SECRET, creating a random one under .data/ on first start so sessions
 * survive restarts; a deployment sets its own.
 */
export function authSecret(): string {
  const configured = process.env.BETTER_AUTH_SECRET;
  if (!configured || configured.length < 32) {
    throw new Error("BETTER_AUTH_SECRET must be set to 32 or more random characters (npm start creates one).");
  }
  return configured;
}
