// npm run check:features — the shape of features/ (ADR 0001), checked in `npm run validate`:
// 1. a feature folder holds only the fixed file names (plus tests beside them and components/),
//    so a reader knows where a feature's reads, writes, loaders, schemas and endpoints are;
// 2. no two features import each other, directly or through others: a feature that needs
//    another's data depends on it one way, and shared infrastructure lives in lib/;
// 3. full zod never reaches the browser (issue 15: 32 KB gzipped of first-load JavaScript on
//    every page that imported a schema.ts): client code imports a feature's types.ts, the zod
//    schemas stay in schema.ts on the server, and the API pipeline answers with field errors. A
//    form that really needs a schema on the client uses zod/mini, in a file loaded with import().
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { checkClientMessages } from "./lib/client-messages-check";
import { clientFiles, clientTrail, packagesImportedBy, routeEntries } from "./lib/client-graph";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const featuresDir = path.join(root, "features");

/** The fixed names (Rallly's convention, plus api.ts: the endpoints of lib/http/endpoint.ts). */
export const ALLOWED_FILES = new Set(["data.ts", "mutations.ts", "loaders.ts", "schema.ts", "types.ts", "api.ts", "actions.ts"]);
const TEST_FILE = /\.(int\.)?test\.tsx?$/;

export type Problem = { kind: "structure" | "cycle" | "client-zod"; message: string };

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

export function checkStructure(dir = featuresDir): Problem[] {
  const problems: Problem[] = [];
  for (const feature of readdirSync(dir)) {
    const folder = path.join(dir, feature);
    if (!statSync(folder).isDirectory()) {
      problems.push({ kind: "structure", message: `features/${feature}: only feature folders belong in features/` });
      continue;
    }
    for (const entry of readdirSync(folder)) {
      const full = path.join(folder, entry);
      if (statSync(full).isDirectory()) {
        if (entry !== "components") problems.push({ kind: "structure", message: `features/${feature}/${entry}/: the only folder a feature has is components/` });
        continue;
      }
      if (ALLOWED_FILES.has(entry) || TEST_FILE.test(entry)) continue;
      problems.push({
        kind: "structure",
        message: `features/${feature}/${entry}: a feature holds ${[...ALLOWED_FILES].join(", ")}, components/ and tests; move this into one of them or into lib/`,
      });
    }
  }
  return problems;
}

/** feature → the features its non-test files import. */
export function featureGraph(dir = featuresDir): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const feature of readdirSync(dir).filter((name) => statSync(path.join(dir, name)).isDirectory())) {
    const edges = new Set<string>();
    for (const file of walk(path.join(dir, feature))) {
      if (!/\.tsx?$/.test(file) || TEST_FILE.test(file)) continue;
      const source = readFileSync(file, "utf8");
      for (const match of source.matchAll(/(?:from|import)\s*\(?\s*["']@\/features\/([a-z0-9-]+)\//g)) {
        if (match[1] !== feature) edges.add(match[1]!);
      }
      // A relative path out of the folder ("../../notes/data") is the same edge.
      for (const match of source.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']*)["']/g)) {
        const target = path.relative(dir, path.resolve(path.dirname(file), match[1]!)).split(path.sep)[0];
        if (target && target !== feature && !target.startsWith("..")) edges.add(target);
      }
    }
    graph.set(feature, edges);
  }
  return graph;
}

export function findCycles(graph: Map<string, Set<string>>): string[][] {
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const visit = (node: string, trail: string[]) => {
    const at = trail.indexOf(node);
    if (at !== -1) {
      const cycle = trail.slice(at);
      const key = [...cycle].sort().join(">");
      if (!seen.has(key)) {
        seen.add(key);
        cycles.push([...cycle, node]);
      }
      return;
    }
    for (const next of graph.get(node) ?? []) visit(next, [...trail, node]);
  };
  for (const node of graph.keys()) visit(node, []);
  return cycles;
}

/** Full `zod` nowhere in the browser graph; `zod/mini` only in files reached through import(). */
export function checkClientZod(base = root): Problem[] {
  const entries = routeEntries(base);
  const problems: Problem[] = [];
  const all = packagesImportedBy(clientFiles(entries, { followDynamic: true }, base), base);
  const eager = packagesImportedBy(clientFiles(entries, { followDynamic: false }, base), base);
  const trail = (file: string, followDynamic: boolean) => (clientTrail(entries, { followDynamic }, file, base) ?? [file]).join(" → ");
  for (const file of all.get("zod") ?? []) {
    problems.push({
      kind: "client-zod",
      message: `${file} imports zod and reaches the browser (${trail(file, true)}): import constants and helpers from the feature's types.ts, keep zod schemas in schema.ts for the server, and let the API's field errors speak; a form that needs a schema on the client uses zod/mini in a lazily loaded file`,
    });
  }
  for (const file of eager.get("zod/mini") ?? []) {
    problems.push({
      kind: "client-zod",
      message: `${file} imports zod/mini in the page's first load (${trail(file, false)}): load the form that needs it with import() (next/dynamic or React.lazy)`,
    });
  }
  return problems;
}

export function checkFeatures(dir = featuresDir): Problem[] {
  const cycles = findCycles(featureGraph(dir)).map((cycle) => ({
    kind: "cycle" as const,
    message: `features import each other in a circle: ${cycle.join(" → ")}; make one depend on the other only, or move what both need into lib/`,
  }));
  return [...checkStructure(dir), ...cycles];
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const problems = [...checkFeatures(), ...checkClientZod(), ...checkClientMessages()];
  for (const problem of problems) console.error(`✗ ${problem.message}`);
  if (problems.length) {
    console.error(`check:features: ${problems.length} problem(s)`);
    process.exit(1);
  }
  console.log(`check:features: ${featureGraph().size} features, fixed file names, no import cycles, no zod in the browser, every page's client messages listed`);
}
