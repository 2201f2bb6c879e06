// English for the neural voices without espeak (kept for acceptance): each word's ARPAbet from Flite's lexicon,
// mapped to the IPA each model was trained on (Piper: espeak-ng's en-us symbols; Kokoro: misaki's US set, one
// letter per diphthong), and back: the models' per-symbol frame counts become timed ARPAbet phonemes.
import type { TimedPhoneme } from '@agenthuman/media';

export type NeuralEngine = 'piper' | 'kokoro';

/** Vowels get the stress mark; `ah` and `er` differ stressed (first vowel of a content word) and not. */
const VOWELS = new Set('aa ae ah ao aw ax axr ay eh er ey ih iy ow oy uh uw'.split(' '));

const common: Record<string, string[]> = {
  ae: ['æ'],
  ax: ['ə'],
  axr: ['ɚ'],
  b: ['b'],
  d: ['d'],
  dh: ['ð'],
  eh: ['ɛ'],
  f: ['f'],
  g: ['ɡ'],
  hh: ['h'],
  ih: ['ɪ'],
  k: ['k'],
  l: ['l'],
  m: ['m'],
  n: ['n'],
  ng: ['ŋ'],
  p: ['p'],
  r: ['ɹ'],
  s: ['s'],
  sh: ['ʃ'],
  t: ['t'],
  th: ['θ'],
  uh: ['ʊ'],
  v: ['v'],
  w: ['w'],
  y: ['j'],
  z: ['z'],
  zh: ['ʒ'],
};

export const ipaTables: Record<NeuralEngine, Record<string, string[]>> = {
  piper: {
    ...common,
    aa: ['ɑ', 'ː'],
    ah: ['ə'],
    'ah*': ['ʌ'],
    ao: ['ɔ', 'ː'],
    aw: ['a', 'ʊ'],
    ay: ['a', 'ɪ'],
    ch: ['t', 'ʃ'],
    er: ['ɚ'],
    'er*': ['ɜ', 'ː'],
    ey: ['e', 'ɪ'],
    iy: ['i', 'ː'],
    jh: ['d', 'ʒ'],
    ow: ['o', 'ʊ'],
    oy: ['ɔ', 'ɪ'],
    uw: ['u', 'ː'],
  },
  kokoro: {
    ...common,
    aa: ['ɑ'],
    ah: ['ə'],
    'ah*': ['ʌ'],
    ao: ['ɔ'],
    aw: ['W'],
    ay: ['I'],
    ch: ['ʧ'],
    er: ['ɚ'],
    'er*': ['ɜ', 'ɹ'],
    ey: ['A'],
    iy: ['i'],
    jh: ['ʤ'],
    ow: ['O'],
    oy: ['Y'],
    uw: ['u'],
  },
};

/** Unstressed in running speech: no stress mark, reduced `ah`. */
const FUNCTION_WORDS = new Set(
  (
    'a an the of to in on at by for from with and or but as is are was were be been it its this that these ' +
    'those his her their our your my he she we they you i me him them us do does did has have had not no so ' +
    'if than then there when which who what will would can could shall should may might must up out over'
  ).split(' '),
);

export interface Word {
  text: string;
  /** Flite's ARPAbet for the word (no pauses). */
  phones: string[];
  /** Punctuation after it (",", ".", "?", "!") or "". */
  punct: string;
}

/** One input symbol and the ARPAbet phone its frames belong to (null: a word gap, shared by its neighbours). */
export interface Symbol {
  ipa: string;
  phone: string | null;
}

/** The model's input symbols for `words`, each tagged with the phone it voices. */
export function symbolsFor(engine: NeuralEngine, words: readonly Word[]): Symbol[] {
  const table = ipaTables[engine];
  const out: Symbol[] = [];
  for (const [w, word] of words.entries()) {
    const stressed = !FUNCTION_WORDS.has(word.text.toLowerCase())
      ? word.phones.findIndex((p) => VOWELS.has(p))
      : -1;
    for (const [i, phone] of word.phones.entries()) {
      const ipa = (i === stressed && table[`${phone}*`]) || table[phone];
      if (!ipa) throw new RangeError(`no IPA for ARPAbet "${phone}" (${engine})`);
      if (i === stressed) out.push({ ipa: 'ˈ', phone });
      for (const s of ipa) out.push({ ipa: s, phone });
    }
    if (word.punct) out.push({ ipa: word.punct, phone: 'pau' });
    if (w < words.length - 1) out.push({ ipa: ' ', phone: word.punct ? 'pau' : null });
  }
  return out;
}

export interface Durations {
  /** Frames of the start token, of each symbol, of the end token. */
  lead: number;
  frames: readonly number[];
  tail: number;
  /** Piper's blanks: pads[i] before symbols[i], pads[n] after the last (none for Kokoro). */
  pads?: readonly number[];
}

/**
 * Timed ARPAbet phonemes from the model's frame counts per symbol (`lead`/`tail`: its start and end tokens, a
 * pause). A blank between symbols and a word gap go half to each neighbour (a blank is the transition between
 * them); consecutive symbols of one phone merge.
 */
export function phonemesFromFrames(
  symbols: readonly Symbol[],
  d: Durations,
  frameMs: number,
): TimedPhoneme[] {
  const n = symbols.length;
  if (d.frames.length !== n || (d.pads && d.pads.length !== n + 1)) {
    throw new RangeError(`${d.frames.length} durations for ${n} symbols`);
  }
  const pad = (i: number) => (d.pads?.[i] ?? 0) / 2;
  const units: { phone: string; n: number }[] = [{ phone: 'pau', n: d.lead + pad(0) }];
  let gap = 0;
  for (const [i, s] of symbols.entries()) {
    const n = d.frames[i]! + pad(i) + pad(i + 1);
    if (s.phone === null) {
      gap += n;
      continue;
    }
    const half = gap / 2;
    units[units.length - 1]!.n += half;
    gap = 0;
    const last = units[units.length - 1]!;
    // A stress mark opens a new vowel even where the previous phone is the same one.
    if (last.phone === s.phone && symbols[i - 1]?.ipa !== ' ' && s.ipa !== 'ˈ') last.n += n + half;
    else units.push({ phone: s.phone, n: n + half });
  }
  units[units.length - 1]!.n += gap;
  units.push({ phone: 'pau', n: d.tail + pad(n) });
  const phonemes: TimedPhoneme[] = [];
  let at = 0;
  for (const u of units) {
    if (u.n <= 0) continue;
    const end = at + u.n * frameMs;
    const last = phonemes[phonemes.length - 1];
    if (last && last.phoneme === 'pau' && u.phone === 'pau') last.endMs = end;
    else phonemes.push({ phoneme: u.phone, startMs: at, endMs: end });
    at = end;
  }
  return phonemes;
}
