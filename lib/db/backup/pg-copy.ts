// COPY … TO STDOUT and COPY … FROM STDIN over a node-postgres client, without pg-copy-streams:
// pg runs any object with a submit() method as a query and hands it the protocol messages, which
// is all COPY needs. Backpressure is done on the client's socket, so neither direction holds
// more than a few chunks in memory whatever the table's size.
import { once } from "node:events";
import { Readable } from "node:stream";
import type pg from "pg";
import type { Socket } from "node:net";

/** The parts of pg's internal Connection that COPY uses. */
type Connection = {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
  stream: Socket;
};

type Submittable = Parameters<pg.Client["query"]>[0] & { submit(connection: Connection): void };

function notCopy(what: string): Error {
  return new Error(`Expected a COPY statement but the server answered with ${what}.`);
}

function commandCount(text: string): number {
  const match = /^COPY (\d+)/.exec(text);
  return match ? Number(match[1]) : 0;
}

/**
 * The rows of `COPY … TO STDOUT` as a stream of Buffers (one CopyData message each: one row in
 * text format). `rowCount` is the server's own count, set when the stream ends.
 */
export function copyOut(client: pg.Client, sql: string): Readable & { rowCount: number } {
  const stream = new CopyOutStream(sql);
  client.query(stream as unknown as Submittable);
  return stream;
}

class CopyOutStream extends Readable {
  rowCount = 0;
  private connection: Connection | undefined;
  private socketPaused = false;

  constructor(private readonly text: string) {
    super({ highWaterMark: 256 * 1024 });
  }

  submit(connection: Connection): void {
    this.connection = connection;
    connection.query(this.text);
  }

  handleCopyData(message: { chunk: Buffer }): void {
    // A reader that gave up (destroyed the stream): the rest of the COPY is read and dropped,
    // so the connection stays usable (for the ROLLBACK).
    if (this.destroyed) return;
    // pg's parser reuses its buffer for later messages: the slice must be copied.
    if (!this.push(Buffer.from(message.chunk)) && this.connection) {
      this.socketPaused = true;
      this.connection.stream.pause();
    }
  }

  override _read(): void {
    this.resumeSocket();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.resumeSocket();
    callback(error);
  }

  handleCommandComplete(message: { text: string }): void {
    this.rowCount = commandCount(message.text);
  }

  handleReadyForQuery(): void {
    if (!this.destroyed) this.push(null);
  }

  handleError(error: Error): void {
    // The error ends the query for pg; the socket must flow again for the next one.
    this.resumeSocket();
    this.destroy(error);
  }

  handleRowDescription(): void {
    this.handleError(notCopy("rows"));
  }

  handleDataRow(): void {}
  handleEmptyQuery(): void {
    this.handleError(notCopy("an empty query"));
  }
  handlePortalSuspended(): void {}
  handleCopyInResponse(connection: Connection): void {
    connection.sendCopyFail("not a COPY TO statement");
  }

  private resumeSocket(): void {
    if (!this.socketPaused) return;
    this.socketPaused = false;
    this.connection?.stream.resume();
  }
}

/** A running `COPY … FROM STDIN`: write() the data, then end() (or fail()). */
export type CopyIn = {
  write(chunk: Buffer): Promise<void>;
  /** Finishes the COPY; resolves with the number of rows the server loaded. */
  end(): Promise<number>;
  /** Aborts the COPY (the server rolls the statement back); resolves once the server has answered. */
  fail(reason: string): Promise<void>;
};

export async function copyIn(client: pg.Client, sql: string): Promise<CopyIn> {
  const submittable = new CopyInSubmittable(sql);
  client.query(submittable as unknown as Submittable);
  await submittable.started;
  return {
    write: (chunk) => submittable.write(chunk),
    end: () => submittable.end(),
    fail: (reason) => submittable.fail(reason),
  };
}

class CopyInSubmittable {
  readonly started: Promise<void>;
  private readonly finished: Promise<number>;
  private resolveStarted!: () => void;
  private rejectStarted!: (error: Error) => void;
  private resolveFinished!: (rows: number) => void;
  private rejectFinished!: (error: Error) => void;
  private connection: Connection | undefined;
  private error: Error | undefined;
  private rowCount = 0;

  constructor(private readonly text: string) {
    this.started = new Promise((resolve, reject) => {
      this.resolveStarted = resolve;
      this.rejectStarted = reject;
    });
    this.finished = new Promise((resolve, reject) => {
      this.resolveFinished = resolve;
      this.rejectFinished = reject;
    });
    // Whoever awaits end()/fail() sees the error; these keep an unobserved one from crashing.
    this.started.catch(() => undefined);
    this.finished.catch(() => undefined);
  }

  submit(connection: Connection): void {
    this.connection = connection;
    connection.query(this.text);
  }

  handleCopyInResponse(): void {
    this.resolveStarted();
  }

  async write(chunk: Buffer): Promise<void> {
    // The server refused a row (a constraint, a bad value): it answers at once and ignores the
    // rest, so stop sending and let end() report it.
    if (this.error || !this.connection) return;
    this.connection.sendCopyFromChunk(chunk);
    const socket = this.connection.stream;
    if (socket.writableNeedDrain) await once(socket, "drain");
  }

  async end(): Promise<number> {
    if (!this.error) this.connection?.endCopyFrom();
    return this.finished;
  }

  async fail(reason: string): Promise<void> {
    if (!this.error) this.connection?.sendCopyFail(reason);
    await this.finished.catch(() => undefined);
  }

  handleCommandComplete(message: { text: string }): void {
    this.rowCount = commandCount(message.text);
  }

  // For pg an error ends the query: it forgets it before ReadyForQuery arrives.
  handleError(error: Error): void {
    this.error = error;
    this.rejectStarted(error);
    this.rejectFinished(error);
  }

  handleReadyForQuery(): void {
    this.resolveFinished(this.rowCount);
  }

  handleRowDescription(): void {
    this.handleError(notCopy("rows"));
  }
  handleDataRow(): void {}
  handleEmptyQuery(): void {
    this.handleError(notCopy("an empty query"));
  }
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}
