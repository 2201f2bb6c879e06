// Audio path: streaming 16 kHz PCM → mouth keyframes per video frame, from speech features (not loudness
// alone) over 200 ms of past context, with at most 40 ms of look-ahead. Used when the API receives raw audio
// without text. Two extra outputs of the network gate the mouth: speech-likeness (noise bursts and music leave
// it at rest) and lip closure (m, b, p shut the lips).
import { type MouthKeyframe, restMouth } from '../animation/params.js';
import { FeatureStream } from './feature-stream.js';
import { fittedLipSyncModel } from './fitted-model.js';
import type { LipSyncModel } from './lipsync-model.js';
import { FEATURES } from './speech-features.js';

export const MAX_LOOKAHEAD_MS = 40;
/** `loud` (0 at 45 dB under the running level, 1 at it) below which the output fades to rest. */
const SILENCE_GATE = 0.15;
/** Only hops this close to the frame (10 ms each) count for the silence gate: older speech is not "now". */
const SILENCE_CONTEXT = [-4, 2] as const;
const REST = [
  restMouth.jawOpen,
  restMouth.mouthWidth,
  restMouth.mouthRound,
  restMouth.upperLip,
  restMouth.lowerLip,
];

export interface AudioLipSyncOptions {
  /** Video frame period (default 40 ms = 25 fps); a multiple of 10. */
  frameMs?: number;
  /** Presentation time of the first frame. */
  startPtsMs?: number;
  model?: LipSyncModel;
}

export class AudioLipSync {
  readonly frameMs: number;
  readonly lookAheadMs: number;
  private readonly stream: FeatureStream;
  private readonly model: LipSyncModel;
  private startPts: number;
  private out: MouthKeyframe[] = [];
  private readonly z: Float64Array;
  private readonly values = new Float64Array(7);
  private readonly previousValues = new Float64Array(7);
  private readonly silenceDims: number[];
  // The model's rows flattened into typed arrays: the per-frame loops are the hot path. Each tanh layer has its
  // weights and its activations; the output rows read the last layer's (or the inputs without one).
  private readonly layers: { w: Float64Array; act: Float64Array }[];
  private readonly w2: Float64Array;
  private readonly mean: Float64Array;
  private readonly scale: Float64Array;
  private readonly emit = (frame: number, vector: Float32Array) => this.predict(frame, vector);

  constructor(options: AudioLipSyncOptions = {}) {
    this.model = options.model ?? fittedLipSyncModel;
    this.frameMs = options.frameMs ?? 40;
    this.startPts = options.startPtsMs ?? 0;
    this.stream = new FeatureStream({ frameMs: this.frameMs, offsets: this.model.offsets });
    this.lookAheadMs = this.stream.lookAheadMs;
    this.z = new Float64Array(this.stream.dims);
    const hidden = this.model.hidden ? [this.model.hidden, ...(this.model.deeper ?? [])] : [];
    this.layers = hidden.map((rows) => ({
      w: Float64Array.from(rows.flat()),
      act: new Float64Array(rows.length),
    }));
    this.w2 = Float64Array.from(this.model.weights.flat());
    this.mean = Float64Array.from(this.model.mean);
    this.scale = Float64Array.from(this.model.scale);
    this.silenceDims = this.model.offsets.flatMap((o, i) =>
      o >= SILENCE_CONTEXT[0] && o <= SILENCE_CONTEXT[1] ? [i * FEATURES] : [],
    );
    if (this.lookAheadMs > MAX_LOOKAHEAD_MS) {
      throw new RangeError(
        `model needs ${this.lookAheadMs} ms of look-ahead; the limit is ${MAX_LOOKAHEAD_MS}`,
      );
    }
    if (this.model.mean.length !== this.stream.dims) {
      throw new RangeError(
        `model expects ${this.model.mean.length} features, the stream gives ${this.stream.dims}`,
      );
    }
  }

  /** Feeds 16 kHz mono PCM; returns the keyframes that became ready (each at most `lookAheadMs` behind). */
  push(pcm16k: Int16Array | Float32Array): MouthKeyframe[] {
    this.out = [];
    this.stream.push(pcm16k, this.emit);
    return this.out;
  }

  /** Ends a speech segment: returns the frames up to the end of the audio; the next push starts a new one. */
  flush(): MouthKeyframe[] {
    this.out = [];
    const frames = Math.ceil(this.stream.samples / (this.frameMs * 16));
    this.stream.flush(this.emit);
    this.startPts += frames * this.frameMs;
    return this.out;
  }

  /** Interrupt: drops buffered audio; the next frame is at `startPtsMs`. */
  reset(startPtsMs = 0): void {
    this.stream.reset();
    this.startPts = startPtsMs;
  }

  private predict(frame: number, x: Float32Array): void {
    const { weights, gates } = this.model;
    const values = this.values;
    // Where the whole context is silence (more than 45 dB under the speaker's level) the mouth rests exactly,
    // whatever the network makes of the noise floor; near that edge it fades toward rest.
    let loudest = 0;
    for (const i of this.silenceDims) loudest = Math.max(loudest, x[i]!);
    let gate = Math.min(1, loudest / SILENCE_GATE);
    if (gate === 0) {
      this.emitFrame(frame, REST);
      return;
    }
    // The network's outputs at the frame's hop and the hop before, averaged: steadier, about 5 ms later.
    this.evaluate(x, values);
    this.evaluate(this.stream.previous(), this.previousValues);
    for (let o = 0; o < weights.length; o++) values[o] = (values[o]! + this.previousValues[o]!) / 2;
    values[0] = Math.min(1, values[0]! * (this.model.jawScale ?? 1));
    let closed = 0;
    if (gates && weights.length >= 7) {
      gate *= ramp(values[5]!, gates.speech);
      closed = ramp(values[6]!, gates.closure);
    }
    for (let o = 0; o < 5; o++) values[o] = REST[o]! + gate * (values[o]! - REST[o]!);
    // A closure shuts the lips whatever the vowel around it; width and rounding carry on (the "m" of "moon").
    values[0]! *= 1 - closed;
    values[3]! *= 1 - closed;
    values[4]! *= 1 - closed;
    this.emitFrame(frame, values);
  }

  private emitFrame(frame: number, values: ArrayLike<number>): void {
    this.out.push({
      ptsMs: this.startPts + frame * this.frameMs,
      jawOpen: values[0]!,
      mouthWidth: values[1]!,
      mouthRound: values[2]!,
      upperLip: values[3]!,
      lowerLip: values[4]!,
    });
  }

  /** The network's outputs for one stacked vector, each clamped to 0..1. */
  private evaluate(x: Float32Array, out: Float64Array): void {
    const { w2, mean, scale, z } = this;
    for (let i = 0; i < z.length; i++) z[i] = (x[i]! - mean[i]!) * scale[i]!;
    let input: Float64Array = z;
    for (const { w, act } of this.layers) {
      const d = input.length;
      for (let h = 0, row = 0; h < act.length; h++, row += d + 1) {
        let a = w[row]!;
        for (let i = 0; i < d; i++) a += w[row + 1 + i]! * input[i]!;
        act[h] = Math.tanh(a);
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

function ramp(v: number, [from, to]: readonly [number, number]): number {
  return Math.min(1, Math.max(0, (v - from) / (to - from)));
}
