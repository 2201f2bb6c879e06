import { describe, expect, it } from 'vitest';
import { AudioChunker } from './audio-chunker.js';

function tone(rate: number, hz: number, ms: number): Int16Array {
  const n = (rate * ms) / 1000;
  return Int16Array.from({ length: n }, (_, i) =>
    Math.round(10_000 * Math.sin((2 * Math.PI * hz * i) / rate)),
  );
}

function zeroCrossings(samples: Int16Array): number {
  let n = 0;
  for (let i = 1; i < samples.length; i++) if (samples[i - 1]! < 0 !== samples[i]! < 0) n++;
  return n;
}

describe('AudioChunker', () => {
  it('resamples a push at another rate keeping pitch, with no clicks across chunk boundaries', () => {
    const input = tone(16_000, 440, 1_000);
    const chunker = new AudioChunker(48_000);
    const parts: Int16Array[] = [];
    for (let i = 0; i < input.length; i += 333) {
      for (const c of chunker.push(input.subarray(i, i + 333), 16_000, (i * 1000) / 16_000))
        parts.push(c.samples);
    }
    const out = Int16Array.from(parts.flatMap((p) => [...p]));
    // The resampler holds back its filter's tail (2 ms), so a little under a second has come out.
    expect(out.length).toBeGreaterThan(47_000);
    expect(Math.abs(zeroCrossings(out) - (880 * out.length) / 48_000)).toBeLessThanOrEqual(3);
    let maxStep = 0;
    for (let i = 1; i < out.length; i++) maxStep = Math.max(maxStep, Math.abs(out[i]! - out[i - 1]!));
    expect(maxStep).toBeLessThan(700);
  });

  it('passes audio at its own rate through untouched', () => {
    const input = tone(48_000, 440, 10);
    expect(new AudioChunker(48_000).push(input, 48_000, 0)[0]!.samples).toEqual(input);
  });

  it('cuts any push size into 10 ms chunks stamped with their own time', () => {
    // 50 ms in; the resampler holds back a sample or two, so four whole chunks come out now.
    const chunker = new AudioChunker(48_000);
    const a = chunker.push(tone(16_000, 440, 25), 16_000, 1_000);
    const b = chunker.push(tone(16_000, 440, 25), 16_000, 1_025);
    const all = [...a, ...b];
    expect(all.map((c) => c.samples.length)).toEqual([480, 480, 480, 480]);
    expect(all.map((c) => Math.round(c.ptsMs))).toEqual([1_000, 1_010, 1_020, 1_030]);
  });

  it('pads the tail of a segment rather than joining it to audio from much later', () => {
    const chunker = new AudioChunker(48_000);
    expect(chunker.push(tone(48_000, 440, 15), 48_000, 0)).toHaveLength(1);
    const next = chunker.push(tone(48_000, 440, 10), 48_000, 500);
    expect(next.map((c) => Math.round(c.ptsMs))).toEqual([10, 500]);
    expect(next[0]!.samples.subarray(240).every((s) => s === 0)).toBe(true);
  });

  it('refuses sample rates outside 8–48 kHz', () => {
    expect(() => new AudioChunker(48_000).push(new Int16Array(10), 96_000, 0)).toThrow(/8000–48000/);
  });
});
