// Chooses the speech and closure gates on validation without re-running the network for every setting: the
// network runs once per 10 ms hop of each validation clip and stillness fixture, then each setting replays the
// live path's gateMouth over the stored outputs (the same function, so a replayed frame is the frame
// AudioLipSync would emit; gate-search.test.ts checks it).
import { FeatureStream } from '../feature-stream.js';
import type { LipSyncModel } from '../lipsync-model.js';
import {
  type GateMemory,
  gateMouth,
  LipSyncNetwork,
  NETWORK_OUTPUTS,
  SILENCE_CONTEXT,
  SILENCE_GATE,
} from '../lipsync-network.js';
import { SILENT_OUTPUTS, smoothMouth, smoothReach } from '../lipsync-smoothing.js';
import { FEATURES, HOP } from '../speech-features.js';
import type { Utterance } from './corpus.js';
import { feedLike, pearson, type StillnessFixture, stillnessFixtures } from './evaluate.js';

/** The network's outputs at every hop of a clip; `out` starts one hop early (the first frame's hop before). */
export interface StoredHops {
  hops: number;
  out: Float64Array;
  silence: Float64Array;
}

export function storeHops(pcm: Int16Array, model: LipSyncModel): StoredHops {
  const network = new LipSyncNetwork(model);
  const stream = new FeatureStream({ frameMs: 10, offsets: model.offsets });
  const silenceDims = model.offsets.flatMap((o, i) =>
    o >= SILENCE_CONTEXT[0] && o <= SILENCE_CONTEXT[1] ? [i * FEATURES] : [],
  );
  const out: number[] = [];
  const silence: number[] = [];
  const y = new Float64Array(NETWORK_OUTPUTS);
  const onHop = (hop: number, x: Float32Array) => {
    if (hop === 0) {
      network.evaluate(stream.previous(), y);
      out.push(...y);
    }
    network.evaluate(x, y);
    out.push(...y);
    let loudest = 0;
    for (const i of silenceDims) loudest = Math.max(loudest, x[i]!);
    silence.push(Math.min(1, loudest / SILENCE_GATE));
  };
  const hops = Math.ceil(pcm.length / HOP);
  stream.push(pcm, onHop);
  // Past the audio's end too (silence), for smoothed replays: their last frames mix later hops.
  stream.flush(onHop, hops + STORED_PAST_END);
  return { hops, out: Float64Array.from(out), silence: Float64Array.from(silence) };
}

/** Hops stored past the audio's end: covers any smoother within MAX_LOOKAHEAD_MS. */
const STORED_PAST_END = 12;

/** jawOpen per `frameMs` frame under `model`'s gates and jawScale, as AudioLipSync would emit it. */
export function replayJaw(stored: StoredHops, model: LipSyncModel, frameMs = 40): number[] {
  const step = frameMs / 10;
  if (model.smooth) return replaySmoothedJaw(stored, model, step);
  const memory: GateMemory = { lastSpeech: Number.NaN };
  const hop = new Float64Array(NETWORK_OUTPUTS);
  const previous = new Float64Array(NETWORK_OUTPUTS);
  const values = new Float64Array(5);
  const jaw: number[] = [];
  for (let j = 0; j < stored.hops; j += step) {
    previous.set(stored.out.subarray(j * NETWORK_OUTPUTS, (j + 1) * NETWORK_OUTPUTS));
    hop.set(stored.out.subarray((j + 1) * NETWORK_OUTPUTS, (j + 2) * NETWORK_OUTPUTS));
    gateMouth(model, stored.silence[j]!, hop, previous, memory, values);
    jaw.push(values[0]!);
  }
  return jaw;
}

/** replayJaw for a smoothed model: AudioLipSync's predictHop over stored outputs (silent hops were not run). */
function replaySmoothedJaw(stored: StoredHops, model: LipSyncModel, step: number): number[] {
  const reach = smoothReach(model.smooth);
  const outputsAt = (hop: number): ArrayLike<number> =>
    hop < 0 || stored.silence[hop] === 0
      ? SILENT_OUTPUTS
      : stored.out.subarray((hop + 1) * NETWORK_OUTPUTS, (hop + 2) * NETWORK_OUTPUTS);
  const memory: GateMemory = { lastSpeech: Number.NaN };
  const hop = new Float64Array(NETWORK_OUTPUTS);
  const previous = new Float64Array(NETWORK_OUTPUTS);
  const values = new Float64Array(5);
  const mouth = new Float64Array(5);
  const jaw: number[] = [];
  for (let centre = 0; centre < stored.hops; centre += step) {
    if (centre + reach >= stored.silence.length)
      throw new RangeError('smoother reaches past the stored hops');
    smoothMouth(model.smooth!, centre, outputsAt, mouth);
    previous.set(outputsAt(centre));
    hop.set(outputsAt(centre + 2));
    gateMouth(model, stored.silence[centre]!, hop, previous, memory, values, undefined, mouth);
    jaw.push(values[0]!);
  }
  return jaw;
}

export interface GateSet {
  clips: { stored: StoredHops; truth: number[]; closures: number[] }[];
  fixtures: { stored: StoredHops; kind: StillnessFixture['kind']; fromFrame: number }[];
}

/** Stores `utterances` (40 ms truth, fed like evaluate.ts's scoreLipSync) and the stillness fixtures of `leads`. */
export function gateSet(
  utterances: readonly Utterance[],
  leads: readonly Int16Array[],
  seed: number,
  model: LipSyncModel,
  closurePhonemes: ReadonlySet<string>,
): GateSet {
  return {
    clips: utterances.map((u, i) => ({
      stored: storeHops(feedLike(u, i), model),
      truth: u.truth.map((f) => f.jawOpen),
      closures: u.phonemes
        .filter((p) => closurePhonemes.has(p.phoneme))
        .map((p) => Math.round((p.startMs + p.endMs) / 2 / 40)),
    })),
    fixtures: leads.flatMap((pcm, i) =>
      stillnessFixtures(pcm, seed + i).map((f) => ({
        stored: storeHops(f.pcm, model),
        kind: f.kind,
        fromFrame: f.fromFrame,
      })),
    ),
  };
}

export interface GateScore {
  corr: number;
  mbpClosed: number;
  burstMaxJaw: number;
  musicMaxJaw: number;
  silenceMaxJaw: number;
}

/** The figures scoreLipSync and scoreStillness would give `model` on the stored set. */
export function scoreGates(set: GateSet, model: LipSyncModel): GateScore {
  let corr = 0;
  let closed = 0;
  let closures = 0;
  for (const c of set.clips) {
    const jaw = replayJaw(c.stored, model);
    corr += pearson(jaw, c.truth);
    for (const f of c.closures) {
      if (jaw[f] === undefined) continue;
      closures++;
      if (jaw[f] < 0.1) closed++;
    }
  }
  const max = { burst: 0, music: 0, silence: 0 };
  for (const f of set.fixtures) {
    for (const v of replayJaw(f.stored, model).slice(f.fromFrame)) max[f.kind] = Math.max(max[f.kind], v);
  }
  return {
    corr: corr / set.clips.length,
    mbpClosed: closures ? closed / closures : 0,
    burstMaxJaw: max.burst,
    musicMaxJaw: max.music,
    silenceMaxJaw: max.silence,
  };
}

/**
 * Ratio of the truth's jawOpen spread to the gated prediction's, 1–2.5: restores what least squares (and a jaw
 * power above 1) shrinks.
 */
export function jawSpread(set: GateSet, model: LipSyncModel): number {
  const sd = (xs: number[]) => {
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
  };
  const pred: number[] = [];
  const truth: number[] = [];
  for (const c of set.clips) {
    const jaw = replayJaw(c.stored, { ...model, jawScale: 1 });
    const n = Math.min(jaw.length, c.truth.length);
    pred.push(...jaw.slice(0, n));
    truth.push(...c.truth.slice(0, n));
  }
  return Number(Math.min(2.5, Math.max(1, sd(truth) / sd(pred))).toFixed(2));
}
