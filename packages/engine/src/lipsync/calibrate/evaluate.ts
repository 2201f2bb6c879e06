// Scores audio-only lip-sync against the phoneme path: Pearson correlation of the jaw-open curves per utterance,
// the lag that maximises their cross-correlation, how often the lips are shut on p/b/m, and how still the mouth
// stays on noise bursts, music and silence.
import { AudioLipSync } from '../audio-lipsync.js';
import type { LipSyncModel } from '../lipsync-model.js';
import { closurePhonemes } from '../visemes.js';
import { activeRms, augment, type BurstKind, music, noiseBurst, rng, toFloat, toInt16 } from './augment.js';
import type { Utterance } from './corpus.js';

export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

/** Runs the streaming lip-sync over an utterance in uneven chunks, as live audio would arrive. */
export function predictJaw(pcm: Int16Array, frameMs: number, model?: LipSyncModel): number[] {
  const sync = new AudioLipSync({ frameMs, ...(model ? { model } : {}) });
  const jaw: number[] = [];
  const sizes = [320, 160, 640, 480, 96];
  let at = 0;
  for (let i = 0; at < pcm.length; i++) {
    const size = sizes[i % sizes.length]!;
    for (const f of sync.push(pcm.subarray(at, at + size))) jaw.push(f.jawOpen);
    at += size;
  }
  for (const f of sync.flush()) jaw.push(f.jawOpen);
  return jaw;
}

export interface LipSyncScore {
  /** Mean per-utterance Pearson correlation at 25 fps. */
  corr: number;
  /** Positive: the audio-only curve comes later than the ground truth. */
  lagMs: number;
  /** Share of p/b/m frames (the 40 ms frame nearest each one's middle) with jawOpen < 0.1. */
  mbpClosed: number;
  /** Mean jawOpen on those frames. */
  mbpMeanJaw: number;
  mbpFrames: number;
  utterances: number;
}

/** Held-out audio also gets a level change and a noise floor, like a real feed. */
export const feedLike = (u: Utterance, i: number) => augment(u.pcm, i % 2 ? -8 : 4, -62, 1000 + i);

/** `utterances` must carry truth at 40 ms (correlation, closures) and `fine` the same utterances at 10 ms (lag). */
export function scoreLipSync(utterances: Utterance[], fine: Utterance[], model?: LipSyncModel): LipSyncScore {
  let sum = 0;
  let closedFrames = 0;
  let mbpFrames = 0;
  let mbpJaw = 0;
  utterances.forEach((u, i) => {
    const pred = predictJaw(feedLike(u, i), 40, model);
    sum += pearson(
      pred,
      u.truth.map((f) => f.jawOpen),
    );
    for (const p of u.phonemes) {
      if (!closurePhonemes.has(p.phoneme)) continue;
      const jaw = pred[Math.round((p.startMs + p.endMs) / 2 / 40)];
      if (jaw === undefined) continue;
      mbpFrames++;
      mbpJaw += jaw;
      if (jaw < 0.1) closedFrames++;
    }
  });
  const maxLag = 12;
  const lagCorr = new Array(2 * maxLag + 1).fill(0);
  fine.forEach((u, i) => {
    const pred = predictJaw(feedLike(u, i), 10, model);
    const truth = u.truth.map((f) => f.jawOpen);
    for (let lag = -maxLag; lag <= maxLag; lag++) {
      // pred[t + lag] against truth[t]
      const a = pred.slice(Math.max(0, lag), Math.min(pred.length, truth.length + lag));
      const b = truth.slice(Math.max(0, -lag), Math.max(0, -lag) + a.length);
      lagCorr[lag + maxLag] += pearson(a, b);
    }
  });
  const best = lagCorr.indexOf(Math.max(...lagCorr)) - maxLag;
  return {
    corr: sum / utterances.length,
    lagMs: best * 10,
    mbpClosed: mbpFrames ? closedFrames / mbpFrames : 0,
    mbpMeanJaw: mbpFrames ? mbpJaw / mbpFrames : 0,
    mbpFrames,
    utterances: utterances.length,
  };
}

export interface StillnessScore {
  /** Highest jawOpen while noise bursts play (after speech, and with no speech before). */
  burstMaxJaw: number;
  /** Highest and mean jawOpen during synthetic music (after speech, and alone). */
  musicMaxJaw: number;
  musicMeanJaw: number;
  /** Highest jawOpen in a noise-floor pause from 200 ms after speech ends, and in digital silence. */
  silenceMaxJaw: number;
}

const BURSTS: readonly [BurstKind, number, number][] = [
  // kind, ms, level in dB against the speech's active level
  ['white', 200, 0],
  ['pink', 300, -6],
  ['click', 60, 3],
  ['white', 80, -3],
  ['pink', 500, 0],
];

export interface StillnessFixture {
  pcm: Int16Array;
  kind: 'burst' | 'music' | 'silence';
  /** First 40 ms frame that counts (the lead's speech and 200 ms after it do not). */
  fromFrame: number;
}

/**
 * Non-speech fixtures around `speech` (deterministic for a seed): bursts and music in the pause after it, the
 * same alone at -20 dBFS, a -60 dBFS noise-floor pause, and digital silence.
 */
export function stillnessFixtures(speech: Int16Array, seed: number): StillnessFixture[] {
  const rand = rng(seed);
  const level = activeRms(toFloat(speech));
  const floor = (n: number) =>
    Float32Array.from({ length: n }, () => 0.001 * Math.sqrt(3) * (2 * rand() - 1));
  /** `tail` played after `lead` (speech or nothing), scored from `skipMs` into the tail. */
  const after = (lead: Int16Array, tail: Float32Array, skipMs: number, kind: StillnessFixture['kind']) => {
    const x = new Float32Array(lead.length + tail.length);
    x.set(toFloat(lead));
    x.set(tail, lead.length);
    return { pcm: toInt16(x), kind, fromFrame: Math.ceil((lead.length / 16 + skipMs) / 40) };
  };
  const bursts = (ref: number) => {
    const parts: Float32Array[] = [floor(6400)];
    for (const [kind, ms, db] of BURSTS) {
      const b = noiseBurst(kind, ms, rand);
      const g = ref * 10 ** (db / 20);
      parts.push(
        Float32Array.from(b, (v) => g * v + 0.001 * (2 * rand() - 1)),
        floor(6400),
      );
    }
    return concat(parts);
  };
  const musicAt = (ref: number) => {
    const m = music(48000, rand);
    return Float32Array.from(m, (v) => ref * v * 0.5);
  };
  const none = new Int16Array(0);
  // Built in this order so the seeded noise is the same as before the fixtures were split out.
  const burstAfter = after(speech, bursts(level), 200, 'burst');
  const burstAlone = after(none, bursts(0.1), 0, 'burst');
  const musicAfter = after(speech, musicAt(level), 200, 'music');
  const musicAlone = after(none, musicAt(0.1), 0, 'music');
  const silenceAfter = after(speech, floor(32000), 200, 'silence');
  const silenceAlone = after(none, new Float32Array(32000), 0, 'silence');
  return [burstAfter, burstAlone, musicAfter, musicAlone, silenceAfter, silenceAlone];
}

/** How still the mouth stays on `stillnessFixtures(speech, seed)`. */
export function scoreStillness(speech: Int16Array, seed: number, model?: LipSyncModel): StillnessScore {
  const jaw = { burst: [] as number[], music: [] as number[], silence: [] as number[] };
  for (const f of stillnessFixtures(speech, seed)) {
    jaw[f.kind].push(...predictJaw(f.pcm, 40, model).slice(f.fromFrame));
  }
  return {
    burstMaxJaw: Math.max(...jaw.burst),
    musicMaxJaw: Math.max(...jaw.music),
    musicMeanJaw: jaw.music.reduce((a, b) => a + b, 0) / jaw.music.length,
    silenceMaxJaw: Math.max(...jaw.silence),
  };
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
