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
  type PressGate,
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
  return replayFrames(stored, model, undefined, frameMs).jaw;
}

/**
 * The press (MouthKeyframe.closure) and jawOpen per `frameMs` frame under `model`'s gates and `pressGate`, as
 * AudioLipSync would emit them: the frame's hop and the one before, or a smoothed model's hops
 * (lipsync-smoothing.ts; silent hops were not run live, so they read as silent here too).
 */
export function replayFrames(
  stored: StoredHops,
  model: LipSyncModel,
  pressGate?: PressGate,
  frameMs = 40,
): { press: number[]; jaw: number[] } {
  const step = frameMs / 10;
  const reach = smoothReach(model.smooth);
  const storedAt = (hop: number) =>
    stored.out.subarray((hop + 1) * NETWORK_OUTPUTS, (hop + 2) * NETWORK_OUTPUTS);
  const outputsAt = (hop: number): ArrayLike<number> =>
    hop < 0 || stored.silence[hop] === 0 ? SILENT_OUTPUTS : storedAt(hop);
  const memory: GateMemory = { lastSpeech: Number.NaN };
  const hop = new Float64Array(NETWORK_OUTPUTS);
  const previous = new Float64Array(NETWORK_OUTPUTS);
  const values = new Float64Array(5);
  const mouth = new Float64Array(5);
  const out = { press: [] as number[], jaw: [] as number[] };
  for (let centre = 0; centre < stored.hops; centre += step) {
    if (reach) {
      if (centre + reach >= stored.silence.length)
        throw new RangeError('smoother reaches past the stored hops');
      smoothMouth(model.smooth!, centre, outputsAt, mouth);
      previous.set(outputsAt(centre));
      hop.set(outputsAt(centre + 2));
    } else {
      previous.set(storedAt(centre - 1));
      hop.set(storedAt(centre));
    }
    const silence = stored.silence[centre]!;
    out.press.push(
      gateMouth(model, silence, hop, previous, memory, values, pressGate, reach ? mouth : undefined),
    );
    out.jaw.push(values[0]!);
  }
  return out;
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
  /** Highest lip press (PRESS_GATE) on the burst and music fixtures. */
  fixtureMaxPress: number;
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
  let fixtureMaxPress = 0;
  for (const f of set.fixtures) {
    const { jaw, press } = replayFrames(f.stored, model);
    for (const v of jaw.slice(f.fromFrame)) max[f.kind] = Math.max(max[f.kind], v);
    if (f.kind !== 'silence') fixtureMaxPress = Math.max(fixtureMaxPress, ...press.slice(f.fromFrame));
  }
  return {
    corr: corr / set.clips.length,
    mbpClosed: closures ? closed / closures : 0,
    burstMaxJaw: max.burst,
    musicMaxJaw: max.music,
    silenceMaxJaw: max.silence,
    fixtureMaxPress,
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
