import { readdirSync, readFileSync } from "node:fs";

// Memory of a server process and everything it spawned, read from /proc (Linux), for the benches.

/** The process and all its descendants, from /proc's parent ids. */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) out.push(...(children.get(out[i]!) ?? []));
  return out;
}

/** Sum of one /proc/<pid>/status field (VmHWM: peak, VmRSS: current) over the tree, in KB. */
export function treeMemoryKb(pid: number, field: "VmHWM" | "VmRSS"): number {
  const pattern = new RegExp(`${field}:\\s+(\\d+) kB`);
  let kb = 0;
  for (const p of processTree(pid)) {
    try {
      kb += Number(pattern.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // Gone.
    }
  }
  return kb;
}
