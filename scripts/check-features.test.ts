import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkFeatures } from "./check-features";

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
