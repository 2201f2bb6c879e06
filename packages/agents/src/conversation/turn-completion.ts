// Whether a recognised utterance reads as a finished turn, so the reply may start at the first pause instead of
// after the full end-of-turn silence. A heuristic in the spirit of LiveKit's turn detector, without a model:
// with punctuation (Deepgram, OpenAI) a final . ? ! closes the turn and a trailing comma, colon or dash leaves it
// open; without (pocketsphinx), a turn that stops on a word that cannot end an English sentence (a conjunction,
// article, preposition, possessive, a filler) is still open. The word list is English: other languages without
// punctuation always wait for the hang-over. Wrong "complete" guesses cost little:
// the user who goes on barges in as usual, and their next words are the next turn.

// Words a sentence does not end on. Left out on purpose: ones that often do end a turn ("yes I do", "thank you",
// "I like that", "I think so", "turn it over").
const OPEN_ENDINGS = new Set([
  'and',
  'or',
  'but',
  'because',
  'cause',
  'if',
  'while',
  'than',
  'which',
  'whose',
  'although',
  'though',
  'unless',
  'until',
  'whether',
  'nor',
  'a',
  'an',
  'the',
  'every',
  'each',
  'my',
  'your',
  'our',
  'their',
  'his',
  'its',
  'to',
  'of',
  'for',
  'with',
  'in',
  'on',
  'at',
  'by',
  'from',
  'about',
  'into',
  'onto',
  'between',
  'during',
  'without',
  'as',
  'per',
  'i',
  'we',
  "i'm",
  "it's",
  "there's",
  'um',
  'uh',
  'er',
  'erm',
  'hmm',
  'mm',
]);

export type TurnCompletion = 'complete' | 'incomplete';

/** `language`: the recogniser's (BCP 47); the word test applies to English only. */
export function turnCompletion(text: string, language = 'en'): TurnCompletion {
  const trimmed = text.trim();
  if (!trimmed) return 'incomplete';
  if (/(\.\.\.|…)$/.test(trimmed) || /[,;:\-–—]$/.test(trimmed)) return 'incomplete';
  if (/[.?!]["')\]]*$/.test(trimmed)) return 'complete';
  if (!/^en\b/i.test(language)) return 'incomplete';
  const last = trimmed
    .toLowerCase()
    .replace(/[^a-z0-9'\s]/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .at(-1);
  return last !== undefined && !OPEN_ENDINGS.has(last) ? 'complete' : 'incomplete';
}
