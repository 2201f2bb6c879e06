// Audio path: streaming 16 kHz PCM → mouth keyframes per video frame, from speech features (not loudness
// alone) over 200 ms of past context, with at most 80 ms of look-ahead (MAX_LOOKAHEAD_MS). Used when the API receives raw audio
// without text. Two extra outputs of the network gate the mouth: speech-likeness (noise bursts and music leave
// it at rest) and lip closure (m, b, p shut the lips); the network and its gates live in lipsync-network.ts, the
// optional centred smoothing of its outputs (the committed model's: 72.5 ms look-ahead) in lipsync-smoothing.ts.
import type { MouthKeyframe } from '../animation/params.js';
import { FeatureStream } from './feature-stream.js';
import { fittedLipSyncModel } from './fitted-model.js';
import type { LipSyncModel } from './lipsync-model.js';
import {
  type GateMemory,
  gateMouth,
  LipSyncNetwork,
  NETWORK_OUTPUTS,
  SILENCE_CONTEXT,
  SILENCE_GATE,
} from './lipsync-network.js';
import { SILENT_OUTPUTS, smoothMouth, smoothReach } from './lipsync-smoothing.js';
import { FEATURES } from './speech-features.js';

/** Hops of network outputs a smoothed model keeps (its reach both sides and the gates' hop, with room). */
const OUTPUT_RING = 16;

/**
 * The live pipeline's early tick waits for two whole frames (80 ms) of a reply's audio (speech-processor.ts), and a
 * frame's keyframe for three frames past its own (lip-sync-processor.ts): a model needing more would hold frames.
 */
export const MAX_LOOKAHEAD_MS = 80;

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
  private readonly network: LipSyncNetwork;
  private readonly hop = new Float64Array(NETWORK_OUTPUTS);
  private readonly previousHop = new Float64Array(NETWORK_OUTPUTS);
  private readonly values = new Float64Array(5);
  private readonly memory: GateMemory = { lastSpeech: Number.NaN };
  private readonly silenceDims: number[];
  /** Smoothed models: hops past the frame's own that a frame mixes; frames (in hops); outputs and silence per hop. */
  private readonly reach: number;
  private readonly hopsPerFrame: number;
  private readonly ring: Float64Array;
  private readonly ringSilence = new Float64Array(OUTPUT_RING);
  private readonly mouth = new Float64Array(5);
  private readonly emit: (frame: number, vector: Float32Array) => void;

  constructor(options: AudioLipSyncOptions = {}) {
    this.model = options.model ?? fittedLipSyncModel;
    this.frameMs = options.frameMs ?? 40;
    this.startPts = options.startPtsMs ?? 0;
    this.reach = smoothReach(this.model.smooth);
    this.hopsPerFrame = this.frameMs / 10;
    this.ring = new Float64Array(this.reach ? OUTPUT_RING * NETWORK_OUTPUTS : 0);
    // A smoothed model reads the stream hop by hop (frames are assembled from the hops' outputs).
    this.stream = new FeatureStream({ frameMs: this.reach ? 10 : this.frameMs, offsets: this.model.offsets });
    this.emit = this.reach
      ? (hop, vector) => this.predictHop(hop, vector)
      : (frame, vector) => this.predict(frame, vector);
    this.lookAheadMs = this.stream.lookAheadMs + 10 * this.reach;
    this.network = new LipSyncNetwork(this.model);
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
    // A smoothed model's last frame needs hops past the audio's end (silence).
    if (this.reach) this.stream.flush(this.emit, frames && (frames - 1) * this.hopsPerFrame + this.reach + 1);
    else this.stream.flush(this.emit);
    this.startPts += frames * this.frameMs;
    this.memory.lastSpeech = Number.NaN;
    this.memory.lastShut = undefined;
    return this.out;
  }

  /** Interrupt: drops buffered audio; the next frame is at `startPtsMs`. */
  reset(startPtsMs = 0): void {
    this.stream.reset();
    this.startPts = startPtsMs;
    this.memory.lastSpeech = Number.NaN;
    this.memory.lastShut = undefined;
  }

  /** Near silence (more than 45 dB under the speaker's level over the context) the mouth fades toward rest. */
  private silence(x: Float32Array): number {
    let loudest = 0;
    for (const i of this.silenceDims) loudest = Math.max(loudest, x[i]!);
    return Math.min(1, loudest / SILENCE_GATE);
  }

  private predict(frame: number, x: Float32Array): void {
    const silence = this.silence(x);
    if (silence > 0) {
      this.network.evaluate(x, this.hop);
      this.network.evaluate(this.stream.previous(), this.previousHop);
    }
    const closure = gateMouth(this.model, silence, this.hop, this.previousHop, this.memory, this.values);
    this.emitFrame(frame, this.values, closure);
  }

  /**
   * Smoothed models: runs the network at every second hop of the frames' parity (every hop when a frame is an odd
   * number of hops), then emits the frame whose last mixed hop this is.
   */
  private predictHop(hop: number, x: Float32Array): void {
    const slot = hop % OUTPUT_RING;
    this.ringSilence[slot] = this.silence(x);
    if ((this.hopsPerFrame % 2 === 1 || hop % 2 === 0) && this.ringSilence[slot] > 0) {
      this.network.evaluate(x, this.hop);
      this.ring.set(this.hop, slot * NETWORK_OUTPUTS);
    } else this.ring.set(SILENT_OUTPUTS, slot * NETWORK_OUTPUTS);
    const centre = hop - this.reach;
    if (centre < 0 || centre % this.hopsPerFrame !== 0) return;
    smoothMouth(this.model.smooth!, centre, this.outputsAt, this.mouth);
    this.previousHop.set(this.outputsAt(centre));
    this.hop.set(this.outputsAt(centre + 2));
    const silence = this.ringSilence[centre % OUTPUT_RING]!;
    const closure = gateMouth(
      this.model,
      silence,
      this.hop,
      this.previousHop,
      this.memory,
      this.values,
      undefined,
      this.mouth,
    );
    this.emitFrame(centre / this.hopsPerFrame, this.values, closure);
  }

  /** A smoothed model's outputs at `hop` (kept in the ring; before the segment: silent). */
  private readonly outputsAt = (hop: number): ArrayLike<number> =>
    hop < 0
      ? SILENT_OUTPUTS
      : this.ring.subarray(
          (hop % OUTPUT_RING) * NETWORK_OUTPUTS,
          ((hop % OUTPUT_RING) + 1) * NETWORK_OUTPUTS,
        );

  private emitFrame(frame: number, values: ArrayLike<number>, closure: number): void {
    this.out.push({
      ptsMs: this.startPts + frame * this.frameMs,
      jawOpen: values[0]!,
      mouthWidth: values[1]!,
      mouthRound: values[2]!,
      upperLip: values[3]!,
      lowerLip: values[4]!,
      ...(closure > 0 ? { closure } : {}),
    });
  }
}
