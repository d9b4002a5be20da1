import { readFile } from "node:fs/promises";

// `npm run bench` compares the reader with a static page of the same size served by the same
// server (through the same proxy). The bench writes that page to the file named here (and, for
// `?size=<name>`, to `<file>.<name>`: one per page size it compares); without the variable
// (every normal run) this route does not exist.
const cached = new Map<string, Promise<string>>();

export async function GET(request: Request) {
  const file = process.env.TAIYAKU_BENCH_BASELINE_FILE;
  if (!file) return new Response("Not found", { status: 404 });
  const size = new URL(request.url).searchParams.get("size");
  const path = size && /^[a-z0-9-]{1,20}$/.test(size) ? `${file}.${size}` : file;
  let page = cached.get(path);
  if (!page) cached.set(path, (page = readFile(path, "utf8")));
  const body = await page.catch(() => null);
  if (body === null) return new Response("Not found", { status: 404 });
  return new Response(body, { headers: { "content-type": "text/html; charset=utf-8" } });
}
