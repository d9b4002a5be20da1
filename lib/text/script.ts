/**
 * Whether user-written text is Japanese (kana or kanji present), for its `lang` attribute: the
 * language a note's author typed in is not stored, and fonts and line breaking depend on it.
 */
export const looksJapanese = (text: string): boolean => /[\u3040-\u30ff\u3400-\u9fff]/.test(text);
