// A TCP pass-through in front of PostgreSQL that counts the statements its clients run, so the
// bench can report SQL queries per request without pg_stat_statements. It runs in a worker
// thread so relaying the server's database traffic never stalls the load generator's event
// loop. Only the frontend (client → server) stream is parsed: after the untyped startup packets
// every message is [type byte][int32 length incl. itself][payload]. A simple query is one 'Q'; an
// extended-protocol execution (what node-postgres and Prisma's pg adapter send for
// parameterised queries) is one 'B' (Bind). BEGIN/COMMIT count as statements too.
import { Worker } from "node:worker_threads";

export type QueryCounter = { url: string; count(): number; close(): Promise<void> };

const workerSource = `
const net = require("node:net");
const { parentPort, workerData } = require("node:worker_threads");
const counter = new Int32Array(workerData.shared);
const SSL_REQUEST = 80877103, GSSENC_REQUEST = 80877104;
const server = net.createServer((client) => {
  const upstream = net.connect(workerData.targetPort, workerData.targetHost);
  let startup = true;
  let pending = Buffer.alloc(0);
  client.on("data", (chunk) => {
    upstream.write(chunk);
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    for (;;) {
      if (startup) {
        if (pending.length < 8) break;
        const length = pending.readInt32BE(0);
        if (pending.length < length) break;
        const code = pending.readInt32BE(4);
        if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) startup = false;
        pending = pending.subarray(length);
      } else {
        if (pending.length < 5) break;
        const length = pending.readInt32BE(1);
        if (pending.length < length + 1) break;
        if (pending[0] === 0x51 || pending[0] === 0x42) Atomics.add(counter, 0, 1);
        pending = pending.subarray(length + 1);
      }
    }
  });
  upstream.on("data", (chunk) => client.write(chunk));
  const end = () => { client.destroy(); upstream.destroy(); };
  client.on("close", end).on("error", end);
  upstream.on("close", end).on("error", end);
});
server.on("error", (error) => parentPort.postMessage({ error: String(error) }));
server.listen(workerData.port, "127.0.0.1", () => parentPort.postMessage({ listening: true }));
`;

export async function startQueryCounter(databaseUrl: string, port: number): Promise<QueryCounter> {
  const target = new URL(databaseUrl);
  const shared = new SharedArrayBuffer(4);
  const counter = new Int32Array(shared);
  const worker = new Worker(workerSource, {
    eval: true,
    workerData: { shared, port, targetHost: target.hostname, targetPort: Number(target.port || 5432) },
  });
  await new Promise<void>((resolve, reject) => {
    worker.once("message", (message: { listening?: boolean; error?: string }) =>
      message.listening ? resolve() : reject(new Error(`query counter: ${message.error}`)),
    );
    worker.once("error", reject);
  });
  const url = new URL(databaseUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  return {
    url: url.toString(),
    count: () => Atomics.load(counter, 0),
    close: async () => {
      await worker.terminate();
    },
  };
}

/**
 * A counter on a random free port (tests run in parallel files): tries up to five random ports
 * between 20000 and 40000 before giving up.
 */
export async function startQueryCounterOnAnyPort(databaseUrl: string): Promise<QueryCounter> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startQueryCounter(databaseUrl, 20_000 + Math.floor(Math.random() * 20_000));
    } catch (error) {
      if (attempt >= 5) throw error;
    }
  }
}
