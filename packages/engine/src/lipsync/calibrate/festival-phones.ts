// Festival's phone names per language → the ARPAbet the phoneme path knows, so every voice's own timings become
// ground truth. Unknown names would silently become a neutral vowel and corrupt it (festival.test.ts checks
// every phone the corpus voices produce). Stress digits and length marks (":") are dropped before the lookup.

export type Lang = 'en' | 'it' | 'cs' | 'fi' | 'ru' | 'ca' | 'hi' | 'mr' | 'te';

/** Festival's English (radio) phones are Flite's plus syllabic consonants. */
const english: Record<string, string> = { axr: 'er', el: 'l', em: 'm', en: 'n', '#': 'pau', h: 'hh' };
/** Italian SAMPA. */
const italian: Record<string, string> = {
  '#': 'pau',
  a: 'aa',
  e: 'eh',
  E: 'eh',
  i: 'iy',
  o: 'ao',
  O: 'ao',
  u: 'uw',
  j: 'y',
  S: 'sh',
  tS: 'ch',
  dZ: 'jh',
  ts: 's',
  dz: 'z',
  L: 'l',
  J: 'n',
  nf: 'm',
};
/** Czech (festival-czech): "c" is /ts/, "ch" the velar fricative /x/, "~" marks palatals, "_" a short pause. */
const czech: Record<string, string> = {
  '#': 'pau',
  _: 'pau',
  a: 'aa',
  e: 'eh',
  i: 'iy',
  o: 'ao',
  u: 'uw',
  j: 'y',
  c: 's',
  'c~': 'ch',
  ch: 'hh',
  h: 'hh',
  dz: 'z',
  'dz~': 'jh',
  'n~': 'n',
  't~': 't',
  'd~': 'd',
  'r~': 'zh',
  's~': 'sh',
  'z~': 'zh',
  x: 'hh',
};
/** Finnish (Suopuhe): "@" is ä, "y" the rounded front vowel, "7" ö, "N" the velar nasal. */
const finnish: Record<string, string> = {
  '#': 'pau',
  a: 'aa',
  e: 'eh',
  i: 'iy',
  o: 'ao',
  u: 'uw',
  '@': 'ae',
  y: 'uw',
  '7': 'uh',
  j: 'y',
  h: 'hh',
  N: 'ng',
};
/** Russian (msu_ru_nsh): doubled consonants are palatalised, doubled vowels stressed, "y" is the vowel ы. */
const russian: Record<string, string> = {
  a: 'ah',
  aa: 'aa',
  ay: 'ax',
  ae: 'ih',
  e: 'eh',
  ee: 'eh',
  i: 'ih',
  ii: 'iy',
  o: 'ao',
  oo: 'ao',
  u: 'uw',
  uu: 'uw',
  ur: 'uh',
  y: 'ih',
  yy: 'ih',
  j: 'y',
  c: 's',
  h: 'hh',
  hh: 'hh',
  sch: 'sh',
};
/** Catalan (upc_ca_ona_hts, SAMPA). */
const catalan: Record<string, string> = {
  a: 'aa',
  e: 'eh',
  E: 'ae',
  i: 'iy',
  o: 'ao',
  O: 'ao',
  u: 'uw',
  ax: 'ax',
  j: 'y',
  L: 'l',
  J: 'n',
  rr: 'r',
  Z: 'zh',
  S: 'sh',
  tS: 'ch',
  dZ: 'jh',
  B: 'b',
  D: 'dh',
  G: 'g',
  x: 'hh',
};
/**
 * Hindi, Marathi and Telugu (the nsk voices share one Indic phone set): "a" is the short inherent vowel /ə/, "ee"
 * and "oo" long /e/ and /o/, capitals retroflex, "th"/"dh" dental stops (not fricatives), "h" suffixes aspiration.
 */
const indic: Record<string, string> = {
  a: 'ah',
  ee: 'eh',
  ay: 'ae',
  oh: 'ao',
  oo: 'ao',
  aw: 'ao',
  th: 't',
  dh: 'd',
  tth: 't',
  ddh: 'd',
  td: 't',
  kh: 'k',
  gh: 'g',
  bh: 'b',
  j: 'jh',
  h: 'hh',
  x: 'hh',
  ksh: 'k',
  sri: 's',
};
const tables: Record<Lang, Record<string, string>> = {
  en: english,
  it: italian,
  cs: czech,
  fi: finnish,
  ru: russian,
  ca: catalan,
  hi: indic,
  mr: indic,
  te: indic,
};

export function arpabetFor(phone: string, lang: Lang): string {
  if (lang === 'en') return english[phone] ?? phone;
  const bare = phone.replace(/[0-9]$/, '').replace(/:$/, '');
  const mapped = tables[lang][phone] ?? tables[lang][bare];
  if (mapped) return mapped;
  // Russian palatalised consonants (tt, ll, ...) look like the plain one.
  if (lang === 'ru' && bare.length === 2 && bare[0] === bare[1]) return russian[bare[0]!] ?? bare[0]!;
  return bare === 'pau' ? 'pau' : bare.toLowerCase();
}
