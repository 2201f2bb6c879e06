// The explicit closure cues on a synthetic utterance whose every part is known: open vowels, a nasal murmur
// (voiced, energy only under ~500 Hz, 12 dB down: the lips shut on "m") and a stop gap (near silence: the lips
// shut on "p" before the burst). Also the level-free spectral shape and its speaker adaptation.
import { describe, expect, it } from 'vitest';
import { FEATURES, featureNames, HOP, SpeechFeatures, WINDOW } from './speech-features.js';

const RATE = 16000;

/** A voiced sound at 120 Hz: harmonics weighted by resonances at `formants` (Hz), at `db` dBFS-ish. */
function voiced(ms: number, formants: readonly number[], db: number): Float32Array {
  const n = (ms * RATE) / 1000;
  const out = new Float32Array(n);
  const gain = 10 ** (db / 20);
  for (let h = 1; 120 * h < 7000; h++) {
    const f = 120 * h;
    const amp = formants.reduce((a, fc) => a + 1 / (1 + ((f - fc) / 90) ** 2), 0) / h ** 0.5;
    for (let i = 0; i < n; i++) out[i]! += gain * amp * Math.sin((2 * Math.PI * f * i) / RATE);
  }
  return out;
}

function silence(ms: number, seed = 1): Float32Array {
  let s = seed;
  return Float32Array.from({ length: (ms * RATE) / 1000 }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return 3e-4 * (s / 2 ** 32 - 0.5);
  });
}

function featuresOf(parts: Float32Array[]): { at: (ms: number, name: string) => number; hops: number } {
  const x = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    x.set(p, o);
    o += p.length;
  }
  const f = new SpeechFeatures();
  const hops = Math.floor((x.length - WINDOW) / HOP);
  const out = new Float32Array(hops * FEATURES);
  for (let k = 0; k < hops; k++) f.compute(x, k * HOP, out, k * FEATURES);
  // Hop k's window is centred at k·10 ms + 12.5 ms.
  const at = (ms: number, name: string) =>
    out[Math.round((ms - 12.5) / 10) * FEATURES + featureNames.indexOf(name as never)]!;
  return { at, hops };
}

const range = (from: number, to: number) => Array.from({ length: (to - from) / 10 }, (_, i) => from + i * 10);

describe('SpeechFeatures closure cues', () => {
  // 0–400 vowel "a", 400–500 murmur "m", 500–800 vowel, 800–880 stop gap, 880–1200 vowel.
  const vowel = (ms: number) => voiced(ms, [750, 1200, 2600], -12);
  const { at } = featuresOf([vowel(400), voiced(100, [250], -24), vowel(300), silence(80), vowel(320)]);
  const max = (name: string, from: number, to: number) =>
    Math.max(...range(from, to).map((t) => at(t, name)));

  it('rises on a nasal murmur and not on the vowels around it', () => {
    const murmur = max('nasal', 430, 480);
    expect(murmur).toBeGreaterThan(0.15);
    expect(max('nasal', 150, 380)).toBeLessThan(murmur / 3);
    expect(max('nasal', 560, 780)).toBeLessThan(murmur / 3);
    expect(max('gap', 430, 480)).toBeLessThan(0.2);
  });

  it('rises in a stop gap, and the dip under the recent peak marks both closures', () => {
    expect(max('gap', 830, 870)).toBeGreaterThan(0.5);
    expect(max('gap', 150, 380)).toBeLessThan(0.1);
    expect(max('dip', 830, 870)).toBeGreaterThan(0.6);
    expect(max('dip', 430, 480)).toBeGreaterThan(0.25);
  });

  it('gives a level-free spectral shape, and onsets show as flux', () => {
    const loud = featuresOf([voiced(400, [750, 1200, 2600], -6)]);
    const quiet = featuresOf([voiced(400, [750, 1200, 2600], -30)]);
    for (let b = 0; b < 12; b++) {
      expect(loud.at(300, `mel${b}`)).toBeCloseTo(quiet.at(300, `mel${b}`), 3);
    }
    expect(max('flux', 880, 940)).toBeGreaterThan(5 * max('flux', 200, 380));
  });

  it('adapts away a lasting colour: a steady vowel tends to a zero normalised shape', () => {
    const steady = featuresOf([voiced(3000, [500, 1500, 2500], -12)]);
    for (let b = 0; b < 12; b++) {
      expect(Math.abs(steady.at(2900, `melNorm${b}`))).toBeLessThan(0.05);
      expect(Math.abs(steady.at(2900, `mel${b}`))).toBeGreaterThan(0);
    }
  });
});
