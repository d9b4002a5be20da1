import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { BackupFormatError, ChunkedWriter, LineReader, RowDigest } from "./backup-file";

const rows = ["1\tfirst\t\\N", "2\tsecond with \\t tab\t2026-11-29 12:00:00+00", "3\t日本語 🎌\t\\\\", "2\tsecond with \\t tab\t2026-11-29 12:00:00+00"];
const text = rows.map((row) => `${row}\n`).join("");

function digestOf(chunks: Buffer[]): { rows: number; hex: string } {
  const digest = new RowDigest();
  for (const chunk of chunks) digest.update(chunk);
  return { rows: digest.rows, hex: digest.hex() };
}

/** The same bytes cut into pieces of `size` (splitting rows and multi-byte characters). */
function pieces(data: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) out.push(data.subarray(i, i + size));
  return out;
}

describe("RowDigest", () => {
  it("does not depend on how the rows are chunked or ordered, and counts duplicates", () => {
    const whole = digestOf([Buffer.from(text)]);
    expect(whole.rows).toBe(4);
    for (const size of [1, 3, 7, 64]) expect(digestOf(pieces(Buffer.from(text), size))).toEqual(whole);
    const reversed = [...rows].reverse().map((row) => `${row}\n`).join("");
    expect(digestOf([Buffer.from(reversed)])).toEqual(whole);
    // Dropping one of two identical rows, or changing one byte, changes it.
    const withoutDuplicate = rows.slice(0, 3).map((row) => `${row}\n`).join("");
    expect(digestOf([Buffer.from(withoutDuplicate)]).hex).not.toBe(whole.hex);
    expect(digestOf([Buffer.from(text.replace("first", "firsT"))]).hex).not.toBe(whole.hex);
  });

  it("refuses output that ends inside a row", () => {
    const digest = new RowDigest();
    digest.update(Buffer.from("1\tno newline"));
    expect(() => digest.hex()).toThrow(/middle of a row/);
  });
});

describe("LineReader", () => {
  it("returns the lines whatever the chunking, including empty ones", async () => {
    const data = Buffer.from(`header\n\n${text}\\.\n{"end":true}\n`);
    for (const size of [1, 5, 1000]) {
      const reader = new LineReader(Readable.from(pieces(data, size)));
      const lines: string[] = [];
      for (let line = await reader.next(); line !== null; line = await reader.next()) lines.push(line.toString("utf8"));
      expect(lines).toEqual(["header", "", ...rows, "\\.", '{"end":true}']);
    }
  });

  it("reports a file cut in the middle of a line as truncated", async () => {
    const reader = new LineReader(Readable.from([Buffer.from("complete\nincompl")]));
    expect((await reader.next())?.toString()).toBe("complete");
    await expect(reader.next()).rejects.toBeInstanceOf(BackupFormatError);
  });

  it("reports a missing JSON line by what was expected", async () => {
    const reader = new LineReader(Readable.from([Buffer.from("not json\n")]));
    await expect(reader.nextJson("the header")).rejects.toThrow(/expected the header/);
    await expect(reader.nextJson("the end marker")).rejects.toThrow(/ends before the end marker/);
  });
});

describe("ChunkedWriter", () => {
  it("passes the bytes through unchanged in chunks of about the given size", async () => {
    const chunks: Buffer[] = [];
    const writer = new ChunkedWriter(async (chunk) => void chunks.push(chunk), 10);
    for (const row of rows) await writer.write(`${row}\n`);
    await writer.flush();
    expect(Buffer.concat(chunks).toString("utf8")).toBe(text);
    expect(chunks.length).toBeGreaterThan(1);
  });
});
