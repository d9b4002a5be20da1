/** One entry of a reader's word list: a note of theirs tagged "vocabulary". */
export type VocabularyEntry = {
  noteId: string;
  /** The selected term (the note's quote); null for a note on a whole paragraph. */
  term: string | null;
  /** The term's reading in hiragana (Japanese terms with kanji), from the stored furigana. */
  reading: string | null;
  /** Language of the term. */
  locale: string;
  /** The note itself: what the reader wrote about the term (its meaning), Markdown. */
  meaning: string;
  /** The sentence the term came from, and its partner in the other language (sentence pairs). */
  sentence: string | null;
  otherSentence: { locale: string; text: string } | null;
  article: { slug: string; groupId: string | null; title: string };
  paragraph: { key: string; position: number };
  createdAt: string;
};
