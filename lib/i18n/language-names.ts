/**
 * Each language is named in itself (an endonym), whatever the interface language: a Japanese
 * reader looks for "日本語", not "Japanese", in a language switcher.
 */
export const languageNames: Record<string, string> = { en: "English", ja: "日本語" };

export const languageName = (locale: string): string => languageNames[locale] ?? locale;
