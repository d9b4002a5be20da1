// Bench fixture: a library of generated articles (issue 11: 1,000 articles, 10 % Japanese-only,
// 10 % English-only, 10–30 paragraphs each). Every article is written as the import format
// (meta.json + en.md / ja.md) and parsed and validated by the import's own parser
// (parseArticleSource: meta schema, titles, paragraph alignment); the parsed content is then
// written with a few bulk INSERTs, because the import's per-row writes (upsertArticleContent,
// ~60 statements an article) would take about a minute for 1,000 articles, a sixth of the bench.
// The rows are what the import writes: published public articles, keys p-1…p-N, sha256 hashes.
import { createHash, randomUUID } from "node:crypto";
import type pg from "pg";
import { articleContent, parseArticleSource, type ArticleContent } from "../../features/articles/mutations";
import type { ArticleMeta } from "../../features/articles/schema";
import { alignParagraphs, parseArticleText } from "../../lib/content/parse-article";

/** Topic tags of the library (a tenth of the articles carry each, two or three per article). */
export const LIBRARY_TAGS = ["politics", "economy", "technology", "energy", "climate", "defense", "society", "culture", "science", "trade"] as const;

// News-like text: function words, general news words (in most articles), the words of the
// article's own topics (its tags: each topic is a tenth of the library) and, seldom, rare words,
// so a query finds a realistic share: "government" many articles, "semiconductor" a tenth or
// less, "glacier" a few.
const EN_COMMON = (
  "the a of to in and for on that with as by from at is was said will has have are its it this " +
  "which an be would more than after their about over new year also been not but were who into"
).split(" ");
const EN_GENERAL = "government minister said officials report plan year people country national public new policy data city".split(" ");
const JA_GENERAL = "政府 大臣 関係者 報告 計画 今年 国民 全国 公共 方針 データ 都市 発表 見通し 対応".split(" ");
const TOPICS: Record<(typeof LIBRARY_TAGS)[number], { en: string[]; ja: string[] }> = {
  politics: { en: "election parliament party vote voters cabinet opposition coalition campaign".split(" "), ja: "選挙 国会 政党 投票 内閣 野党 連立 選挙戦 首相".split(" ") },
  economy: { en: "economy economic growth inflation prices wages budget tax yen".split(" "), ja: "経済 経済成長 物価 賃金 予算 税制 円安 景気 消費".split(" ") },
  technology: { en: "technology digital semiconductor chips network software robotics startup".split(" "), ja: "技術 デジタル 半導体 通信 ソフトウェア ロボット 新興企業 人工知能".split(" ") },
  energy: { en: "energy power nuclear solar wind electricity hydrogen grid".split(" "), ja: "エネルギー 電力 原子力 太陽光 風力 水素 送電網 発電".split(" ") },
  climate: { en: "climate emissions carbon warming heatwave typhoon flooding biodiversity".split(" "), ja: "気候 排出量 脱炭素 温暖化 猛暑 台風 洪水 生物多様性".split(" ") },
  defense: { en: "defense missile security alliance troops exports drills radar".split(" "), ja: "防衛 ミサイル 安全保障 同盟 自衛隊 輸出 訓練 レーダー".split(" ") },
  society: { en: "population aging childcare pension schools students rural dementia".split(" "), ja: "人口 高齢化 子育て 年金 学校 学生 地方 認知症".split(" ") },
  culture: { en: "culture festival museum anime film temple tourism visitors".split(" "), ja: "文化 祭り 美術館 アニメ 映画 寺院 観光 観光客".split(" ") },
  science: { en: "research science university satellite rocket vaccine earthquake volcano".split(" "), ja: "研究 科学 大学 衛星 ロケット ワクチン 地震 火山".split(" ") },
  trade: { en: "trade tariff import exports agreement shipping ports supply".split(" "), ja: "貿易 関税 輸入 輸出 協定 海運 港湾 供給網".split(" ") },
};
const EN_RARE = "desalination shinkansen fisheries aquaculture sake geothermal offshore lithium glacier tsunami ferry broadband".split(" ");
const JA_RARE = "海水淡水化 新幹線 漁業 養殖 日本酒 地熱 洋上 リチウム 氷河 津波 フェリー 光回線".split(" ");

type Topic = { en: string[]; ja: string[] };
const JA_PARTICLES = ["は", "が", "を", "に", "で", "と", "の", "も", "について", "によると", "に関する", "をめぐる"];
const JA_ENDINGS = ["と発表した。", "を決めた。", "が明らかになった。", "と述べた。", "を検討している。", "が進んでいる。", "となった。", "を求めた。"];
const JA_VERBS = ["強化する", "見直す", "拡大する", "支援する", "発表した", "導入する", "削減する", "増やす"];
const SOURCES = ["Kyodo News", "NHK World", "The Japan Times", "Asahi Shimbun", "Nikkei Asia", "Mainichi", "Yomiuri Shimbun"];

/** Deterministic PRNG (mulberry32): every run builds the same library. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
/** Skewed towards the start of the list (Zipf-like): early words are much more frequent. */
const pickSkewed = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * random() * list.length)]!;
const between = (random: Random, min: number, max: number) => min + Math.floor(random() * (max - min + 1));

function englishWord(random: Random, topic: Topic): string {
  const r = random();
  if (r < 0.5) return pickSkewed(random, EN_COMMON);
  if (r < 0.62) return pick(random, EN_GENERAL);
  if (r < 0.995) return pickSkewed(random, topic.en);
  return pick(random, EN_RARE);
}

function englishSentence(random: Random, words: number, topic: Topic): string {
  const list = Array.from({ length: words }, () => englishWord(random, topic));
  list[0] = list[0]!.charAt(0).toUpperCase() + list[0]!.slice(1);
  return `${list.join(" ")}.`;
}

function englishParagraph(random: Random, topic: Topic): string {
  const sentences = between(random, 2, 6);
  return Array.from({ length: sentences }, () => englishSentence(random, between(random, 8, 22), topic)).join(" ");
}

function japaneseWord(random: Random, topic: Topic): string {
  const r = random();
  if (r < 0.3) return pick(random, JA_GENERAL);
  if (r < 0.99) return pickSkewed(random, topic.ja);
  return pick(random, JA_RARE);
}

function japaneseSentence(random: Random, topic: Topic): string {
  const clauses = between(random, 2, 4);
  let sentence = "";
  for (let i = 0; i < clauses; i++) sentence += `${japaneseWord(random, topic)}${pick(random, JA_PARTICLES)}`;
  sentence += random() < 0.5 ? `${japaneseWord(random, topic)}を${pick(random, JA_VERBS)}方針` : japaneseWord(random, topic);
  return sentence + pick(random, JA_ENDINGS);
}

function japaneseParagraph(random: Random, topic: Topic): string {
  return Array.from({ length: between(random, 2, 5) }, () => japaneseSentence(random, topic)).join("");
}

export type LibraryArticle = { content: ArticleContent; locales: string[] };

/**
 * `count` articles as import sources, parsed by parseArticleSource: 10 % Japanese-only, 10 %
 * English-only, the rest both (original language alternating); 10–30 paragraphs.
 */
export function buildLibrary(count: number, seed = 11): LibraryArticle[] {
  const random = prng(seed);
  const articles: LibraryArticle[] = [];
  for (let i = 0; i < count; i++) {
    const kind = i % 10 === 3 ? "ja" : i % 10 === 7 ? "en" : "both";
    const locales = kind === "both" ? ["en", "ja"] : [kind];
    const originalLocale = kind === "both" ? (i % 2 ? "ja" : "en") : kind;
    const slug = `bench-library-${String(i + 1).padStart(4, "0")}`;
    const paragraphs = between(random, 10, 30);
    const tagCount = between(random, 2, 3);
    const tags = [...new Set(Array.from({ length: tagCount }, () => pick(random, LIBRARY_TAGS)))].sort();
    // The article's vocabulary: the words of its topics.
    const topic: Topic = { en: tags.flatMap((tag) => TOPICS[tag].en), ja: tags.flatMap((tag) => TOPICS[tag].ja) };
    const day = new Date(Date.UTC(2026, 10, 28) - i * 86_400_000 * 0.7);
    const files: Record<string, string> = {};
    const translations: Record<string, { summary: string; translator?: string }> = {};
    for (const locale of locales) {
      const title = locale === "en" ? englishSentence(random, between(random, 5, 10), topic).slice(0, -1) : japaneseSentence(random, topic).slice(0, -1);
      const body = Array.from({ length: paragraphs }, () => (locale === "en" ? englishParagraph(random, topic) : japaneseParagraph(random, topic)));
      files[`${locale}.md`] = `# ${title}\n\n${body.join("\n\n")}\n`;
      const summary = locale === "en" ? englishSentence(random, between(random, 15, 30), topic) : japaneseSentence(random, topic) + japaneseSentence(random, topic);
      translations[locale] = locale === originalLocale ? { summary } : { summary, translator: "Bench Translator" };
    }
    const meta: ArticleMeta = {
      slug,
      originalLocale: originalLocale as ArticleMeta["originalLocale"],
      source: pick(random, SOURCES),
      sourceUrl: `https://example.com/news/${slug}`,
      publishedAt: day.toISOString().slice(0, 10),
      tags,
      translations: translations as ArticleMeta["translations"],
    };
    files["meta.json"] = JSON.stringify(meta, null, 2);
    articles.push({ content: kind === "both" ? articleContent(parseArticleSource({ name: slug, files })) : singleLanguage(meta, files), locales });
  }
  return articles;
}

/**
 * A one-language article through the parser's own steps (title, paragraphs, alignment). The
 * import's meta schema still asks for both translations (a zod record over an enum is
 * exhaustive), while authoring lets one language be missing at first: the bench has both kinds.
 */
function singleLanguage(meta: ArticleMeta, files: Record<string, string>): ArticleContent {
  const texts = Object.fromEntries(Object.keys(meta.translations).map((locale) => [locale, parseArticleText(files[`${locale}.md`]!, `${meta.slug}/${locale}.md`)]));
  const translations = Object.fromEntries(Object.entries(meta.translations).map(([locale, t]) => [locale, { ...t, title: texts[locale]!.title }]));
  return articleContent({ meta: { ...meta, tags: meta.tags ?? [], translations }, rows: alignParagraphs(texts) });
}

const sha256 = (value: string) => createHash("sha256").update(value, "utf8").digest("hex");

/** Writes the library (buildLibrary) with bulk INSERTs, 100 articles per statement group. */
export async function insertLibrary(db: pg.Pool, library: LibraryArticle[]): Promise<{ articles: number; paragraphs: number }> {
  let paragraphTotal = 0;
  for (let start = 0; start < library.length; start += 100) {
    const batch = library.slice(start, start + 100);
    const articles = { id: [] as string[], slug: [] as string[], original: [] as string[], source: [] as string[], url: [] as (string | null)[], published: [] as string[], tags: [] as string[] };
    const translations = { article: [] as string[], locale: [] as string[], title: [] as string[], summary: [] as string[], translator: [] as (string | null)[], hash: [] as string[] };
    const paragraphs = { id: [] as string[], article: [] as string[], key: [] as string[], position: [] as number[] };
    const texts = { paragraph: [] as string[], locale: [] as string[], text: [] as string[], hash: [] as string[] };
    for (const { content } of batch) {
      const id = randomUUID();
      const { meta } = content;
      articles.id.push(id);
      articles.slug.push(meta.slug);
      articles.original.push(meta.originalLocale);
      articles.source.push(meta.source);
      articles.url.push(meta.sourceUrl ?? null);
      articles.published.push(meta.publishedAt);
      // text[] of text[] does not pass through unnest: one Postgres array literal per article.
      articles.tags.push(`{${(meta.tags ?? []).join(",")}}`);
      for (const [locale, title] of Object.entries(content.titles)) {
        const t = meta.translations[locale as keyof typeof meta.translations]!;
        translations.article.push(id);
        translations.locale.push(locale);
        translations.title.push(title);
        translations.summary.push(t.summary);
        translations.translator.push(t.translator ?? null);
        translations.hash.push(sha256(JSON.stringify([title, t.summary, t.translator ?? null])));
      }
      for (const paragraph of content.paragraphs) {
        const paragraphId = randomUUID();
        paragraphs.id.push(paragraphId);
        paragraphs.article.push(id);
        paragraphs.key.push(paragraph.key);
        paragraphs.position.push(paragraph.position);
        for (const [locale, text] of Object.entries(paragraph.text)) {
          texts.paragraph.push(paragraphId);
          texts.locale.push(locale);
          texts.text.push(text);
          texts.hash.push(sha256(text));
        }
      }
    }
    paragraphTotal += paragraphs.id.length;
    const client = await db.connect();
    try {
      await client.query("BEGIN");
      await client.query(
        `INSERT INTO article (id, slug, status, revision, first_published_at, original_locale, source, source_url, published_at, tags, updated_at)
         SELECT id, slug, 'published', 1, now(), original, source, url, published, tags::varchar(40)[], now()
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::text[]) AS x(id, slug, original, source, url, published, tags)`,
        [articles.id, articles.slug, articles.original, articles.source, articles.url, articles.published, articles.tags],
      );
      await client.query(
        `INSERT INTO article_translation (article_id, locale, title, summary, translator, content_hash, updated_at)
         SELECT article, locale, title, summary, translator, hash, now()
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS x(article, locale, title, summary, translator, hash)`,
        [translations.article, translations.locale, translations.title, translations.summary, translations.translator, translations.hash],
      );
      await client.query(
        `INSERT INTO paragraph (id, article_id, key, position)
         SELECT id, article, key, position FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::int[]) AS x(id, article, key, position)`,
        [paragraphs.id, paragraphs.article, paragraphs.key, paragraphs.position],
      );
      await client.query(
        `INSERT INTO paragraph_text (paragraph_id, locale, text, content_hash, updated_at)
         SELECT paragraph, locale, text, hash, now() FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS x(paragraph, locale, text, hash)`,
        [texts.paragraph, texts.locale, texts.text, texts.hash],
      );
      // What applyDocument does after every publish: the articles' search documents (ADR 0021).
      await client.query("SELECT refresh_article_search($1::uuid[])", [articles.id]);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }
  await db.query("ANALYZE article; ANALYZE article_translation; ANALYZE paragraph; ANALYZE paragraph_text; ANALYZE article_search");
  return { articles: library.length, paragraphs: paragraphTotal };
}

/**
 * GET /api/articles query strings the search bench rotates through: English words (common, rare,
 * a stem, two words), Japanese substrings (no spaces), tags, language filters, sorting and paging.
 */
export const LIBRARY_SEARCHES = [
  "q=government",
  "q=exports",
  "q=semiconductor",
  "q=nuclear%20power",
  "q=climate&tag=energy",
  "q=glacier",
  `q=${encodeURIComponent("輸出")}`,
  `q=${encodeURIComponent("半導体")}`,
  `q=${encodeURIComponent("経済成長")}`,
  `q=${encodeURIComponent("脱炭素")}&lang=ja`,
  `q=${encodeURIComponent("津波")}`,
  `q=${encodeURIComponent("政府")}&sort=newest`,
  "tag=politics",
  "tag=technology&lang=both",
  "tag=trade&sort=discussed",
  "lang=en&page=3",
  "sort=newest&page=10",
] as const;
