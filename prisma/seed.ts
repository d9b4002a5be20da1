// Loads content/articles/* into the database. Idempotent: only differences are written, so it
// runs on every start (npm start, npm run dev, the test harness) at no cost.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readArticleContent, upsertArticleContent } from "@/features/articles/mutations";
import { createPrismaClient } from "@/lib/db/prisma";

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export async function seedContent(
  databaseUrl: string,
  contentRoot = path.join(projectRoot, "content"),
): Promise<{ articles: number; changed: boolean }> {
  const articles = await readArticleContent(contentRoot);
  const prisma = createPrismaClient(databaseUrl);
  try {
    let changed = false;
    for (const article of articles) changed = (await upsertArticleContent(prisma, article)) || changed;
    return { articles: articles.length, changed };
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
