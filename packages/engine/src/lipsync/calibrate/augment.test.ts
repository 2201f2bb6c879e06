import { describe, expect, it } from 'vitest';
import { rmsOf, tilt, toFloat, warpVocalTract } from './augment.js';
import { recoloured } from './dataset.js';

const tone = (hz: number, n: number) =>
  Int16Array.from({ length: n }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / 16000)));

/** Frequency from zero crossings (a pure tone). */
function pitchOf(pcm: Int16Array): number {
  let crossings = 0;
  for (let i = 1; i < pcm.length; i++) if (pcm[i - 1]! < 0 !== pcm[i]! < 0) crossings++;
  return (crossings / 2 / pcm.length) * 16000;
}

describe('vocal-tract warp and tilt', () => {
  it('scales frequencies by alpha and durations by 1/alpha', () => {
    for (const alpha of [0.88, 1.1]) {
      const { pcm, timeScale } = warpVocalTract(tone(500, 16000), alpha);
      expect(pitchOf(pcm.subarray(200, pcm.length - 200))).toBeCloseTo(500 * alpha, -1);
      expect(pcm.length / 16000).toBeCloseTo(timeScale, 2);
      expect(timeScale).toBeCloseTo(1 / alpha, 2);
    }
  });

  it('brightens or darkens high frequencies and leaves low ones', () => {
    const low = toFloat(tone(200, 8000));
    const high = toFloat(tone(6000, 8000));
    expect(rmsOf(tilt(low, 1)) / rmsOf(low)).toBeCloseTo(1, 1);
    expect(rmsOf(tilt(high, 1)) / rmsOf(high)).toBeGreaterThan(1.7);
    expect(rmsOf(tilt(high, -1)) / rmsOf(high)).toBeLessThan(0.45);
  });

  it('moves the phoneme times with the warped audio', () => {
    const u = {
      text: 'a',
      source: { synth: 'flite', voice: 'slt', lang: 'en', f0Hz: [160, 260] } as const,
      pcm: tone(300, 16000),
      phonemes: [
        { phoneme: 'aa', startMs: 0, endMs: 500 },
        { phoneme: 'm', startMs: 500, endMs: 1000 },
      ],
      truth: [],
    };
    const r = recoloured(u, 3);
    const endMs = r.phonemes[1]!.endMs;
    expect(Math.abs(endMs - (r.pcm.length / 16000) * 1000)).toBeLessThan(2);
    expect(endMs).not.toBe(1000);
    expect(r.truth.length).toBeGreaterThan(80);
  });
});
