// The truth corrections applied to the neural voices' own timings (no venv needed: pure functions).
import { describe, expect, it } from 'vitest';
import { shifted, silentEdgesToPause } from './neural-tts.js';

const span = (p: { phoneme: string; startMs: number; endMs: number }) => [p.phoneme, p.startMs, p.endMs];

describe('neural truth corrections', () => {
  it('moves every boundary earlier, keeping the utterance whole', () => {
    const timed = [
      { phoneme: 'pau', startMs: 0, endMs: 100 },
      { phoneme: 'm', startMs: 100, endMs: 180 },
      { phoneme: 'aa', startMs: 180, endMs: 300 },
    ];
    expect(shifted(timed, -50, 300).map(span)).toEqual([
      ['pau', 0, 50],
      ['m', 50, 130],
      ['aa', 130, 250],
      ['pau', 250, 300],
    ]);
    expect(shifted(timed, -120, 300).map(span)[0]).toEqual(['m', 0, 60]);
  });

  it('turns the silent edge of a phone next to a pause into pause, not a silent closure inside speech', () => {
    // 0–100 ms silence, 100–300 sound, 300–400 silence (a stop closure), 400–500 sound, 500–700 silence.
    const pcm = new Int16Array(11200);
    for (const [a, b] of [
      [100, 300],
      [400, 500],
    ] as const) {
      for (let i = a * 16; i < b * 16; i++) pcm[i] = Math.round(8000 * Math.sin(i / 3));
    }
    const timed = [
      { phoneme: 'pau', startMs: 0, endMs: 50 },
      { phoneme: 'm', startMs: 50, endMs: 200 },
      { phoneme: 'aa', startMs: 200, endMs: 300 },
      { phoneme: 'p', startMs: 300, endMs: 420 },
      { phoneme: 'aa', startMs: 420, endMs: 650 },
      { phoneme: 'pau', startMs: 650, endMs: 700 },
    ];
    expect(silentEdgesToPause(timed, pcm).map(span)).toEqual([
      ['pau', 0, 100],
      ['m', 100, 200],
      ['aa', 200, 300],
      ['p', 300, 420],
      ['aa', 420, 500],
      ['pau', 500, 700],
    ]);
  });
});
