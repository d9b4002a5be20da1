import { readFile } from "node:fs/promises";

// `npm run bench` compares the reader with a static page of the same size served by the same
// server (through the same proxy). The bench writes that page to the file named here; without
// the variable (every normal run) this route does not exist.
let cached: Promise<string> | undefined;

export async function GET() {
  const file = process.env.TAIYAKU_BENCH_BASELINE_FILE;
  if (!file) return new Response("Not found", { status: 404 });
  cached ??= readFile(file, "utf8");
  return new Response(await cached, { headers: { "content-type": "text/html; charset=utf-8" } });
}
