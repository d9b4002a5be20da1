import { readFileSync } from "node:fs";
import { processTree } from "./process-memory";

// CPU time of a process and everything it spawned, read from /proc (Linux): the cluster bench
// divides it by the requests served to say where each request's CPU goes (Node, PostgreSQL,
// nginx) — the capacity model in docs/scaling.md is built from these figures.

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux the project runs on

/**
 * utime + stime + cutime + cstime of every process in the tree, in seconds. Counting the
 * children's fields too keeps the time of processes that already ended (a PostgreSQL backend
 * whose connection closed) once they were reaped by a parent in the tree.
 */
export function treeCpuSeconds(pid: number): number {
  let ticks = 0;
  for (const p of processTree(pid)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // Fields 14–17 of /proc/<pid>/stat; the slice starts at field 3 (state).
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch {
      // Gone.
    }
  }
  return ticks / TICKS_PER_SECOND;
}
