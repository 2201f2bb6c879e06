// Text → search terms: lower case, words and numbers, known phrases joined, stopwords out, stemmed, and
// synonyms folded into one term (synonyms.ts).
import { stem } from './stem.js';
import { STOPWORDS } from './stopwords.js';
import { canonicalTerm, joinPhrases } from './synonyms.js';

/** Lower-case words (letters, digits, inner apostrophes folded away), in order. */
export function words(text: string): string[] {
  return (
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .replace(/['’](?=\p{L})/gu, '')
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

export function terms(text: string): string[] {
  return joinPhrases(words(text))
    .filter((w) => !STOPWORDS.has(w))
    .map((w) => canonicalTerm(stem(w)));
}
