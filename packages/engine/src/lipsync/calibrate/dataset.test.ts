import { describe, expect, it } from 'vitest';
import { clipOf, TARGETS } from './dataset.js';

const tone = (hz: number, n: number) =>
  Int16Array.from({ length: n }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / 16000)));

describe('training clips', () => {
  it("labels each hop with its phoneme's class, a diphthong's by its half, pauses as rest", () => {
    const u = {
      text: 'a',
      source: { synth: 'flite', voice: 'slt', lang: 'en', f0Hz: [160, 260] } as const,
      pcm: tone(200, 16000),
      phonemes: [
        { phoneme: 'aa', startMs: 0, endMs: 300 },
        { phoneme: 'm', startMs: 300, endMs: 500 },
        { phoneme: 'ay', startMs: 500, endMs: 900 },
        { phoneme: 's', startMs: 900, endMs: 1000 },
      ],
      truth: [],
    };
    const c = clipOf(u, 'clean', 'silence', 1, []);
    // The clip starts with a 300 ms pause; hop k is at k·10 ms.
    const at = (ms: number) => c.phoneClass[(300 + ms) / 10];
    expect(c.phoneClass[10]).toBe(0);
    expect(at(150)).toBe(1); // aa: open
    expect(at(400)).toBe(4); // m: lip closure
    expect(at(600)).toBe(1); // ay starts open ...
    expect(at(800)).toBe(3); // ... and ends close (iy)
    expect(at(950)).toBe(7); // s: sibilant
    expect(c.phoneClass[c.hops - 1]).toBe(0);
    expect(c.phoneClass.length).toBe(c.hops);
    // The closure target agrees with the class.
    expect(c.targets[((300 + 400) / 10) * TARGETS + 6]).toBe(1);
  });
});
