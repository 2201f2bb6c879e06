// Festival's phone names reach the phoneme path as the ARPAbet it knows; unknown names would silently become a
// neutral vowel and corrupt the ground truth.
import { describe, expect, it } from 'vitest';
import { visemes } from '../visemes.js';
import { arpabetFor, type Lang } from './festival-phones.js';

/** The nsk voices' phones on their vocabularies (one Indic phone set for all three). */
const indic = 'a aa uh n m k h ih p s l D iy eh dh r th ch g v ee b L y T uw oh sh j N ay pau kh ddh bh aw';
/** Every phone the corpus voices produced on their vocabularies (festival's Segment names). */
const inventories: Record<Exclude<Lang, 'en'>, string> = {
  it: 'a e E i o O u j w p b m f v t d n k g s z S tS dZ ts dz L J r l nf # a1 o1 e1 i1 u1',
  cs: 'e a i t o d r s l n c v # m k p u b z j _ h n~ ch g f dz t~ a: e: i: o: u:',
  fi: 'i a k e n @ s t # o u l m h v y p r l: j d @: u: t: 7 s: a: p: n: m: i: e: N b',
  ru: 'a aa oo tt j t i s r ay ee pau n k ii m v l d b p ll dd ch ss ae yy nn g y sh rr z h vv uu mm zz zh pp f c ur u kk gg ff e bb',
  ca: 'ax t s a1 n b r i1 k e1 E1 m w L u rr l p d o1 O1 g i Z u1 j f z S J pau',
  hi: indic,
  mr: indic,
  te: indic,
};

describe('arpabetFor', () => {
  it('maps English syllabic consonants and Italian SAMPA (with stress digits) onto known visemes', () => {
    expect(arpabetFor('em', 'en')).toBe('m');
    expect(arpabetFor('axr', 'en')).toBe('er');
    expect(arpabetFor('b', 'en')).toBe('b');
    expect(arpabetFor('a1', 'it')).toBe('aa');
    expect(arpabetFor('O1', 'it')).toBe('ao');
    expect(arpabetFor('dZ', 'it')).toBe('jh');
    expect(arpabetFor('L', 'it')).toBe('l');
    expect(arpabetFor('#', 'it')).toBe('pau');
  });

  it('keeps lip closures and tells glides from vowels in Czech, Finnish, Russian and Catalan', () => {
    for (const lang of ['cs', 'fi', 'ru', 'ca'] as const) {
      expect(arpabetFor('m', lang)).toBe('m');
      expect(arpabetFor('p', lang)).toBe('p');
      expect(arpabetFor('b', lang)).toBe('b');
    }
    expect(arpabetFor('mm', 'ru')).toBe('m');
    expect(arpabetFor('bb', 'ru')).toBe('b');
    expect(arpabetFor('y', 'ru')).toBe('ih');
    expect(arpabetFor('j', 'ru')).toBe('y');
    expect(arpabetFor('y', 'fi')).toBe('uw');
    expect(arpabetFor('a:', 'fi')).toBe('aa');
    expect(arpabetFor('ch', 'cs')).toBe('hh');
    expect(arpabetFor('a1', 'ca')).toBe('aa');
  });

  it('reads the Indic dental stops as stops, not English fricatives, and keeps aspirated b a closure', () => {
    expect(arpabetFor('th', 'hi')).toBe('t');
    expect(arpabetFor('dh', 'te')).toBe('d');
    expect(arpabetFor('bh', 'mr')).toBe('b');
    expect(arpabetFor('T', 'hi')).toBe('t');
    expect(arpabetFor('a', 'hi')).toBe('ah');
  });

  it('maps every phone the corpus voices produce onto a known viseme', () => {
    for (const [lang, phones] of Object.entries(inventories)) {
      for (const phone of phones.split(' ')) {
        expect(visemes[arpabetFor(phone, lang as Lang)], `${lang} ${phone}`).toBeDefined();
      }
    }
  });
});
