import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkClientZod, checkFeatures } from "./check-features";
import { routeEntries } from "./lib/client-graph";

let dir: string;

function file(relative: string, content = "export {};\n") {
  const full = path.join(dir, relative);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, content);
}

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("check:features", () => {
  it("accepts fixed names, components/ and tests, with one-way imports", () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "features-"));
    file("notes/data.ts", 'import { x } from "@/features/articles/loaders";\n');
    file("notes/components/panel.tsx");
    file("notes/api.int.test.ts", 'import { y } from "@/features/groups/api";\n');
    file("articles/loaders.ts");
    file("groups/api.ts", 'import { z } from "@/features/notes/data";\n');
    expect(checkFeatures(dir)).toEqual([]);
  });

  it("refuses other file names and folders", () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "features-"));
    file("notes/overlay.ts");
    file("notes/utils/helpers.ts");
    expect(checkFeatures(dir).map((p) => p.message)).toEqual([
      expect.stringContaining("features/notes/overlay.ts"),
      expect.stringContaining("features/notes/utils/"),
    ]);
  });

  it("refuses import cycles between features, direct or through others (tests excepted)", () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "features-"));
    file("a/data.ts", 'import { b } from "@/features/b/data";\n');
    file("b/components/view.tsx", 'import { c } from "@/features/c/api";\n');
    file("c/api.ts", 'const a = await import("@/features/a/data");\n');
    const problems = checkFeatures(dir);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toContain("a → b → c → a");
  });

  it("sees relative imports that leave the feature folder", () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "features-"));
    file("a/components/view.tsx", 'import { b } from "../../b/data";\nimport { own } from "../schema";\n');
    file("a/schema.ts");
    file("b/data.ts", 'import { a } from "@/features/a/schema";\n');
    const problems = checkFeatures(dir);
    expect(problems.map((p) => p.message)).toEqual([expect.stringContaining("a → b → a")]);
  });
});

describe("check:features, zod in the browser", () => {
  it("refuses full zod reached from a page through a client component, naming the trail", () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "client-zod-"));
    file("app/[locale]/notifications/page.tsx", 'import { List } from "@/features/n/components/list";\n');
    file("features/n/components/list.tsx", '"use client";\nimport { articleHref } from "@/features/a/schema";\n');
    file("features/a/schema.ts", 'import { z } from "zod";\nexport const articleHref = () => "";\n');
    const problems = checkClientZod(dir);
    expect(problems.map((p) => p.kind)).toEqual(["client-zod"]);
    expect(problems[0]!.message).toContain("features/a/schema.ts imports zod");
    expect(problems[0]!.message).toContain("app/[locale]/notifications/page.tsx → features/n/components/list.tsx → features/a/schema.ts");
  });

  it("accepts zod on the server, type imports of schemas, and zod/mini behind import()", () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "client-zod-"));
    file("app/layout.tsx", 'import { Panel } from "@/features/a/components/panel";\nimport { load } from "@/features/a/loaders";\n');
    file("features/a/loaders.ts", 'import { schema } from "./schema";\n');
    file("features/a/schema.ts", 'import { z } from "zod";\nimport { LIMIT } from "./types";\n');
    file("features/a/types.ts", "export const LIMIT = 3;\n");
    file(
      "features/a/components/panel.tsx",
      '"use client";\nimport type { Input } from "../schema";\nimport { LIMIT } from "../types";\nconst Form = lazy(() => import("./form"));\n',
    );
    file("features/a/components/form.tsx", '"use client";\nimport * as z from "zod/mini";\n');
    expect(checkClientZod(dir)).toEqual([]);
  });

  it("refuses zod/mini in the first load and full zod even behind import()", () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "client-zod-"));
    file("app/[locale]/error.tsx", '"use client";\nimport { z } from "zod/mini";\nconst Lazy = dynamic(() => import("./lazy"));\n');
    file("app/[locale]/lazy.tsx", 'import { z } from "zod/v4";\n');
    file("app/[locale]/route-helpers.tsx", 'import { z } from "zod";\n');
    expect(routeEntries(dir)).toEqual(["app/[locale]/error.tsx"]);
    const messages = checkClientZod(dir).map((p) => p.message);
    expect(messages).toEqual([
      expect.stringContaining("app/[locale]/lazy.tsx imports zod and reaches the browser (app/[locale]/error.tsx → app/[locale]/lazy.tsx)"),
      expect.stringContaining("app/[locale]/error.tsx imports zod/mini in the page's first load"),
    ]);
  });
});
