// Which source files reach the browser, read from the import graph rather than from a build: the
// checks that keep the client small (issue 15: no zod on the client, only the message namespaces a
// page's client components use) must run in `npm run validate` in a second, without `next build`.
// The rule it follows is the App Router's: a server file's imports stay on the server until one
// of them says "use client"; from there on, everything that file value-imports ships too.
// Conservative on purpose: an `import { X }` that only uses X as a type counts as a value import
// (the compiler may drop it, but the check should not depend on that), so write `import type`.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

/** The repository root (this file is scripts/lib/client-graph.ts). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Repo-relative POSIX paths ("features/notes/components/note-item.tsx"). */
export type GraphOptions = { followDynamic: boolean };

export type ImportRef = { specifier: string; typeOnly: boolean; dynamic: boolean };

const CODE_FILE = /\.(tsx?|jsx?|mjs|cjs|mts|cts)$/;
const EXTENSIONS = [".ts", ".tsx", ".js", ".mjs", ".json"];

const parsed = new Map<string, { imports: ImportRef[]; directive: "use client" | "use server" | null }>();

function parse(file: string, root: string) {
  const full = path.join(root, file);
  const key = full;
  const known = parsed.get(key);
  if (known) return known;
  const result: { imports: ImportRef[]; directive: "use client" | "use server" | null } = { imports: [], directive: null };
  if (!CODE_FILE.test(file) || !existsSync(full)) {
    parsed.set(key, result);
    return result;
  }
  const text = readFileSync(full, "utf8");
  const kind = file.endsWith(".tsx") || file.endsWith(".jsx") ? ts.ScriptKind.TSX : file.endsWith(".js") || file.endsWith(".mjs") ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const source = ts.createSourceFile(full, text, ts.ScriptTarget.Latest, false, kind);

  // Directives: string-literal statements before anything else.
  for (const statement of source.statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isStringLiteral(statement.expression)) break;
    const value = statement.expression.text;
    if (value === "use client" || value === "use server") {
      result.directive = value;
      break;
    }
  }

  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      let typeOnly = false;
      if (clause) {
        if (clause.isTypeOnly) typeOnly = true;
        else if (!clause.name && clause.namedBindings && ts.isNamedImports(clause.namedBindings)) {
          const elements = clause.namedBindings.elements;
          typeOnly = elements.length > 0 && elements.every((element) => element.isTypeOnly);
        }
      }
      result.imports.push({ specifier: node.moduleSpecifier.text, typeOnly, dynamic: false });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      let typeOnly = node.isTypeOnly;
      if (!typeOnly && node.exportClause && ts.isNamedExports(node.exportClause)) {
        const elements = node.exportClause.elements;
        typeOnly = elements.length > 0 && elements.every((element) => element.isTypeOnly);
      }
      result.imports.push({ specifier: node.moduleSpecifier.text, typeOnly, dynamic: false });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument && (ts.isStringLiteral(argument) || ts.isNoSubstitutionTemplateLiteral(argument))) {
        result.imports.push({ specifier: argument.text, typeOnly: false, dynamic: true });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  parsed.set(key, result);
  return result;
}

/** Static import specifiers of a file: value imports, `export … from`, `import()` (dynamic: true). `import type` and
 *  `import { type X }`-only imports are typeOnly and never followed. */
export function importsOf(file: string, root = REPO_ROOT): ImportRef[] {
  return parse(file, root).imports;
}

/** The file's "use client" / "use server" directive, if any. */
export function directiveOf(file: string, root = REPO_ROOT): "use client" | "use server" | null {
  return parse(file, root).directive;
}

function isFile(full: string): boolean {
  try {
    return statSync(full).isFile();
  } catch {
    return false;
  }
}

/** "@/x/y" and relative specifiers → repo file (tries .ts .tsx .js .mjs .json, /index.*); packages → null. */
export function resolveImport(fromFile: string, specifier: string, root = REPO_ROOT): string | null {
  let base: string;
  if (specifier.startsWith("@/")) base = path.join(root, specifier.slice(2));
  else if (specifier.startsWith("./") || specifier.startsWith("../") || specifier === "." || specifier === "..") {
    base = path.resolve(root, path.dirname(fromFile), specifier);
  } else return null;
  const candidates = [base, ...EXTENSIONS.map((ext) => base + ext), ...EXTENSIONS.map((ext) => path.join(base, `index${ext}`))];
  for (const candidate of candidates) {
    if (!isFile(candidate)) continue;
    const relative = path.relative(root, candidate);
    if (relative.startsWith("..") || path.isAbsolute(relative)) return null;
    return relative.split(path.sep).join("/");
  }
  return null;
}

type Walk = { client: Map<string, string | null>; server: Map<string, string | null> };

// Breadth-first, once per side (a lib/ helper can be both a server import and a client one),
// remembering who pulled each file in, so a finding can show a shortest trail.
function walk(entries: string[], opts: GraphOptions, root: string): Walk {
  const client = new Map<string, string | null>();
  const server = new Map<string, string | null>();
  const queue: { file: string; side: "server" | "client"; from: string | null }[] = entries.map((file) => ({ file, side: "server", from: null }));
  while (queue.length) {
    const { file, side, from } = queue.shift()!;
    const directive = directiveOf(file, root);
    let onClient = side === "client";
    if (side === "server") {
      if (directive === "use client") onClient = true;
      else if (server.has(file)) continue;
      else server.set(file, from);
    }
    if (onClient) {
      // A "use server" module imported by a client file ships as action references only.
      if (side === "client" && directive === "use server") continue;
      if (client.has(file)) continue;
      client.set(file, from);
    }
    for (const ref of importsOf(file, root)) {
      if (ref.typeOnly || (ref.dynamic && !opts.followDynamic)) continue;
      const target = resolveImport(file, ref.specifier, root);
      if (target) queue.push({ file: target, side: onClient ? "client" : "server", from: file });
    }
  }
  return { client, server };
}

/** Files that reach the browser from server entry files (pages, layouts, server components): every "use client" file
 *  reachable from the entries (through server files too), plus everything those client files value-import, transitively.
 *  With followDynamic, import() targets (next/dynamic, React.lazy) are followed too. */
export function clientFiles(entries: string[], opts: GraphOptions, root = REPO_ROOT): Set<string> {
  return new Set(walk(entries, opts, root).client.keys());
}

/** Server files the entries reach without crossing into client code (where their JSX is written). */
export function serverFiles(entries: string[], opts: GraphOptions, root = REPO_ROOT): Set<string> {
  return new Set(walk(entries, opts, root).server.keys());
}

/** The files Next starts a page from: every page, layout, template and error or not-found screen under app/. */
export function routeEntries(root = REPO_ROOT): string[] {
  const entries: string[] = [];
  const visit = (relative: string) => {
    for (const name of readdirSync(path.join(root, relative))) {
      const child = `${relative}/${name}`;
      if (statSync(path.join(root, child)).isDirectory()) visit(child);
      else if (/^(page|layout|template|not-found|error|global-error)\.tsx?$/.test(name)) entries.push(child);
    }
  };
  visit("app");
  return entries.sort();
}

/** A shortest import chain from an entry to `file` through the browser graph (entry first), or null if `file` is not in it. */
export function clientTrail(entries: string[], opts: GraphOptions, file: string, root = REPO_ROOT): string[] | null {
  const { client, server } = walk(entries, opts, root);
  if (!client.has(file)) return null;
  const trail = [file];
  let map = client;
  for (let at = client.get(file); at; at = map.get(at)) {
    // Parents of client files are client files, until the first "use client" file, whose parent is a server file.
    if (map === client && !client.has(at)) map = server;
    trail.unshift(at);
  }
  return trail;
}

/** A bare specifier's package: "@scope/pkg/sub" → "@scope/pkg", "pkg/sub" → "pkg"; zod's mini build keeps its path. */
export function packageName(specifier: string): string {
  if (/^zod\/(v4\/)?mini$/.test(specifier) || specifier === "zod/v4-mini") return "zod/mini";
  if (specifier.startsWith("node:")) return specifier;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

/** Packages (bare specifiers, normalised to the package name, "zod/mini" kept as is) value-imported by a set of files. */
export function packagesImportedBy(files: Iterable<string>, root = REPO_ROOT): Map<string, string[] /* files */> {
  const packages = new Map<string, string[]>();
  for (const file of files) {
    for (const ref of importsOf(file, root)) {
      if (ref.typeOnly || ref.specifier.startsWith(".") || ref.specifier.startsWith("@/") || ref.specifier.startsWith("/")) continue;
      const name = packageName(ref.specifier);
      const importers = packages.get(name) ?? [];
      if (!importers.includes(file)) importers.push(file);
      packages.set(name, importers);
    }
  }
  return packages;
}
