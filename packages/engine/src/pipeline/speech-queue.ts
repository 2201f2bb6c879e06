/** @module The speech queue: segments of 16 kHz audio cut into 40 ms frames, played in order, bounded. */

import { PCM_RATE } from '@agenthuman/media';
import { WS_MAX_QUEUED_SECONDS } from '@agenthuman/protocol';
import type { MouthKeyframe, MouthParams } from '../animation/params.js';
import { LiveError } from './live-error.js';
import { FRAME_MS, SAMPLES_PER_FRAME } from './media-clock.js';

/** The one bound on speech waiting to play, the WebSocket protocol's (a client sees QUEUE_FULL past it). */
export const MAX_QUEUED_AUDIO_MS = WS_MAX_QUEUED_SECONDS * 1000;

/** One video frame's worth of speech, ready to play. */
export interface SpeechFrame {
  segmentId: string;
  /** Frame number inside its segment (0 = the segment's first 40 ms). */
  index: number;
  pcm: Int16Array;
  /** The lip-sync target for this frame, when lip-sync or TTS phonemes have produced it. */
  mouth: MouthParams | undefined;
  /** When the audio of this frame entered the pipeline, if it arrived with nothing queued ahead of it. */
  arrivedAt: number | undefined;
  /** When its last sample reached the queue (given to enqueue), for the latency breakdown. */
  completeAt?: number;
}

interface Segment {
  id: string;
  frames: SpeechFrame[];
  partial: Int16Array;
  partialLength: number;
  partialArrivedAt: number | undefined;
  /** Frames cut so far, played or not: the index of the next one. */
  cut: number;
  ended: boolean;
  mouths: Map<number, MouthParams>;
}

export interface SpeechQueueOptions {
  maxQueuedMs?: number;
}

/**
 * Cutting on arrival keeps play-out a pointer move per tick and lets mouth keyframes attach to the frame they
 * describe by index, so lip-sync can run as audio arrives (up to its one frame of look-ahead) instead of on the
 * tick, which keeps the mouth on time.
 */
export class SpeechQueue {
  readonly maxQueuedSamples: number;
  #segments: Segment[] = [];
  #queuedSamples = 0;

  constructor(options: SpeechQueueOptions = {}) {
    this.maxQueuedSamples = Math.round(((options.maxQueuedMs ?? MAX_QUEUED_AUDIO_MS) * PCM_RATE) / 1000);
  }

  get queuedSamples(): number {
    return this.#queuedSamples;
  }

  get queuedMs(): number {
    return (this.#queuedSamples * 1000) / PCM_RATE;
  }

  get isEmpty(): boolean {
    return this.#queuedSamples === 0;
  }

  /** The segment the next frame comes from, if any audio or an open segment is queued. */
  get headSegmentId(): string | undefined {
    return this.#segments[0]?.id;
  }

  /** Whole frames of the head segment ready to play, and whether it has ended (no more audio comes). */
  get ready(): { frames: number; ended: boolean } {
    const head = this.#segments[0];
    return { frames: head?.frames.length ?? 0, ended: head?.ended === true };
  }

  /** True when the head segment was ended and all of its audio has been played. */
  get headSegmentDone(): boolean {
    const head = this.#segments[0];
    return head?.ended === true && head.frames.length === 0 && head.partialLength === 0;
  }

  /** Throws QUEUE_FULL when `samples` more would pass the bound: the one queue-full check of live media. */
  assertRoom(samples: number, alsoWaiting = 0): void {
    const queued = this.#queuedSamples + alsoWaiting;
    if (queued + samples <= this.maxQueuedSamples) return;
    const limitS = this.maxQueuedSamples / PCM_RATE;
    throw new LiveError(
      'QUEUE_FULL',
      `Speech queue is full: ${(queued / PCM_RATE).toFixed(1)} s queued; at most ${limitS} s may wait to play`,
    );
  }

  /** Appends audio to a segment (opening it if new); rejects the whole chunk if the bound would be passed. */
  enqueue(segmentId: string, pcm: Int16Array, arrivedAt?: number, now?: number): void {
    if (pcm.length === 0) throw new LiveError('EMPTY_AUDIO', 'audio chunk is empty');
    this.assertRoom(pcm.length);
    const segment = this.#openSegment(segmentId);
    this.#queuedSamples += pcm.length;
    let offset = 0;
    if (segment.partialLength > 0) {
      const take = Math.min(SAMPLES_PER_FRAME - segment.partialLength, pcm.length);
      segment.partial.set(pcm.subarray(0, take), segment.partialLength);
      segment.partialLength += take;
      offset = take;
      if (segment.partialLength === SAMPLES_PER_FRAME) this.#cutPartial(segment, now);
    }
    // Full frames are views of one copy of the chunk: the caller may reuse its buffer.
    const whole = Math.floor((pcm.length - offset) / SAMPLES_PER_FRAME) * SAMPLES_PER_FRAME;
    if (whole > 0) {
      const copy = pcm.slice(offset, offset + whole);
      for (let at = 0; at < whole; at += SAMPLES_PER_FRAME) {
        this.#pushFrame(segment, copy.subarray(at, at + SAMPLES_PER_FRAME), arrivedAt, now);
      }
      offset += whole;
    }
    if (offset < pcm.length) {
      if (segment.partialLength === 0) segment.partialArrivedAt = arrivedAt;
      segment.partial.set(pcm.subarray(offset), segment.partialLength);
      segment.partialLength += pcm.length - offset;
    }
  }

  /** Attaches mouth keyframes (pts relative to the segment start) to the frames they describe. */
  setMouth(segmentId: string, keyframes: readonly MouthKeyframe[]): void {
    const segment = this.#segments.find((s) => s.id === segmentId);
    if (!segment) return;
    for (const { ptsMs, ...mouth } of keyframes) {
      const index = Math.round(ptsMs / FRAME_MS);
      segment.mouths.set(index, mouth);
    }
  }

  /** The keyframe of a frame already shifted, if it has arrived since (lip-sync on another thread). */
  takeMouth(segmentId: string, index: number): MouthParams | undefined {
    const segment = this.#segments.find((s) => s.id === segmentId);
    const mouth = segment?.mouths.get(index);
    segment?.mouths.delete(index);
    return mouth;
  }

  /** Marks that no more audio follows for the segment; a trailing part-frame is padded with silence. */
  endSegment(segmentId: string): void {
    const segment = this.#segments.find((s) => s.id === segmentId && !s.ended);
    if (!segment) return;
    segment.ended = true;
    if (segment.partialLength > 0) this.#padPartial(segment);
    if (segment.frames.length === 0 && this.#segments[0] !== segment)
      this.#segments.splice(this.#segments.indexOf(segment), 1);
  }

  /**
   * The next frame to play, or undefined when none is ready. `flushPartial` pads a trailing part-frame of an open
   * segment with silence (the caller decides when waiting for more audio has lasted long enough).
   */
  shift(options: { flushPartial?: boolean } = {}): SpeechFrame | undefined {
    for (;;) {
      const head = this.#segments[0];
      if (!head) return undefined;
      if (head.frames.length === 0 && options.flushPartial && head.partialLength > 0) this.#padPartial(head);
      const frame = head.frames.shift();
      if (frame) {
        this.#queuedSamples -= Math.min(SAMPLES_PER_FRAME, this.#queuedSamples);
        frame.mouth = head.mouths.get(frame.index);
        head.mouths.delete(frame.index);
        return frame;
      }
      // An ended, drained segment gives way to the next one; an open one keeps the head until it ends.
      if (!head.ended || this.#segments.length === 1) return undefined;
      this.#segments.shift();
    }
  }

  /** Drops the finished head segment once its end has been observed. */
  dropDoneHead(): void {
    if (this.headSegmentDone) this.#segments.shift();
  }

  /** Drops everything queued; returns the number of samples dropped. */
  clear(): number {
    const dropped = this.#queuedSamples;
    this.#segments = [];
    this.#queuedSamples = 0;
    return dropped;
  }

  #openSegment(segmentId: string): Segment {
    const last = this.#segments.at(-1);
    if (last && last.id === segmentId && !last.ended) return last;
    const segment: Segment = {
      id: segmentId,
      frames: [],
      partial: new Int16Array(SAMPLES_PER_FRAME),
      partialLength: 0,
      partialArrivedAt: undefined,
      cut: 0,
      ended: false,
      mouths: new Map(),
    };
    this.#segments.push(segment);
    return segment;
  }

  #pushFrame(segment: Segment, pcm: Int16Array, arrivedAt: number | undefined, completeAt?: number): void {
    const index = segment.cut++;
    segment.frames.push({ segmentId: segment.id, index, pcm, mouth: undefined, arrivedAt, completeAt });
  }

  #cutPartial(segment: Segment, completeAt?: number): void {
    this.#pushFrame(segment, segment.partial, segment.partialArrivedAt, completeAt);
    segment.partial = new Int16Array(SAMPLES_PER_FRAME);
    segment.partialLength = 0;
  }

  // Padding counts the silence as queued audio so the bookkeeping in shift() stays one frame per frame.
  #padPartial(segment: Segment): void {
    this.#queuedSamples += SAMPLES_PER_FRAME - segment.partialLength;
    segment.partialLength = SAMPLES_PER_FRAME;
    this.#cutPartial(segment);
  }
}
