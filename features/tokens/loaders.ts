import "server-only";
import { listTokens } from "./data";
import type { TokenDto } from "./types";

/** The profile page's token list (the page is per-user and rendered per request). */
export function loadMyTokens(userId: string): Promise<TokenDto[]> {
  return listTokens(userId);
}
