import "server-only";
import { headers } from "next/headers";
import { getViewer } from "@/features/accounts/data";
import { getModeratorGroups, getModeratorScopes, isModerator } from "./data";

/** The signed-in moderator and what they may moderate, or null (the page answers 404). */
export async function loadModerator() {
  const viewer = await getViewer(await headers());
  if (!viewer) return { viewer: null, scopes: null, groups: [] };
  const scopes = await getModeratorScopes(viewer);
  if (!isModerator(scopes)) return { viewer, scopes: null, groups: [] };
  return { viewer, scopes, groups: await getModeratorGroups(scopes) };
}
