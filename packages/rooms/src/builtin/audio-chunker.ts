import { StreamingResampler } from '@agenthuman/media';

export interface TimedChunk {
  samples: Int16Array;
  ptsMs: number;
}

/** Two pushes further apart than this are separate segments: the leftover of the first is padded, not joined. */
const CONTIGUOUS_TOLERANCE_MS = 15;

/**
 * Turns PCM pushed in any chunk size and any rate into 10 ms chunks at the room's rate, each stamped with its
 * own media-clock time. A tail shorter than 10 ms waits for the next push if that push continues it.
 */
export class AudioChunker {
  private readonly chunkSamples: number;
  /** Only for pushes at another rate than the room's (the pipeline's audio arrives at the room's rate). */
  private resampler: StreamingResampler | null = null;
  private pending = new Int16Array(0);
  private pendingPts = 0;

  constructor(readonly outRate: number) {
    this.chunkSamples = outRate / 100;
  }

  push(samples: Int16Array, sampleRate: number, ptsMs: number): TimedChunk[] {
    if (!Number.isInteger(sampleRate) || sampleRate < 8000 || sampleRate > 48000) {
      throw new RangeError(`audio sample rate must be 8000–48000 Hz, got ${sampleRate}`);
    }
    let converted = samples;
    if (sampleRate !== this.outRate) {
      if (this.resampler?.inRate !== sampleRate)
        this.resampler = new StreamingResampler(sampleRate, this.outRate);
      converted = this.resampler.push(samples);
    }
    const out: TimedChunk[] = [];
    const pendingEnd = this.pendingPts + (this.pending.length * 1000) / this.outRate;
    if (this.pending.length > 0 && Math.abs(ptsMs - pendingEnd) > CONTIGUOUS_TOLERANCE_MS)
      out.push(...this.flush());
    if (this.pending.length === 0) this.pendingPts = ptsMs;
    const joined = new Int16Array(this.pending.length + converted.length);
    joined.set(this.pending);
    joined.set(converted, this.pending.length);
    let offset = 0;
    while (joined.length - offset >= this.chunkSamples) {
      out.push({
        samples: joined.slice(offset, offset + this.chunkSamples),
        ptsMs: this.pendingPts + (offset * 1000) / this.outRate,
      });
      offset += this.chunkSamples;
    }
    this.pendingPts += (offset * 1000) / this.outRate;
    this.pending = joined.slice(offset);
    return out;
  }

  /** The leftover tail, padded with silence to a whole chunk. */
  flush(): TimedChunk[] {
    if (this.pending.length === 0) return [];
    const samples = new Int16Array(this.chunkSamples);
    samples.set(this.pending);
    const chunk = { samples, ptsMs: this.pendingPts };
    this.pending = new Int16Array(0);
    return [chunk];
  }
}
