// The fitted network and the gates after it, shared by the live AudioLipSync and the calibration's gate search
// (which replays stored per-hop outputs under many gate settings), so both shape the mouth the same way.
import { CLOSED_JAW, FULL_PRESS_CLOSURE, restMouth } from '../animation/params.js';
import type { LipSyncModel } from './lipsync-model.js';

/** `loud` (0 at 45 dB under the running level, 1 at it) below which the output fades to rest. */
export const SILENCE_GATE = 0.15;
/** Only hops this close to the frame (10 ms each) count for the silence gate: older speech is not "now". */
export const SILENCE_CONTEXT = [-4, 2] as const;
export const REST = [
  restMouth.jawOpen,
  restMouth.mouthWidth,
  restMouth.mouthRound,
  restMouth.upperLip,
  restMouth.lowerLip,
] as const;
/** jawOpen, mouthWidth, mouthRound, upperLip, lowerLip, speech, closure. */
export const NETWORK_OUTPUTS = 7;

export class LipSyncNetwork {
  readonly outputs: number;
  // The model's rows flattened into typed arrays: evaluation is the hot path. Each tanh layer has its weights
  // and its activations; the output rows read the last layer's (or the inputs without one).
  private readonly layers: { w: Float64Array; act: Float64Array }[];
  private readonly w2: Float64Array;
  private readonly mean: Float64Array;
  private readonly scale: Float64Array;
  private readonly z: Float64Array;

  constructor(model: LipSyncModel) {
    const hidden = model.hidden ? [model.hidden, ...(model.deeper ?? [])] : [];
    this.layers = hidden.map((rows) => ({
      w: Float64Array.from(rows.flat()),
      act: new Float64Array(rows.length),
    }));
    this.w2 = Float64Array.from(model.weights.flat());
    this.mean = Float64Array.from(model.mean);
    this.scale = Float64Array.from(model.scale);
    this.z = new Float64Array(model.mean.length);
    this.outputs = model.weights.length;
  }

  /** The network's outputs for one stacked vector, each clamped to 0..1. */
  evaluate(x: ArrayLike<number>, out: Float64Array): void {
    const { w2, mean, scale, z } = this;
    for (let i = 0; i < z.length; i++) z[i] = (x[i]! - mean[i]!) * scale[i]!;
    let input: Float64Array = z;
    for (const { w, act } of this.layers) {
      const d = input.length;
      const d4 = d & ~3;
      for (let h = 0, row = 0; h < act.length; h++, row += d + 1) {
        // Four partial sums: the loop is bound by the latency of one running sum otherwise.
        let a0 = 0;
        let a1 = 0;
        let a2 = 0;
        let a3 = 0;
        const r = row + 1;
        let i = 0;
        for (; i < d4; i += 4) {
          a0 += w[r + i]! * input[i]!;
          a1 += w[r + i + 1]! * input[i + 1]!;
          a2 += w[r + i + 2]! * input[i + 2]!;
          a3 += w[r + i + 3]! * input[i + 3]!;
        }
        for (; i < d; i++) a0 += w[r + i]! * input[i]!;
        act[h] = Math.tanh(w[row]! + (a0 + a1 + (a2 + a3)));
      }
      input = act;
    }
    const n = input.length;
    for (let o = 0, row = 0; o < out.length && row < w2.length; o++, row += n + 1) {
      let y = w2[row]!;
      for (let i = 0; i < n; i++) y += w2[row + 1 + i]! * input[i]!;
      out[o] = Math.min(1, Math.max(0, y));
    }
  }
}

/**
 * How the closure output becomes the lip press: the press ramps from 0 to 1 as `closure − jaw·jawOpen` (the
 * network's hop-averaged outputs) goes from `from` to `to`. Chosen on validation by calibrate/press-gate.ts
 * (`npx tsx bench/lipsync-press-gate.ts`, rerun after a refit): the most m/b/p frames pressed while open vowels,
 * noise bursts and music stay unpressed and the shown opening's correlation with the truth holds. The network's
 * closure output also rises on n, t, k, d, g (shut tracts, open lips), which bounds how low the ramp may start.
 */
export interface PressGate {
  from: number;
  to: number;
  jaw: number;
  /** The better of the frame's two hops instead of their mean (a closure between them still counts). */
  peak?: boolean;
  /**
   * After a frame whose lips the animator shuts (a full press, or a jaw target under CLOSED_JAW: a pause or the
   * gates' rest) the ramp starts at `hold` instead of `from`: a press holds while the evidence stays above this
   * lower level. The closure output can peak a frame before the middle of the m/b/p it hears, an m after a pause
   * opens the network's jaw while the lips are still shut, and a lip closure lasts 60–120 ms, two or three frames.
   */
  hold?: number;
}
export const PRESS_GATE: PressGate = { from: 0.4, to: 0.45, jaw: 0.5, peak: true, hold: 0.375 };

/** What the gates remember between frames of a segment. */
export interface GateMemory {
  /** The speech output at the previous frame's hop; NaN after a silent frame or at a segment's start. */
  lastSpeech: number;
  /** Whether the animator shut the lips on the previous frame; absent at a segment's start. */
  lastShut?: boolean;
}

/**
 * The five mouth values of one frame into `values` from the network's outputs at the frame's hop (`hop`) and the
 * hop before (`previous`), given the silence gate (0..1; 0 = the whole context is silence). `hop` is overwritten.
 * Returns how far the lips press together (0..1, MouthParams.closure), scaled by how much the frame is speech.
 * `mouth`: the frame's five mouth values when a smoothed model mixed them from more hops than these two.
 */
export function gateMouth(
  model: LipSyncModel,
  silence: number,
  hop: Float64Array,
  previous: Float64Array,
  memory: GateMemory,
  values: Float64Array,
  pressGate: PressGate = PRESS_GATE,
  mouth?: ArrayLike<number>,
): number {
  if (silence === 0) {
    // Where the whole context is silence the mouth rests exactly, whatever the network makes of the noise floor.
    memory.lastSpeech = Number.NaN;
    memory.lastShut = false;
    values.set(REST);
    return 0;
  }
  const { weights, gates } = model;
  // The outputs at the frame's hop and the hop before, averaged: steadier, about 5 ms later.
  const hopSpeech = hop[5] ?? 0;
  const speech =
    gates?.speechFromPreviousFrame && !Number.isNaN(memory.lastSpeech)
      ? (hopSpeech + previous[5]! + memory.lastSpeech) / 3
      : (hopSpeech + (previous[5] ?? 0)) / 2;
  memory.lastSpeech = hopSpeech;
  // A smoothed model's mouth values come mixed from more hops (lipsync-smoothing.ts); the gates read these two.
  for (let o = 0; o < 5; o++) values[o] = mouth ? mouth[o]! : (hop[o]! + previous[o]!) / 2;
  values[0] = Math.min(1, values[0]! ** (model.jawPower ?? 1) * (model.jawScale ?? 1));
  let gate = silence;
  let jawGate = silence;
  let closed = 0;
  let press = 0;
  if (gates && weights.length >= NETWORK_OUTPUTS) {
    let speechGate = ramp(speech, gates.speech);
    // An unfamiliar voice's speech output can sag on open vowels; bursts and music never open the jaw that far.
    if (gates.spare) speechGate += (1 - speechGate) * ramp(values[0]!, gates.spare);
    gate *= speechGate;
    jawGate =
      gates.jawSpeech === undefined
        ? gate
        : gates.jawSpeech
          ? silence * ramp(speech, gates.jawSpeech)
          : silence;
    const closure = (hop[6]! + previous[6]!) / 2;
    closed = ramp(closure, gates.closure);
    const evidenceAt = (o: Float64Array) => o[6]! - pressGate.jaw * o[0]!;
    const evidence = pressGate.peak
      ? Math.max(evidenceAt(hop), evidenceAt(previous))
      : (evidenceAt(hop) + evidenceAt(previous)) / 2;
    press = ramp(evidence, [pressGate.from, pressGate.to]);
    if (pressGate.hold !== undefined && memory.lastShut) {
      const width = pressGate.to - pressGate.from;
      press = Math.max(press, ramp(evidence, [pressGate.hold, pressGate.hold + width]));
    }
  }
  values[0] = REST[0] + jawGate * (values[0]! - REST[0]);
  for (let o = 1; o < 5; o++) values[o] = REST[o]! + gate * (values[o]! - REST[o]!);
  // A closure shuts the lips whatever the vowel around it; width and rounding carry on (the "m" of "moon").
  values[0]! *= 1 - closed;
  values[3]! *= 1 - closed;
  values[4]! *= 1 - closed;
  memory.lastShut = press * gate >= FULL_PRESS_CLOSURE || (gate >= 0.5 && values[0]! < CLOSED_JAW);
  return press * gate;
}

function ramp(v: number, [from, to]: readonly [number, number]): number {
  return Math.min(1, Math.max(0, (v - from) / (to - from)));
}
