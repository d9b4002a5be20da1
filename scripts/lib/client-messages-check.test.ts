import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkClientMessages, declaredIn, namespacesUsedIn } from "./client-messages-check";

let root: string;

function file(relative: string, content: string) {
  const full = path.join(root, relative);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, content);
}

/** A miniature app: the layout, the shell with the header's namespaces, one page. */
function app(pageShellAttributes: string) {
  file("app/[locale]/layout.tsx", 'const LAYOUT_NAMESPACES = ["Error"] as const;\nexport default function L() { return null; }\n');
  file("app/[locale]/error.tsx", '"use client";\nimport { useTranslations } from "next-intl";\nexport default function E() { useTranslations("Error"); return null; }\n');
  file("components/page-shell.tsx", 'export const HEADER_NAMESPACES = ["Header"] as const;\nexport function PageShell() { return null; }\n');
  file(
    "app/[locale]/page.tsx",
    `import { PageShell } from "@/components/page-shell";\nimport { Panel } from "@/features/x/components/panel";\nexport default function P() { return <PageShell ${pageShellAttributes}><Panel /></PageShell>; }\n`,
  );
  file(
    "features/x/components/panel.tsx",
    '"use client";\nimport { lazy } from "react";\nimport { useTranslations } from "next-intl";\nconst Later = lazy(() => import("./later"));\nexport function Panel() { useTranslations("Notes"); return <Later />; }\n',
  );
  // Loaded lazily, still under the page's provider: its namespace counts.
  file("features/x/components/later.tsx", '"use client";\nimport { useTranslations } from "next-intl";\nexport default function Later() { useTranslations("Moderation.queue"); return null; }\n');
}

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "client-messages-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("checkClientMessages", () => {
  it("names each namespace a page's client components (lazy ones included) use and the page does not list", () => {
    app('clientMessages={["Notes"]}');
    const problems = checkClientMessages(root).map((p) => p.message);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("app/[locale]/page.tsx");
    expect(problems[0]).toContain("features/x/components/later.tsx");
    expect(problems[0]).toContain('"Moderation"');
  });

  it("passes when the page lists them, and error.tsx is covered by the layout's list", () => {
    app('clientMessages={["Notes", "Moderation"]}');
    expect(checkClientMessages(root)).toEqual([]);
  });
});

describe("parsing", () => {
  it("reads namespaces (top level of dotted ones) and flags unscoped translators", () => {
    expect(namespacesUsedIn('useTranslations("A"); useTranslations("B.c"); useTranslations( "A" )')).toEqual({ namespaces: ["A", "B"], unscoped: false });
    expect(namespacesUsedIn("useTranslations()").unscoped).toBe(true);
    expect(declaredIn('<PageShell clientMessages={["A", "B"]} locale="en">')).toEqual(["A", "B"]);
  });
});
