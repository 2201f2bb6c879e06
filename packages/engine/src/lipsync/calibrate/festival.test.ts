// Festival's phone names reach the phoneme path as the ARPAbet it knows; unknown names would silently become a
// neutral vowel and corrupt the ground truth.
import { describe, expect, it } from 'vitest';
import { visemes } from '../visemes.js';
import { arpabetFor } from './festival.js';

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
    const italian =
      'a e E i o O u j w p b m f v t d n k g s z S tS dZ ts dz L J r l nf # a1 o1 e1 i1 u1'.split(' ');
    for (const phone of italian) expect(visemes[arpabetFor(phone, 'it')], phone).toBeDefined();
  });
});
