import "server-only";
import { listDataExports } from "./data";
import type { DataExportDto } from "./types";

/** The profile page's "Your data" section (the page is per-user and rendered per request). */
export function loadMyDataExports(userId: string): Promise<DataExportDto[]> {
  return listDataExports(userId);
}
