// Shapes shared by the account-data endpoints, the profile page and its client components.

export type DataExportStatus = "pending" | "ready" | "failed";

/** One "Download my data" request as the profile shows it; never the archive itself. */
export type DataExportDto = {
  id: string;
  status: DataExportStatus;
  createdAt: string;
  readyAt: string | null;
  expiresAt: string | null;
  byteSize: number | null;
  /** Ready and not yet expired: the download link works. */
  downloadable: boolean;
};

/** What happens to the public and group notes of a deleted account (private ones always go). */
export type KeptNotesChoice = "keep" | "erase";
