import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { alignParagraphs, ContentFormatError, parseArticleText, type ParsedArticleText } from "@/lib/content/parse-article";
import type { ArticleContent } from "./mutations";
import { articleMetaSchema } from "./schema";

/** Reads every `content/articles/<slug>/` folder (meta.json + one <locale>.md per language). */
export async function readArticleContent(contentRoot: string): Promise<ArticleContent[]> {
  const articlesDir = path.join(contentRoot, "articles");
  const entries = await readdir(articlesDir, { withFileTypes: true });
  const folders = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const articles: ArticleContent[] = [];
  for (const folder of folders) {
    const dir = path.join(articlesDir, folder);
    const metaResult = articleMetaSchema.safeParse(JSON.parse(await readFile(path.join(dir, "meta.json"), "utf8")));
    if (!metaResult.success) {
      throw new ContentFormatError(`${folder}/meta.json: ${metaResult.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    }
    const meta = metaResult.data;
    if (meta.slug !== folder) throw new ContentFormatError(`${folder}/meta.json: slug "${meta.slug}" must match the folder name.`);
    const texts: Record<string, ParsedArticleText> = {};
    for (const locale of Object.keys(meta.translations)) {
      const file = path.join(dir, `${locale}.md`);
      texts[locale] = parseArticleText(await readFile(file, "utf8"), `${folder}/${locale}.md`);
    }
    if (!texts[meta.originalLocale]) {
      throw new ContentFormatError(`${folder}: the original language (${meta.originalLocale}) has no text file.`);
    }
    articles.push({
      meta,
      titles: Object.fromEntries(Object.entries(texts).map(([locale, t]) => [locale, t.title])),
      paragraphs: alignParagraphs(texts),
    });
  }
  return articles;
}
