// The client-messages check (issue 15, ADR 0038), run by `npm run check:features`: every page
// hands its client components only the message namespaces they use (components/client-messages.tsx
// via PageShell's `clientMessages`), and a nested provider replaces its parent's messages. So a
// page that forgets a namespace shows raw keys in the browser. This derives, from the import graph
// (scripts/lib/client-graph.ts, lazily loaded components included), which namespaces each page's
// client components translate, and compares them with what the page lists.
import { readFileSync } from "node:fs";
import path from "node:path";
import { clientFiles, REPO_ROOT, routeEntries, serverFiles } from "./client-graph";

export type MessagesProblem = { kind: "messages"; message: string };

const SHELL = "components/page-shell.tsx";
const LAYOUT = "app/[locale]/layout.tsx";

/** Top-level namespaces a file translates on the client: useTranslations("Ns") / ("Ns.sub"). */
export function namespacesUsedIn(source: string): { namespaces: string[]; unscoped: boolean } {
  const namespaces = [...source.matchAll(/useTranslations\(\s*["'`]([A-Za-z0-9_]+)(?:\.[^"'`]*)?["'`]\s*\)/g)].map((m) => m[1]!);
  return { namespaces: [...new Set(namespaces)], unscoped: /useTranslations\(\s*\)/.test(source) || /useMessages\(/.test(source) };
}

/** String literals inside every `clientMessages={[ … ]}` of a file. */
export function declaredIn(source: string): string[] {
  const out: string[] = [];
  for (const match of source.matchAll(/clientMessages=\{\[([^\]]*)\]\}/g)) for (const literal of match[1]!.matchAll(/["']([A-Za-z0-9_]+)["']/g)) out.push(literal[1]!);
  return out;
}

/** The literal namespaces of a `const NAME = [ … ]` in a file (the shell's and the layout's own). */
export function constantList(source: string, name: string): string[] {
  const match = source.match(new RegExp(`const ${name}\\s*=\\s*\\[([^\\]]*)\\]`));
  return match ? [...match[1]!.matchAll(/["']([A-Za-z0-9_]+)["']/g)].map((m) => m[1]!) : [];
}

export function checkClientMessages(root = REPO_ROOT): MessagesProblem[] {
  const read = (file: string) => readFileSync(path.join(root, file), "utf8");
  const shellNamespaces = constantList(read(SHELL), "HEADER_NAMESPACES");
  const layoutNamespaces = constantList(read(LAYOUT), "LAYOUT_NAMESPACES");
  const problems: MessagesProblem[] = [];
  // Pages and the screens that replace them; layouts and templates render no PageShell.
  for (const entry of routeEntries(root).filter((file) => /\/(page|not-found|error)\.tsx$/.test(file))) {
    const required = new Map<string, string>();
    for (const file of clientFiles([entry], { followDynamic: true }, root)) {
      const { namespaces, unscoped } = namespacesUsedIn(read(file));
      if (unscoped) problems.push({ kind: "messages", message: `${file}: useTranslations() without a namespace (or useMessages) cannot be checked; name the namespace` });
      for (const namespace of namespaces) if (!required.has(namespace)) required.set(namespace, file);
    }
    const server = serverFiles([entry], { followDynamic: true }, root);
    // Inside PageShell the page's list (plus the header's) applies; without it, the layout's.
    const declared = new Set(server.has(SHELL) ? [...shellNamespaces, ...[...server].flatMap((file) => declaredIn(read(file)))] : layoutNamespaces);
    for (const [namespace, file] of required) {
      if (declared.has(namespace)) continue;
      problems.push({
        kind: "messages",
        message: server.has(SHELL)
          ? `${entry}: its client component ${file} translates "${namespace}"; add it to the page's <PageShell clientMessages={[…]}>`
          : `${entry}: its client component ${file} translates "${namespace}", which the layout's LAYOUT_NAMESPACES do not hand to the client`,
      });
    }
  }
  return problems;
}
