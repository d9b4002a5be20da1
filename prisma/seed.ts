// Loads content/articles/* into the database. Idempotent: only differences are written, so it
// runs on every start (npm start, npm run dev, the test harness) at no cost. It is the same
// import as `npm run articles:import` (features/articles/mutations.ts), stricter in one way: a
// refused article is an error, so a broken content/ folder stops the start.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { importArticles, readArticleSources } from "@/features/articles/mutations";
import { ContentFormatError } from "@/lib/content/parse-article";
import { createPrismaClient } from "@/lib/db/prisma";

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export async function seedContent(
  databaseUrl: string,
  contentRoot = path.join(projectRoot, "content"),
): Promise<{ articles: number; changed: boolean }> {
  const sources = await readArticleSources(path.join(contentRoot, "articles"));
  const prisma = createPrismaClient(databaseUrl);
  try {
    const results = await importArticles(prisma, sources);
    const refused = results.flatMap((r) => (r.status === "refused" ? [r.reason] : []));
    if (refused.length) throw new ContentFormatError(refused.join(" "));
    return { articles: results.length, changed: results.some((r) => r.status !== "unchanged") };
  } finally {
    await prisma.$disconnect();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("DATABASE_URL is not set; `npm start` seeds the embedded database by itself.");
    process.exit(1);
  }
  seedContent(url).then(
    (result) => console.log(`Seed: ${result.articles} article(s), ${result.changed ? "updated" : "already up to date"}.`),
    (error: unknown) => {
      console.error(`Seed failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
