// npm run articles:import -- <folder | zip> [...]
// Imports article folders (content/articles/<slug>/: meta.json + <locale>.md, ADR 0006): one
// article folder, a folder of them, or a zip made by the reader's Export link. The same import
// as the seed: idempotent (a second run reports every article unchanged), paragraphs keep their
// keys and ids, and a refused article writes nothing. Exit code 1 when any article is refused.
// Uses DATABASE_URL, or the project's embedded database like `npm start` does (stop `npm start`
// first in that case: the embedded cluster has one owner).
import path from "node:path";
import { openProjectDatabase, runDbScript, UserFacingError } from "../lib/db/project-database";

const USAGE = "Usage: npm run articles:import -- <article folder | folder of articles | export .zip> [...]";

runDbScript(async () => {
  const targets = process.argv.slice(2);
  if (targets.length === 0 || targets.some((t) => t.startsWith("-"))) throw new UserFacingError(USAGE);
  // Imported lazily, like scripts/user-role.ts: nothing touches the database before it is open.
  const { importArticles, readArticleSources } = await import("../features/articles/mutations");
  const { ContentFormatError } = await import("../lib/content/parse-article");

  const sources = [];
  for (const target of targets) {
    try {
      const found = await readArticleSources(path.resolve(target));
      if (found.length === 0) throw new UserFacingError(`${target}: no article folders here (an article folder has a meta.json).`);
      sources.push(...found);
    } catch (error) {
      if (error instanceof ContentFormatError) throw new UserFacingError(error.message);
      if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new UserFacingError(`${target}: no such file or folder.`);
      throw error;
    }
  }

  const db = await openProjectDatabase({ mode: "project", log: () => undefined });
  const { createPrismaClient } = await import("../lib/db/prisma");
  const prisma = createPrismaClient(db.url);
  try {
    const results = await importArticles(prisma, sources);
    for (const result of results) {
      if (result.status === "refused") console.error(`${result.name}: refused, nothing written. ${result.reason}`);
      else if (result.status === "unchanged") console.log(`${result.name}: unchanged (the database already holds these files).`);
      else console.log(`${result.name}: ${result.status}.`);
    }
    return results.some((r) => r.status === "refused") ? 1 : 0;
  } finally {
    await prisma.$disconnect();
  }
});
