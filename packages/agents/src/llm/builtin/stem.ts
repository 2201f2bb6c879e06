// A light English stemmer (suffix stripping in the spirit of Porter's step 1 plus a few derivations), enough
// for "prices"/"priced"/"pricing" and "shipping"/"shipped"/"ships" to meet in one term.

const VOWEL = /[aeiouy]/;

function hasVowel(s: string): boolean {
  return VOWEL.test(s);
}

/** Undoes the doubled consonant of "shipped" → "shipp" → "ship". */
function undouble(s: string): string {
  return /([^aeiouslz])\1$/.test(s) ? s.slice(0, -1) : s;
}

export function stem(word: string): string {
  let w = word.toLowerCase();
  if (w.length <= 3) return w;
  if (w.endsWith("'s")) w = w.slice(0, -2);
  // Plurals.
  if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('ss') || w.endsWith('us') || w.endsWith('is')) {
    // "class", "status", "analysis" keep their s.
  } else if (w.endsWith('s') && w.length > 3) w = w.slice(0, -1);
  // Verb endings.
  if (w.endsWith('eed')) {
    // "need", "feed" stay.
  } else if (w.endsWith('ing') && hasVowel(w.slice(0, -3)) && w.length > 5) {
    w = undouble(w.slice(0, -3));
  } else if (w.endsWith('ed') && hasVowel(w.slice(0, -2)) && w.length > 4) {
    w = undouble(w.slice(0, -2));
  }
  // A few derivational endings that questions and answers often differ by.
  for (const [suffix, replacement] of [
    ['ational', 'ate'],
    ['ization', 'ize'],
    ['fulness', 'ful'],
    ['iveness', 'ive'],
    ['ation', 'ate'],
    ['ness', ''],
    ['ment', ''],
    ['ly', ''],
  ] as const) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 4) {
      w = w.slice(0, -suffix.length) + replacement;
      break;
    }
  }
  // "price" and "pric" (from "pricing") should meet: drop a final silent e.
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  if (w.endsWith('y') && w.length > 3 && !VOWEL.test(w.charAt(w.length - 2))) w = `${w.slice(0, -1)}i`;
  return w;
}
