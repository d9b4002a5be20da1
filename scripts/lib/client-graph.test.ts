import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { clientFiles, clientTrail, importsOf, packageName, packagesImportedBy, REPO_ROOT, resolveImport } from "./client-graph";

let root: string;

function file(relative: string, content = "export {};\n") {
  const full = path.join(root, relative);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, content);
}

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), "client-graph-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("importsOf", () => {
  it("tells value, type-only and dynamic imports apart", () => {
    file(
      "a.tsx",
      [
        '"use client";',
        'import { a } from "./value";',
        'import type { T } from "./type-only";',
        'import { type U, type V } from "./inline-types";',
        'import { type W, w } from "./mixed";',
        'import Default, { type X } from "./default";',
        'import "./side-effect.css";',
        'export { e } from "./re-export";',
        'export type { F } from "./type-re-export";',
        'export * from "./star";',
        'const Lazy = dynamic(() => import("./lazy"));',
        "type Q = typeof import('./type-query');",
      ].join("\n"),
    );
    expect(importsOf("a.tsx", root)).toEqual([
      { specifier: "./value", typeOnly: false, dynamic: false },
      { specifier: "./type-only", typeOnly: true, dynamic: false },
      { specifier: "./inline-types", typeOnly: true, dynamic: false },
      { specifier: "./mixed", typeOnly: false, dynamic: false },
      { specifier: "./default", typeOnly: false, dynamic: false },
      { specifier: "./side-effect.css", typeOnly: false, dynamic: false },
      { specifier: "./re-export", typeOnly: false, dynamic: false },
      { specifier: "./type-re-export", typeOnly: true, dynamic: false },
      { specifier: "./star", typeOnly: false, dynamic: false },
      { specifier: "./lazy", typeOnly: false, dynamic: true },
    ]);
  });

  it("returns nothing for files that are not code or do not exist", () => {
    file("style.css", '@import "./other.css";\n');
    expect(importsOf("style.css", root)).toEqual([]);
    expect(importsOf("missing.ts", root)).toEqual([]);
  });
});

describe("resolveImport", () => {
  it("resolves @/ and relative specifiers to repo files, packages to null", () => {
    file("features/notes/schema.ts");
    file("features/notes/components/item.tsx");
    file("lib/dates/index.ts");
    file("messages/en.json", "{}");
    file("features/notes/components/notes.css", "");
    expect(resolveImport("features/notes/components/item.tsx", "../schema", root)).toBe("features/notes/schema.ts");
    expect(resolveImport("app/page.tsx", "@/features/notes/components/item", root)).toBe("features/notes/components/item.tsx");
    expect(resolveImport("app/page.tsx", "@/lib/dates", root)).toBe("lib/dates/index.ts");
    expect(resolveImport("app/page.tsx", "@/messages/en.json", root)).toBe("messages/en.json");
    expect(resolveImport("features/notes/components/item.tsx", "./notes.css", root)).toBe("features/notes/components/notes.css");
    expect(resolveImport("app/page.tsx", "zod", root)).toBeNull();
    expect(resolveImport("app/page.tsx", "@scope/pkg", root)).toBeNull();
    expect(resolveImport("app/page.tsx", "./missing", root)).toBeNull();
  });
});

describe("clientFiles", () => {
  beforeEach(() => {
    file("app/page.tsx", 'import { Panel } from "@/features/f/components/panel";\nimport { load } from "@/features/f/loaders";\n');
    // Server-only files: followed on the server, never shipped.
    file("features/f/loaders.ts", 'import { rows } from "./data";\nimport { shared } from "@/lib/shared";\n');
    file("features/f/data.ts", 'import "server-only";\n');
    file("lib/shared.ts");
    file(
      "features/f/components/panel.tsx",
      '"use client";\nimport { shared } from "@/lib/shared";\nimport type { Row } from "../schema";\nimport { helper } from "./helper";\nimport { save } from "../actions";\nconst Editor = lazy(() => import("./editor"));\n',
    );
    file("features/f/components/helper.ts", 'import { z } from "zod";\nimport { fmt } from "@/lib/fmt";\n');
    file("lib/fmt.ts");
    file("features/f/schema.ts", 'import { z } from "zod";\n');
    file("features/f/actions.ts", '"use server";\nimport { rows } from "./data";\n');
    file("features/f/components/editor.tsx", '"use client";\nimport { z } from "zod/mini";\nimport { fmt } from "@/lib/fmt";\n');
  });

  it("ships client files and their value imports, not server files, type imports or server actions", () => {
    expect([...clientFiles(["app/page.tsx"], { followDynamic: false }, root)].sort()).toEqual([
      "features/f/components/helper.ts",
      "features/f/components/panel.tsx",
      "lib/fmt.ts",
      "lib/shared.ts",
    ]);
  });

  it("follows import() when asked to", () => {
    const eager = clientFiles(["app/page.tsx"], { followDynamic: false }, root);
    const all = clientFiles(["app/page.tsx"], { followDynamic: true }, root);
    expect([...all].filter((f) => !eager.has(f))).toEqual(["features/f/components/editor.tsx"]);
  });

  it("treats a client entry (error.tsx) as client", () => {
    file("app/error.tsx", '"use client";\nimport { fmt } from "@/lib/fmt";\n');
    expect([...clientFiles(["app/error.tsx"], { followDynamic: false }, root)].sort()).toEqual(["app/error.tsx", "lib/fmt.ts"]);
  });

  it("gives the trail from the entry through server files", () => {
    file("app/layout.tsx", 'import { Shell } from "@/components/shell";\n');
    file("components/shell.tsx", 'import { Panel } from "@/features/f/components/panel";\n');
    expect(clientTrail(["app/layout.tsx"], { followDynamic: false }, "features/f/components/helper.ts", root)).toEqual([
      "app/layout.tsx",
      "components/shell.tsx",
      "features/f/components/panel.tsx",
      "features/f/components/helper.ts",
    ]);
    expect(clientTrail(["app/layout.tsx"], { followDynamic: false }, "features/f/schema.ts", root)).toBeNull();
  });

  it("lists the packages a set of files value-imports", () => {
    file("x.ts", 'import { a } from "@scope/pkg/sub";\nimport type { B } from "typed-only";\nimport { useRouter } from "next/navigation";\nconst m = import("zod/v4/mini");\n');
    file("y.ts", 'import { z } from "zod";\nimport { c } from "./x";\nimport { d } from "@/lib/fmt";\n');
    expect(Object.fromEntries(packagesImportedBy(["x.ts", "y.ts"], root))).toEqual({
      "@scope/pkg": ["x.ts"],
      next: ["x.ts"],
      "zod/mini": ["x.ts"],
      zod: ["y.ts"],
    });
    expect(packageName("zod/mini")).toBe("zod/mini");
    expect(packageName("zod/v4")).toBe("zod");
  });
});

describe("on this repository", () => {
  it("finds the root layout's client components", () => {
    const files = clientFiles(["app/[locale]/layout.tsx"], { followDynamic: false }, REPO_ROOT);
    expect(files.size).toBeGreaterThan(0);
    expect([...files].some((f) => f.startsWith("app/") || f.startsWith("components/") || f.startsWith("features/"))).toBe(true);
    expect([...files].every((f) => !f.endsWith("/data.ts") && !f.endsWith("/mutations.ts"))).toBe(true);
  });
});
