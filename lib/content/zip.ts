import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";

// Article folders travel as zip files (export and `npm run articles:import`). Text only: every
// entry is UTF-8. The archive is deterministic (fixed timestamps, entries in the given order),
// so exporting the same article twice gives the same bytes.

/**
 * 1980-01-01 00:00, the earliest time a zip entry can carry: no clock leaks into the file. Zip
 * times are local wall-clock fields, so this is built from local fields too (same bytes in any TZ).
 */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);
/** An article folder is a few hundred KB at most; anything far larger is not one of ours. */
export const MAX_UNZIPPED_BYTES = 20 * 1024 * 1024;

export class ZipFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ZipFormatError";
  }
}

/** Zips text files; keys are paths inside the archive ("slug/meta.json"). */
export function zipTextFiles(files: Record<string, string>): Uint8Array {
  const entries = Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)] as const));
  return zipSync(entries, { level: 6, mtime: FIXED_MTIME });
}

/**
 * Reads a zip of text files: path → UTF-8 text. Directory entries are skipped. The declared
 * sizes are checked before inflating, so a zip bomb is refused rather than unpacked.
 */
export function unzipTextFiles(data: Uint8Array, label = "zip"): Record<string, string> {
  let total = 0;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(data, {
      filter: (file) => {
        total += file.originalSize;
        if (total > MAX_UNZIPPED_BYTES) throw new ZipFormatError(`${label}: larger than ${MAX_UNZIPPED_BYTES} bytes unpacked.`);
        return !file.name.endsWith("/");
      },
    });
  } catch (error) {
    if (error instanceof ZipFormatError) throw error;
    throw new ZipFormatError(`${label}: not a readable zip file (${error instanceof Error ? error.message : String(error)}).`);
  }
  const files: Record<string, string> = {};
  for (const [name, bytes] of Object.entries(entries)) {
    if (bytes.length > MAX_UNZIPPED_BYTES) throw new ZipFormatError(`${label}: ${name} is too large.`);
    files[name] = strFromU8(bytes);
  }
  return files;
}
