// Writers that each send one request per period, their start times spread evenly over the
// period: 50 people posting about once a second each, not 50 clocks ticking in lockstep.
// autocannon's connectionRate starts every connection at the same instant, so all 50 requests
// of each second arrive together and queue behind each other; that burst is measured separately.
// Each writer waits for its previous answer before sending again (like a person).
import http from "node:http";

export type PacedRequest = { path: string; headers: Record<string, string>; body: string };
export type PacedResult = { latencies: number[]; statusCodes: Record<string, number>; requests: number; errors: number; seconds: number };

export async function runPacedWriters(opts: {
  base: string;
  writers: number;
  periodMs: number;
  seconds: number;
  request: (writer: number, n: number) => PacedRequest;
}): Promise<PacedResult> {
  const url = new URL(opts.base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.writers });
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let errors = 0;
  const started = performance.now();
  const endAt = started + opts.seconds * 1000;
  const sleepUntil = (t: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, t - performance.now())));

  const send = (req: PacedRequest) =>
    new Promise<number>((resolve, reject) => {
      const body = Buffer.from(req.body);
      const r = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: req.path,
          method: "POST",
          agent,
          headers: { ...req.headers, "content-length": String(body.length) },
        },
        (res) => {
          res.on("data", () => {});
          res.on("end", () => resolve(res.statusCode ?? 0));
          res.on("error", reject);
        },
      );
      r.on("error", reject);
      r.end(body);
    });

  async function writer(index: number) {
    let n = 0;
    for (let due = started + (index * opts.periodMs) / opts.writers; due < endAt; due += opts.periodMs) {
      await sleepUntil(due);
      n++;
      const t0 = performance.now();
      try {
        const status = await send(opts.request(index, n));
        latencies.push(performance.now() - t0);
        statusCodes[status] = (statusCodes[status] ?? 0) + 1;
      } catch {
        errors++;
      }
      // Late answers push the next request back instead of piling requests up.
      if (performance.now() > due + opts.periodMs) due = performance.now() - opts.periodMs;
    }
  }

  await Promise.all(Array.from({ length: opts.writers }, (_, i) => writer(i)));
  agent.destroy();
  return { latencies, statusCodes, requests: latencies.length, errors, seconds: (performance.now() - started) / 1000 };
}
