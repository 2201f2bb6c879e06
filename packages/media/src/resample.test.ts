import { describe, expect, it } from 'vitest';
import { resample, resampledLength, StreamingResampler } from './resample.js';

function tone(freq: number, rate: number, seconds: number, amplitude = 0.5): Int16Array {
  const out = new Int16Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++)
    out[i] = Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * freq * i) / rate));
  return out;
}

/** Amplitude of the `freq` component (least squares on sin/cos) and the RMS of what is left over. */
function analyse(x: Int16Array, freq: number, rate: number, skip: number) {
  let ss = 0;
  let sc = 0;
  let n = 0;
  for (let i = skip; i < x.length - skip; i++, n++) {
    const w = (2 * Math.PI * freq * i) / rate;
    ss += (x[i]! / 32768) * Math.sin(w);
    sc += (x[i]! / 32768) * Math.cos(w);
  }
  const a = (2 * ss) / n;
  const b = (2 * sc) / n;
  let resid = 0;
  let total = 0;
  for (let i = skip; i < x.length - skip; i++) {
    const w = (2 * Math.PI * freq * i) / rate;
    const v = x[i]! / 32768;
    resid += (v - a * Math.sin(w) - b * Math.cos(w)) ** 2;
    total += v * v;
  }
  return { amplitude: Math.hypot(a, b), residualRms: Math.sqrt(resid / n), rms: Math.sqrt(total / n) };
}

function chunked(input: Int16Array, r: StreamingResampler, sizes: number[]): Int16Array {
  const parts: Int16Array[] = [];
  let at = 0;
  let s = 0;
  while (at < input.length) {
    const size = sizes[s++ % sizes.length]!;
    parts.push(r.push(input.subarray(at, at + size)));
    at += size;
  }
  parts.push(r.flush());
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

describe('StreamingResampler', () => {
  for (const rate of [8000, 11025, 22050, 24000, 32000, 44100, 48000]) {
    it(`keeps a 1 kHz sine's amplitude and frequency from ${rate} Hz`, () => {
      const out = resample(tone(1000, rate, 0.5), rate);
      expect(out.length).toBe(resampledLength(Math.round(rate * 0.5), rate));
      const { amplitude, residualRms } = analyse(out, 1000, 16000, 400);
      expect(amplitude).toBeGreaterThan(0.495);
      expect(amplitude).toBeLessThan(0.505);
      // Anything that is not the 1 kHz tone (wrong frequency, distortion, aliasing) is below -60 dB.
      expect(residualRms / amplitude).toBeLessThan(1e-3);
    });
  }

  it('keeps a 6 kHz tone near the top of the pass band', () => {
    const { amplitude } = analyse(resample(tone(6000, 48000, 0.5), 48000), 6000, 16000, 400);
    expect(amplitude).toBeGreaterThan(0.48);
  });

  for (const [freq, rate] of [
    [9000, 48000],
    [11000, 44100],
    [14000, 32000],
  ] as const) {
    it(`suppresses a ${freq} Hz tone above the new Nyquist (from ${rate} Hz) instead of aliasing it`, () => {
      const out = resample(tone(freq, rate, 0.5), rate);
      const { rms } = analyse(out, 16000 - freq, 16000, 400);
      // Input RMS is 0.35; the alias must be more than 60 dB down.
      expect(rms).toBeLessThan(0.35e-3);
    });
  }

  it('suppresses the spectral image when upsampling 8 kHz', () => {
    const out = resample(tone(3000, 8000, 0.5), 8000);
    const image = analyse(out, 5000, 16000, 400);
    const main = analyse(out, 3000, 16000, 400);
    expect(main.amplitude).toBeGreaterThan(0.49);
    expect(image.amplitude).toBeLessThan(0.5e-3);
  });

  for (const rate of [8000, 22050, 44100, 48000, 44101]) {
    it(`gives identical samples for one chunk and 37 odd-sized chunks at ${rate} Hz`, () => {
      const input = new Int16Array(rate);
      let seed = 7;
      for (let i = 0; i < input.length; i++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        input[i] = ((seed >>> 16) & 0xffff) - 32768;
      }
      const whole = chunked(input, new StreamingResampler(rate), [input.length]);
      const sizes = Array.from({ length: 37 }, (_, i) => 2 * i + 1 + ((i * 97) % 531));
      const pieces = chunked(input, new StreamingResampler(rate), sizes);
      expect(pieces.length).toBe(resampledLength(input.length, rate));
      expect(Array.from(pieces)).toEqual(Array.from(whole));
    });
  }

  it('counts outputs exactly, per chunk, for the confirmations', () => {
    const r = new StreamingResampler(44100);
    let pushed = 0;
    let produced = 0;
    for (const size of [1, 2, 441, 1000, 3, 4410, 17]) {
      produced += r.push(new Int16Array(size)).length;
      pushed += size;
      expect(produced).toBeLessThanOrEqual(resampledLength(pushed, 44100));
    }
    produced += r.flush().length;
    expect(produced).toBe(resampledLength(pushed, 44100));
    expect(resampledLength(44100, 44100)).toBe(16000);
    expect(resampledLength(1, 48000)).toBe(1);
    expect(resampledLength(3, 48000)).toBe(1);
    expect(resampledLength(4, 48000)).toBe(2);
    expect(resampledLength(5, 8000)).toBe(10);
  });

  it('passes 16 kHz through unchanged', () => {
    const input = tone(440, 16000, 0.1);
    const r = new StreamingResampler(16000);
    expect(Array.from(r.push(input))).toEqual(Array.from(input));
    expect(r.flush().length).toBe(0);
  });

  it('starts a fresh segment after flush and after reset', () => {
    const input = tone(500, 22050, 0.2);
    const r = new StreamingResampler(22050);
    const first = chunked(input, r, [999]);
    const second = chunked(input, r, [123]);
    expect(Array.from(second)).toEqual(Array.from(first));
    r.push(tone(2000, 22050, 0.05));
    r.reset();
    expect(Array.from(chunked(input, r, [4096]))).toEqual(Array.from(first));
  });

  it('rejects rates it cannot handle', () => {
    expect(() => new StreamingResampler(0)).toThrow(/sample rate/);
    expect(() => new StreamingResampler(44100.5)).toThrow(/sample rate/);
  });
});
