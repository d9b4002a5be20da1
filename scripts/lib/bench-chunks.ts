// What the browser's JavaScript chunks are made of, without source maps (the production build
// has none for the client): a Turbopack chunk is `(globalThis.TURBOPACK ||= []).push([script,
// id, factory, id, factory, …])`, so it splits into modules by parsing it (TypeScript's parser,
// already a dev dependency). A module is named from the build's client reference manifests
// (client components and Next's own entry modules, by id) or else from strings only one package
// has (react-dom's fiber keys, zod's `$ZodType`, micromark's names …). An estimate for the
// budget work (issue 15), not an exact attribution: unnamed modules count as "other".
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

export type ChunkModule = { id: number; bytes: number; owner: string };

/** Module id → source path ("[project]/features/notes/…"), from every page's client reference manifest. */
export function clientModulePaths(distDir: string): Map<number, string> {
  const paths = new Map<number, string>();
  const visit = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) visit(full);
      else if (name.endsWith("_client-reference-manifest.js")) {
        const text = readFileSync(full, "utf8");
        for (const match of text.matchAll(/"(\[project\]\/[^"]+)":\{"id":(\d+)/g)) paths.set(Number(match[2]), match[1]!);
      }
    }
  };
  try {
    visit(path.join(distDir, "server", "app"));
  } catch {
    // No build folder (measuring a server started elsewhere): signatures only.
  }
  return paths;
}

/** A package (or app file) name for a source path from the manifest. */
function ownerOfPath(source: string): string {
  const inModules = source.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (inModules) {
    const pkg = inModules[1]!;
    if (pkg === "next") return "next (runtime)";
    if (pkg === "next-intl" || pkg === "use-intl") return "next-intl";
    return pkg;
  }
  return `app: ${source.replace(/^\[project\]\//, "").replace(/ \[.*$/, "")}`;
}

/** Strings that (in this dependency set) only one package's client code contains. Order matters. */
const SIGNATURES: [owner: string, test: RegExp][] = [
  ["next (polyfills)", /"trimStart"in String\.prototype/],
  ["react-dom", /__reactFiber\$|__reactContainer\$|react-dom|unstable_scheduleCallback|__REACT_DEVTOOLS_GLOBAL_HOOK__/],
  ["zod", /\$ZodType|\$ZodError|ZodError|_zod\.def|"\$ZodCheck/],
  ["markdown (react-markdown, micromark, unified, hast)", /micromark|mdast|hast-util|unified|vfile|rehype|remark|"mdxjsEsm"|"gfmFootnote/],
  ["next-intl (use-intl, intl-messageformat)", /IntlMessageFormat|MISSING_MESSAGE|INSUFFICIENT_PATH|next-intl|use-intl|@formatjs\/|NEXT_LOCALE|"as-needed"/],
  ["fflate", /invalid zlib data|unknown compression type/],
  ["better-auth client", /better-auth|better-fetch|\$sessionSignal|nanostores/],
  ["react", /react\.transitional\.element|react\.fragment|https:\/\/react\.dev\/errors\//],
  ["next (runtime)", /__next_f|NEXT_REDIRECT|__NEXT_|next-router|Next-Router|RSC_HEADER|NEXT_HTTP_ERROR_FALLBACK|__nextjs|next-url|_rsc|x-nextjs|x-deployment-id/],
  // Next's client runtime ships as CommonJS (next/dist/client): after every package above, a
  // module that declares `__esModule` is almost always Next's.
  ["next (runtime)", /"__esModule"/],
];

/**
 * A client component named by the manifest can carry its dependencies merged into the same
 * factory (Turbopack's scope hoisting): name the package too when its signature is there.
 */
function ownerOfKnown(source: string, text: string): string {
  const owner = ownerOfPath(source);
  if (!owner.startsWith("app: ")) return owner;
  const merged = ownerOfSource(text);
  return merged.startsWith("other") || merged.startsWith("next (runtime)") ? owner : `${owner} (with ${merged})`;
}

export function ownerOfSource(source: string): string {
  for (const [owner, test] of SIGNATURES) if (test.test(source)) return owner;
  return "other (app code, small libraries)";
}

/**
 * The modules of one Turbopack chunk with their byte sizes. Anything that does not parse as
 * the push form (a runtime chunk, a plain script) is one module owned by its signature.
 */
export function splitChunk(text: string, paths: Map<number, string>): ChunkModule[] {
  const file = ts.createSourceFile("chunk.js", text, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  let list: ts.ArrayLiteralExpression | undefined;
  const find = (node: ts.Node): void => {
    if (list) return;
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === "push") {
      const arg = node.arguments[0];
      if (arg && ts.isArrayLiteralExpression(arg) && arg.elements.some((e) => ts.isNumericLiteral(e))) {
        list = arg;
        return;
      }
    }
    ts.forEachChild(node, find);
  };
  ts.forEachChild(file, find);
  if (!list) return [{ id: -1, bytes: Buffer.byteLength(text), owner: ownerOfSource(text) }];
  const modules: ChunkModule[] = [];
  const elements = list.elements;
  let covered = 0;
  for (let i = 0; i < elements.length; i++) {
    const element = elements[i]!;
    if (!ts.isNumericLiteral(element)) continue;
    const factory = elements[i + 1];
    if (!factory || ts.isNumericLiteral(factory)) continue;
    const id = Number(element.text);
    const source = text.slice(factory.getStart(file), factory.getEnd());
    const known = paths.get(id);
    const bytes = Buffer.byteLength(source);
    covered += bytes;
    modules.push({ id, bytes, owner: known ? ownerOfKnown(known, source) : ownerOfSource(source) });
    i++;
  }
  // The wrapper and anything between factories (a few hundred bytes per chunk).
  const rest = Buffer.byteLength(text) - covered;
  if (rest > 0) modules.push({ id: -1, bytes: rest, owner: "next (runtime)" });
  return modules;
}
