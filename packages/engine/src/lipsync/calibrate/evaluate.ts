// Scores audio-only lip-sync against the Flite phoneme path: Pearson correlation of the jaw-open curves per
// utterance, and the lag that maximises their cross-correlation.
import { AudioLipSync } from '../audio-lipsync.js';
import type { LipSyncModel } from '../lipsync-model.js';
import { augment, type Utterance } from './corpus.js';

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
  utterances: number;
}

/** `utterances` must carry truth at 40 ms (correlation) and `fine` the same utterances at 10 ms (lag). */
export function scoreLipSync(utterances: Utterance[], fine: Utterance[], model?: LipSyncModel): LipSyncScore {
  let sum = 0;
  utterances.forEach((u, i) => {
    // Held-out audio also gets a level change and a noise floor, like a real feed.
    const pcm = augment(u.pcm, i % 2 ? -8 : 4, -62, 1000 + i);
    const pred = predictJaw(pcm, 40, model);
    sum += pearson(
      pred,
      u.truth.map((f) => f.jawOpen),
    );
  });
  const maxLag = 12;
  const lagCorr = new Array(2 * maxLag + 1).fill(0);
  fine.forEach((u, i) => {
    const pred = predictJaw(augment(u.pcm, i % 2 ? -8 : 4, -62, 1000 + i), 10, model);
    const truth = u.truth.map((f) => f.jawOpen);
    for (let lag = -maxLag; lag <= maxLag; lag++) {
      // pred[t + lag] against truth[t]
      const a = pred.slice(Math.max(0, lag), Math.min(pred.length, truth.length + lag));
      const b = truth.slice(Math.max(0, -lag), Math.max(0, -lag) + a.length);
      lagCorr[lag + maxLag] += pearson(a, b);
    }
  });
  const best = lagCorr.indexOf(Math.max(...lagCorr)) - maxLag;
  return { corr: sum / utterances.length, lagMs: best * 10, utterances: utterances.length };
}
