import { Zip, ZipDeflate } from "fflate";

// A zip written as it goes (fflate's streaming Zip): each entry is deflated while its text
// arrives and the bytes are handed on at once, so a large archive never sits in memory.
// Entries are written one after another (the archive's local headers carry data descriptors),
// with a fixed 1980-01-01 time like lib/content/zip.ts: no clock leaks into the file.

const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);
const encoder = new TextEncoder();

export class ZipStreamWriter {
  private readonly zip: Zip;
  private pending: Uint8Array[] = [];
  private current: ZipDeflate | null = null;
  private failure: Error | null = null;

  constructor() {
    this.zip = new Zip((error, data) => {
      if (error) this.failure = error;
      else if (data.length) this.pending.push(data);
    });
  }

  /** Starts a new entry (ending the previous one). */
  startFile(name: string): void {
    this.endFile();
    this.current = new ZipDeflate(name, { level: 6 });
    this.current.mtime = FIXED_MTIME;
    this.zip.add(this.current);
  }

  /** Appends UTF-8 text to the current entry. */
  write(text: string): void {
    if (!this.current) throw new Error("ZipStreamWriter.write before startFile");
    if (text) this.current.push(encoder.encode(text));
  }

  endFile(): void {
    if (this.current) this.current.push(new Uint8Array(0), true);
    this.current = null;
  }

  /** Ends the archive (its central directory follows). */
  end(): void {
    this.endFile();
    this.zip.end();
  }

  /** The bytes produced since the last call. */
  take(): Uint8Array[] {
    if (this.failure) throw this.failure;
    const out = this.pending;
    this.pending = [];
    return out;
  }
}
