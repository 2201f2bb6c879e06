// Turns a 16 kHz PCM stream into one stacked feature vector per video frame, using at most
// `maxOffset·10 + 12.5` ms of audio past the frame's time (the look-ahead).
import { FEATURES, HOP, SpeechFeatures, WINDOW } from './speech-features.js';

const SAMPLES_PER_MS = 16;
const RING_HOPS = 32;

export interface FeatureStreamOptions {
  /** Video frame period; a multiple of the 10 ms hop. */
  frameMs: number;
  /** Hops (10 ms steps) around the frame time whose features are stacked, e.g. [-3, ..., 2]. */
  offsets: readonly number[];
}

export class FeatureStream {
  readonly frameMs: number;
  readonly offsets: readonly number[];
  readonly dims: number;
  /** Audio needed past a frame's time before the frame can be computed. */
  readonly lookAheadMs: number;
  private readonly hopsPerFrame: number;
  private readonly minOffset: number;
  private readonly maxOffset: number;
  private readonly features = new SpeechFeatures();
  private readonly ring = new Float32Array(RING_HOPS * FEATURES);
  private readonly vector: Float32Array;
  private readonly previousVector: Float32Array;
  private centre = 0;
  private buf = new Float32Array(8192);
  /** Absolute sample index (0 = segment start) of buf[0]. */
  private bufStart = 0;
  private bufLen = 0;
  private nextHop = 0;
  private nextFrame = 0;

  constructor(options: FeatureStreamOptions) {
    this.frameMs = options.frameMs;
    this.offsets = options.offsets;
    this.hopsPerFrame = options.frameMs / 10;
    if (!Number.isInteger(this.hopsPerFrame) || this.hopsPerFrame < 1) {
      throw new RangeError(`frameMs must be a positive multiple of 10, got ${options.frameMs}`);
    }
    // One hop before the context too, for `previous()`.
    this.minOffset = Math.min(0, ...options.offsets) - 1;
    this.maxOffset = Math.max(0, ...options.offsets);
    if (this.maxOffset - this.minOffset >= RING_HOPS) throw new RangeError('feature context too wide');
    this.dims = options.offsets.length * FEATURES;
    this.vector = new Float32Array(this.dims);
    this.previousVector = new Float32Array(this.dims);
    this.lookAheadMs = this.maxOffset * 10 + WINDOW / 2 / SAMPLES_PER_MS;
    this.reset();
  }

  /** Starts a new segment at sample 0 (the speaker's running level is kept). */
  reset(): void {
    this.features.reset();
    // Hops before the segment see silence, so the first frames have their full context.
    this.nextHop = this.minOffset;
    this.bufStart = this.minOffset * HOP - WINDOW / 2;
    this.bufLen = -this.bufStart;
    this.buf.fill(0, 0, this.bufLen);
    this.nextFrame = 0;
  }

  /** Samples pushed since the segment started. */
  get samples(): number {
    return this.bufStart + this.bufLen;
  }

  /** Feeds samples; calls `onFrame(k, vector)` for each frame that became computable (vector is reused). */
  push(pcm: Int16Array | Float32Array, onFrame: (frame: number, vector: Float32Array) => void): void {
    const scale = pcm instanceof Int16Array ? 1 / 32768 : 1;
    let at = 0;
    while (at < pcm.length) {
      this.compact();
      const room = this.buf.length - this.bufLen;
      const take = Math.min(room, pcm.length - at);
      for (let i = 0; i < take; i++) this.buf[this.bufLen + i] = pcm[at + i]! * scale;
      this.bufLen += take;
      at += take;
      this.drain(onFrame);
    }
  }

  /**
   * Ends the segment: frames up to the end of the audio (or the first `frames`) come out, silence after the audio,
   * then resets.
   */
  flush(
    onFrame: (frame: number, vector: Float32Array) => void,
    frames = Math.ceil(this.samples / (this.frameMs * SAMPLES_PER_MS)),
  ): void {
    const silence = new Float32Array(HOP * 4);
    while (this.nextFrame < frames) this.push(silence, (k, v) => k < frames && onFrame(k, v));
    this.reset();
  }

  private compact(): void {
    // Past hops live on in the feature ring; only the next hop's window is still needed as samples.
    const keepFrom = this.nextHop * HOP - WINDOW / 2;
    const drop = Math.min(this.bufLen, Math.max(0, keepFrom - this.bufStart));
    if (drop > 0 && (this.bufLen === this.buf.length || drop > this.buf.length / 2)) {
      this.buf.copyWithin(0, drop, this.bufLen);
      this.bufStart += drop;
      this.bufLen -= drop;
    }
  }

  private drain(onFrame: (frame: number, vector: Float32Array) => void): void {
    const available = this.samples;
    while (this.nextHop * HOP + WINDOW / 2 <= available) {
      const slot = ((this.nextHop % RING_HOPS) + RING_HOPS) % RING_HOPS;
      const from = this.nextHop * HOP - WINDOW / 2 - this.bufStart;
      this.features.compute(this.buf, from, this.ring, slot * FEATURES);
      const hop = this.nextHop++;
      // Frame k is centred on hop k·hopsPerFrame and needs hops up to that + maxOffset.
      const centre = hop - this.maxOffset;
      if (centre >= 0 && centre % this.hopsPerFrame === 0) {
        const frame = centre / this.hopsPerFrame;
        if (frame === this.nextFrame) {
          this.centre = centre;
          this.stack(centre, this.vector);
          this.nextFrame++;
          onFrame(frame, this.vector);
        }
      }
    }
  }

  /**
   * Inside `onFrame`: the stacked vector of the hop 10 ms before the frame's (no later audio needed; reused).
   * The first frame of a segment sees silence before it, as its context does.
   */
  previous(): Float32Array {
    this.stack(this.centre - 1, this.previousVector);
    return this.previousVector;
  }

  private stack(centre: number, vector: Float32Array): void {
    let o = 0;
    for (const offset of this.offsets) {
      const slot = (((centre + offset) % RING_HOPS) + RING_HOPS) % RING_HOPS;
      vector.set(this.ring.subarray(slot * FEATURES, slot * FEATURES + FEATURES), o);
      o += FEATURES;
    }
  }
}
