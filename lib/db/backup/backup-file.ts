// The backup file (docs/decisions/0025-backups-without-pg-dump.md): gzip'd text, readable with
// `zcat`. Layout, one item per line:
//
//   TAIYAKU-BACKUP 1
//   {header JSON: format version, app version, migrations, tables and their columns, sequences}
//   for each table, in load order (parents before children):
//     {"table": name}
//     the rows in PostgreSQL's COPY text format (one row per line; newlines and backslashes in
//     values are escaped, so no row can be the terminator line)
//     \.
//     {"rows": n, "sha256": of the row bytes, "digest": order-independent digest of the rows}
//   {"end": true, ...totals}
//
// Everything needed before the data (which migrations to run) is in the header; what is known
// only after a table's rows is in the line after them, so both sides stream.
import { createHash } from "node:crypto";
import { once } from "node:events";
import type { Writable } from "node:stream";

export const BACKUP_MAGIC = "TAIYAKU-BACKUP 1";
export const BACKUP_FORMAT_VERSION = 1;
export const COPY_TERMINATOR = "\\.";

export type BackupMigration = { name: string; checksum: string; finishedAt: string };
export type BackupColumn = { name: string; type: string };
export type BackupTable = { name: string; columns: BackupColumn[] };
export type BackupSequence = { name: string; lastValue: string; isCalled: boolean };

export type BackupHeader = {
  format: "taiyaku-backup";
  version: typeof BACKUP_FORMAT_VERSION;
  createdAt: string;
  app: { name: string; version: string };
  server: { version: string; database: string; schema: string };
  /** Applied migrations (finished, not rolled back), in order: what a restore runs. */
  migrations: BackupMigration[];
  /** Every table of the schema, in load order; `_prisma_migrations` included. */
  tables: BackupTable[];
  sequences: BackupSequence[];
};

export type TableFooter = { rows: number; sha256: string; digest: string };
export type BackupTrailer = { end: true; tables: number; rows: number };

/**
 * A digest of a table's rows that does not depend on their order: the sum, lane by lane (eight
 * 32-bit lanes, mod 2^32), of each row's sha256. A restored table read back in another physical
 * order gives the same digest; any changed, missing or extra row changes it.
 */
export class RowDigest {
  rows = 0;
  private readonly lanes = new Uint32Array(8);
  private carry: Buffer | null = null;

  /** Takes COPY text output in any chunking; rows are the lines. */
  update(chunk: Buffer): void {
    let data = chunk;
    if (this.carry) {
      data = Buffer.concat([this.carry, chunk]);
      this.carry = null;
    }
    let start = 0;
    for (let end = data.indexOf(10, start); end !== -1; end = data.indexOf(10, start)) {
      this.addRow(data.subarray(start, end));
      start = end + 1;
    }
    if (start < data.length) this.carry = Buffer.from(data.subarray(start));
  }

  addRow(row: Buffer): void {
    const hash = createHash("sha256").update(row).digest();
    for (let i = 0; i < 8; i += 1) this.lanes[i] = (this.lanes[i]! + hash.readUInt32BE(i * 4)) >>> 0;
    this.rows += 1;
  }

  hex(): string {
    if (this.carry) throw new Error("COPY output ended in the middle of a row.");
    return Array.from(this.lanes, (lane) => lane.toString(16).padStart(8, "0")).join("");
  }
}

/** Collects small writes into ~64 KB chunks for a stream (gzip, COPY) and honours its backpressure. */
export class ChunkedWriter {
  private parts: Buffer[] = [];
  private size = 0;

  constructor(
    private readonly sink: (chunk: Buffer) => Promise<void>,
    private readonly chunkSize = 64 * 1024,
  ) {}

  static forStream(stream: Writable): ChunkedWriter {
    return new ChunkedWriter(async (chunk) => {
      if (!stream.write(chunk)) await once(stream, "drain");
    });
  }

  async write(data: Buffer | string): Promise<void> {
    const buffer = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    this.parts.push(buffer);
    this.size += buffer.length;
    if (this.size >= this.chunkSize) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.size === 0) return;
    const chunk = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    await this.sink(chunk);
  }
}

/** Lines (without their "\n") from a stream of Buffers, as Buffers; null at the end. */
export class LineReader {
  private buffer: Buffer = Buffer.alloc(0);
  private offset = 0;
  private done = false;
  private readonly iterator: AsyncIterator<Buffer>;

  constructor(source: AsyncIterable<Buffer>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  async next(): Promise<Buffer | null> {
    for (;;) {
      const end = this.buffer.indexOf(10, this.offset);
      if (end !== -1) {
        const line = this.buffer.subarray(this.offset, end);
        this.offset = end + 1;
        return line;
      }
      if (this.done) {
        if (this.offset < this.buffer.length) throw new BackupFormatError("the file ends in the middle of a line (it is truncated)");
        return null;
      }
      const { value, done } = await this.iterator.next();
      if (done) {
        this.done = true;
        continue;
      }
      // Lines handed out before stay valid: they are views of the old buffer, which is replaced, not reused.
      this.buffer = this.offset < this.buffer.length ? Buffer.concat([this.buffer.subarray(this.offset), value]) : value;
      this.offset = 0;
    }
  }

  async nextJson<T>(what: string): Promise<T> {
    const line = await this.next();
    if (line === null) throw new BackupFormatError(`the file ends before ${what} (it is truncated)`);
    try {
      return JSON.parse(line.toString("utf8")) as T;
    } catch {
      throw new BackupFormatError(`expected ${what}, found something else`);
    }
  }
}

export class BackupFormatError extends Error {
  constructor(detail: string) {
    super(`This is not a readable Taiyaku backup: ${detail}.`);
    this.name = "BackupFormatError";
  }
}

export function jsonLine(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

/**
 * Session settings for both sides of COPY, so that text output is lossless and reads back as
 * the same values: ISO dates in UTC, all float digits, hex bytea.
 */
export const COPY_SESSION_SETTINGS: ReadonlyArray<[string, string]> = [
  ["client_encoding", "UTF8"],
  ["DateStyle", "ISO, YMD"],
  ["IntervalStyle", "postgres"],
  ["TimeZone", "UTC"],
  ["extra_float_digits", "3"],
  ["bytea_output", "hex"],
  ["statement_timeout", "0"],
  ["idle_in_transaction_session_timeout", "0"],
];
