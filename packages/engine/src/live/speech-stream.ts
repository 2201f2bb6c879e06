/**
 * @module Streamed audio at any rate → PCM_RATE for the pipeline, with exact confirmations. One
 * resampler runs across consecutive chunks of the same rate (so chunk edges leave no clicks); a chunk is
 * confirmed with the samples it adds at 16 kHz, `resampledLength(total after) − resampledLength(total before)`,
 * so the confirmations of a stream add up to exactly the samples that play. The resampler's tail (a few ms it
 * holds back for its filter) is flushed when the rate changes or the stream pauses.
 */
import { PCM_RATE, resampledLength, StreamingResampler } from '@agenthuman/media';

/** A stream paused this long has its resampler tail flushed (well inside the pipeline's 200 ms hang-over). */
const FLUSH_AFTER_MS = 60;

export class SpeechStream {
  #resampler: StreamingResampler | undefined;
  #inputSamples = 0;
  #flushTimer: NodeJS.Timeout | undefined;

  /** `play` receives the 16 kHz audio as it becomes ready (now, or at a later flush). */
  constructor(private readonly play: (pcm: Int16Array) => void) {}

  /** 16 kHz samples this chunk will add once everything is flushed. */
  static confirmedSamples(
    current: { rate: number; inputSamples: number } | undefined,
    n: number,
    rate: number,
  ) {
    if (rate === PCM_RATE) return n;
    const before = current && current.rate === rate ? current.inputSamples : 0;
    return resampledLength(before + n, rate) - resampledLength(before, rate);
  }

  /** What a chunk of `n` samples at `rate` adds at 16 kHz, without pushing it. */
  samplesFor(n: number, rate: number): number {
    const current = this.#resampler && { rate: this.#resampler.inRate, inputSamples: this.#inputSamples };
    return SpeechStream.confirmedSamples(current, n, rate);
  }

  push(pcm: Int16Array, rate: number): number {
    const samples = this.samplesFor(pcm.length, rate);
    if (this.#resampler && this.#resampler.inRate !== rate) this.flush();
    if (rate === PCM_RATE) {
      this.play(pcm);
      return samples;
    }
    this.#resampler ??= new StreamingResampler(rate, PCM_RATE);
    this.#inputSamples += pcm.length;
    const out = this.#resampler.push(pcm);
    if (out.length > 0) this.play(out);
    clearTimeout(this.#flushTimer);
    this.#flushTimer = setTimeout(() => this.flush(), FLUSH_AFTER_MS);
    return samples;
  }

  flush(): void {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    const resampler = this.#resampler;
    this.#resampler = undefined;
    this.#inputSamples = 0;
    if (!resampler) return;
    const tail = resampler.flush();
    if (tail.length > 0) this.play(tail);
  }

  /** Interrupt: whatever the resampler holds is dropped, not played. */
  reset(): void {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    this.#resampler = undefined;
    this.#inputSamples = 0;
  }
}
