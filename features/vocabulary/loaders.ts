import "server-only";
import { listVocabulary, listVocabularyArticles } from "./data";
import type { VocabularyQuery } from "./schema";

/** The vocabulary page: the reader's entries (filtered, sorted) and the articles to filter by. */
export async function loadVocabulary(viewerId: string, query: VocabularyQuery, uiLocale: string) {
  const [entries, articles] = await Promise.all([listVocabulary(viewerId, query, uiLocale), listVocabularyArticles(viewerId, uiLocale)]);
  return { entries, articles };
}
