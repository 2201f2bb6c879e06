// Audio path: streaming 16 kHz PCM → mouth keyframes per video frame, from speech features (not loudness
// alone) over 200 ms of past context, with at most 80 ms of look-ahead (MAX_LOOKAHEAD_MS). Used when the API receives raw audio
// without text. Two extra outputs of the network gate the mouth: speech-likeness (noise bursts and music leave
// it at rest) and lip closure (m, b, p shut the lips); the network and its gates live in lipsync-network.ts.
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
import { FEATURES } from './speech-features.js';

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
  private readonly emit = (frame: number, vector: Float32Array) => this.predict(frame, vector);

  constructor(options: AudioLipSyncOptions = {}) {
    this.model = options.model ?? fittedLipSyncModel;
    this.frameMs = options.frameMs ?? 40;
    this.startPts = options.startPtsMs ?? 0;
    this.stream = new FeatureStream({ frameMs: this.frameMs, offsets: this.model.offsets });
    this.lookAheadMs = this.stream.lookAheadMs;
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
    this.stream.flush(this.emit);
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

  private predict(frame: number, x: Float32Array): void {
    // Near silence (more than 45 dB under the speaker's level over the context) the mouth fades toward rest.
    let loudest = 0;
    for (const i of this.silenceDims) loudest = Math.max(loudest, x[i]!);
    const silence = Math.min(1, loudest / SILENCE_GATE);
    if (silence > 0) {
      this.network.evaluate(x, this.hop);
      this.network.evaluate(this.stream.previous(), this.previousHop);
    }
    const closure = gateMouth(this.model, silence, this.hop, this.previousHop, this.memory, this.values);
    this.emitFrame(frame, this.values, closure);
  }

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
