// Deterministic audio augmentation for fitting and scoring audio-only lip-sync: level, noise floors, white /
// pink / babble noise at a signal-to-noise ratio, a cheap room reverb, the telephone band, and the non-speech
// sounds the mouth must ignore (noise bursts, synthetic music). Everything takes a seed.
import { resample } from '@agenthuman/media';

export type Rand = () => number;

export function rng(seed: number): Rand {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export const toFloat = (pcm: Int16Array): Float32Array => Float32Array.from(pcm, (v) => v / 32768);

export function toInt16(x: Float32Array): Int16Array {
  const out = new Int16Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.min(32767, Math.max(-32768, Math.round(x[i]! * 32768)));
  return out;
}

/**
 * The same speech at another level with a faint white noise floor, so the model learns from relative levels and
 * never relies on digital silence (live audio never has it).
 */
export function augment(pcm: Int16Array, gainDb: number, noiseDbfs: number, seed: number): Int16Array {
  const gain = 10 ** (gainDb / 20);
  const noise = 32768 * 10 ** (noiseDbfs / 20) * Math.sqrt(3);
  const out = new Int16Array(pcm.length);
  const rand = rng(seed);
  for (let i = 0; i < pcm.length; i++) {
    const v = pcm[i]! * gain + noise * (2 * rand() - 1);
    out[i] = Math.min(32767, Math.max(-32768, Math.round(v)));
  }
  return out;
}

/** RMS of the louder half of 10 ms blocks: the level of the speech itself, not of its pauses. */
export function activeRms(x: Float32Array): number {
  const blocks: number[] = [];
  for (let at = 0; at + 160 <= x.length; at += 160) {
    let e = 0;
    for (let i = at; i < at + 160; i++) e += x[i]! * x[i]!;
    blocks.push(e / 160);
  }
  blocks.sort((a, b) => b - a);
  const top = blocks.slice(0, Math.max(1, Math.ceil(blocks.length / 2)));
  return Math.sqrt(top.reduce((a, b) => a + b, 0) / top.length) || 1e-9;
}

export function whiteNoise(n: number, rand: Rand): Float32Array {
  return Float32Array.from({ length: n }, () => Math.sqrt(3) * (2 * rand() - 1));
}

/** 1/f noise (Paul Kellet's filter), unit RMS. */
export function pinkNoise(n: number, rand: Rand): Float32Array {
  const out = new Float32Array(n);
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  for (let i = 0; i < n; i++) {
    const w = 2 * rand() - 1;
    b0 = 0.99765 * b0 + w * 0.099046;
    b1 = 0.963 * b1 + w * 0.2965164;
    b2 = 0.57 * b2 + w * 1.0526913;
    out[i] = b0 + b1 + b2 + w * 0.1848;
  }
  return scaleTo(out, 1);
}

/** Several other talkers at once, cut at random places: unintelligible crowd noise, unit RMS. */
export function babble(talkers: readonly Int16Array[], n: number, rand: Rand): Float32Array {
  const out = new Float32Array(n);
  for (const t of talkers) {
    const from = Math.floor(rand() * Math.max(1, t.length - n));
    for (let i = 0; i < n; i++) out[i]! += (t[(from + i) % t.length] ?? 0) / 32768;
  }
  return scaleTo(out, 1);
}

/**
 * Synthetic music: notes and chords of harmonic tones (piano-like decay or held) with a drum hit now and then,
 * 150–600 ms per note, unit RMS. Periodic and loud like vowels, so it tests the speech-likeness of the cues.
 */
export function music(n: number, rand: Rand): Float32Array {
  const out = new Float32Array(n);
  let at = 0;
  while (at < n) {
    const len = Math.floor((0.15 + 0.45 * rand()) * 16000);
    const held = rand() < 0.5;
    const notes = 1 + Math.floor(rand() * 3);
    for (let v = 0; v < notes; v++) {
      const f0 = 110 * 2 ** (Math.floor(rand() * 36) / 12);
      for (let h = 1; h <= 6; h++) {
        if (f0 * h > 7000) break;
        const amp = 0.6 / h;
        const w = (2 * Math.PI * f0 * h) / 16000;
        for (let i = 0; i < len && at + i < n; i++) {
          const env = held ? Math.min(1, i / 200) : Math.exp(-i / (0.25 * 16000));
          out[at + i]! += amp * env * Math.sin(w * i);
        }
      }
    }
    if (rand() < 0.3) {
      for (let i = 0; i < 1600 && at + i < n; i++)
        out[at + i]! += 0.8 * Math.exp(-i / 300) * (2 * rand() - 1);
    }
    at += len;
  }
  return scaleTo(out, 1);
}

export type BurstKind = 'white' | 'pink' | 'click';

/** A burst of noise: `ms` long with 5 ms ramps (white, pink) or a sharp 30 ms decay (click), unit peak RMS. */
export function noiseBurst(kind: BurstKind, ms: number, rand: Rand): Float32Array {
  const n = Math.round(ms * 16);
  const x = kind === 'pink' ? pinkNoise(n, rand) : whiteNoise(n, rand);
  for (let i = 0; i < n; i++) {
    const env = kind === 'click' ? Math.exp(-i / 480) : Math.min(1, i / 80, (n - i) / 80);
    x[i]! *= env;
  }
  return x;
}

/** Adds `noise` (looped if shorter) at `snrDb` under the speech's active level. */
export function mixAtSnr(speech: Float32Array, noise: Float32Array, snrDb: number): Float32Array {
  const gain = (activeRms(speech) / rmsOf(noise)) * 10 ** (-snrDb / 20);
  return Float32Array.from(speech, (v, i) => v + gain * noise[i % noise.length]!);
}

/** A small room: Schroeder's four combs and two all-passes, mixed under the dry sound. */
export function reverb(x: Float32Array, rt60s: number, wet: number): Float32Array {
  const combs = [1116, 1188, 1277, 1356].map((d) => ({ d, g: 10 ** ((-3 * d) / (16000 * rt60s)) }));
  const acc = new Float32Array(x.length);
  for (const { d, g } of combs) {
    const buf = new Float32Array(d);
    for (let i = 0; i < x.length; i++) {
      const y = buf[i % d]!;
      buf[i % d] = x[i]! + g * y;
      acc[i]! += y / combs.length;
    }
  }
  let y = acc;
  for (const d of [225, 556]) {
    const buf = new Float32Array(d);
    const out = new Float32Array(y.length);
    for (let i = 0; i < y.length; i++) {
      const delayed = buf[i % d]!;
      const v = y[i]! + 0.5 * delayed;
      buf[i % d] = v;
      out[i] = delayed - 0.5 * v;
    }
    y = out;
  }
  return Float32Array.from(x, (v, i) => v + wet * y[i]!);
}

/**
 * Another vocal tract: the whole sound (formants, pitch, timing) scaled in frequency by `alpha` (0.88–1.14 is a
 * tract ~12 % longer to ~14 % shorter), by reading the 16 kHz samples as if recorded at 16000·alpha Hz. The
 * result lasts 1/alpha as long, so phoneme times scale by 1/alpha. `alpha` is rounded to 1 % (resampler ratios).
 */
export function warpVocalTract(pcm: Int16Array, alpha: number): { pcm: Int16Array; timeScale: number } {
  const inRate = 160 * Math.round(100 * alpha);
  return { pcm: resample(pcm, inRate, 16000), timeScale: 16000 / inRate };
}

/**
 * A first-order spectral tilt (a microphone's or a vocoder's colour): `amount` > 0 brightens (up to +6 dB at
 * 8 kHz for 1), < 0 darkens (down to −9.5 dB at 8 kHz for −1); unity at low frequencies, so the level hardly moves.
 */
export function tilt(x: Float32Array, amount: number): Float32Array {
  const out = new Float32Array(x.length);
  if (amount >= 0) {
    const a = 0.5 * amount;
    for (let i = 0; i < x.length; i++) out[i] = x[i]! + a * (x[i]! - (i > 0 ? x[i - 1]! : 0));
  } else {
    const p = Math.min(0.5, -0.5 * amount);
    let y = 0;
    for (let i = 0; i < x.length; i++) out[i] = y = (1 - p) * x[i]! + p * y;
  }
  return out;
}

/** 8 kHz telephone audio brought back to 16 kHz: nothing above 4 kHz. */
export const telephone = (pcm: Int16Array): Int16Array => resample(resample(pcm, 16000, 8000), 8000, 16000);

export function rmsOf(x: Float32Array): number {
  let e = 0;
  for (let i = 0; i < x.length; i++) e += x[i]! * x[i]!;
  return Math.sqrt(e / Math.max(1, x.length)) || 1e-9;
}

export function scaleTo(x: Float32Array, rms: number): Float32Array {
  const g = rms / rmsOf(x);
  for (let i = 0; i < x.length; i++) x[i]! *= g;
  return x;
}
