// The speaker normalisation must make two voices that differ only in colour (a shift and a spread of their
// spectral values) read the same once it has heard a little of each, start from its priors, and learn nothing
// from hops it is not shown.
import { describe, expect, it } from 'vitest';
import { SpeakerNorm } from './speaker-norm.js';

/** A seeded "utterance": values around 0 with unit spread. */
function phonemes(n: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32 - 0.5) * Math.sqrt(12);
  });
}

describe('SpeakerNorm', () => {
  it('gives the same values for two voices that differ only in mean and spread', () => {
    const speech = phonemes(1200, 3);
    const [deep, bright] = [new SpeakerNorm([0], [1]), new SpeakerNorm([0], [1])];
    const diffs: number[] = [];
    for (const [k, x] of speech.entries()) {
      const [a, b] = [0.2 + 0.5 * x, 1.5 + 2 * x];
      deep.observe([a]);
      bright.observe([b]);
      if (k >= 800) diffs.push(Math.abs(deep.normalise(a, 0) - bright.normalise(b, 0)));
    }
    expect(Math.max(...diffs)).toBeLessThan(0.05);
    // Without it the two would be 1.3 apart on average.
  });

  it('starts from its priors and moves toward the speaker within a second of speech', () => {
    const norm = new SpeakerNorm([0.5], [0.2]);
    expect(norm.normalise(0.7, 0)).toBeCloseTo(1, 6);
    for (const x of phonemes(100, 5)) norm.observe([2 + 0.1 * x]);
    // A voice centred on 2: its centre now reads under 1, not (2 - 0.5) / 0.2 = 7.5 (the priors still weigh 23 %).
    expect(Math.abs(norm.normalise(2, 0))).toBeLessThan(1);
  });

  it('learns only from the hops it observes, and forgets the speaker on request', () => {
    const norm = new SpeakerNorm([0, 1], [1, 1]);
    const before = [norm.normalise(3, 0), norm.normalise(3, 1)];
    expect(before).toEqual([3, 2]);
    for (const x of phonemes(50, 9)) norm.observe([5 + x, 1 + x]);
    expect(norm.normalise(3, 0)).toBeLessThan(0);
    norm.forget();
    expect([norm.normalise(3, 0), norm.normalise(3, 1)]).toEqual(before);
  });

  it('keeps a band with no spread (a telephone voice) from blowing up, and clamps', () => {
    const norm = new SpeakerNorm([0], [1]);
    for (let k = 0; k < 3000; k++) norm.observe([-2]);
    // The spread is floored at 0.35 of the prior's: a 0.1 wobble reads as ~0.29, not as thousands.
    expect(norm.normalise(-1.9, 0)).toBeCloseTo(0.1 / 0.35, 1);
    expect(norm.normalise(50, 0)).toBe(4);
  });
});
