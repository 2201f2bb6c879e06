/** @module Runs streaming lip-sync on audio as it arrives, ahead of play-out, and passes everything on. */
import type { MouthKeyframe } from '../animation/params.js';
import type { Frame } from './frames.js';
import type { LipSync } from './ports.js';
import { FrameProcessor } from './processor.js';

/**
 * Audio longer than this (160 ms at 16 kHz) is analysed a slice per turn of the event loop. Analysis costs
 * ~21 ms per second of audio; a TTS sentence or a one-second chunk analysed at once would hold every session's
 * clock in this process for that long.
 */
const SLICE_SAMPLES = 2_560;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Analysing on arrival rather than on the tick means a frame's keyframe is usually ready before the frame plays,
 * so lip-sync's look-ahead adds no delay to the picture. Segments that bring their own keyframes (TTS phonemes)
 * skip analysis. Keyframes leave after the audio they describe, so the speech queue always knows the segment.
 */
export class LipSyncProcessor extends FrameProcessor {
  readonly name = 'lip-sync';
  readonly #lipSync: LipSync | undefined;
  #segmentId: string | undefined;
  #analyse = false;
  /** Bumped by interrupts and ends, so a sliced analysis in progress stops. */
  #generation = 0;

  constructor(lipSync: LipSync | undefined) {
    super();
    this.#lipSync = lipSync;
  }

  protected process(frame: Frame): void | Promise<void> {
    switch (frame.kind) {
      case 'segment-start':
        this.#finishSegment();
        this.#segmentId = frame.segmentId;
        this.#analyse = !frame.hasMouth && this.#lipSync !== undefined;
        this.#lipSync?.reset();
        this.emit(frame);
        return;
      case 'audio':
        this.emit(frame);
        if (!this.#analyse || frame.segmentId !== this.#segmentId) return;
        if (frame.pcm.length <= SLICE_SAMPLES) {
          this.#emitMouth(this.#lipSync!.push(frame.pcm));
          return;
        }
        // Later frames wait (in order) until the last slice is analysed.
        return this.#analyseSliced(frame.pcm);
      case 'segment-end':
        if (frame.segmentId === this.#segmentId) this.#finishSegment();
        this.emit(frame);
        return;
      default:
        this.emit(frame);
    }
  }

  protected override onSystem(): void {
    this.#generation++;
    this.#segmentId = undefined;
    this.#analyse = false;
    this.#lipSync?.reset();
  }

  async #analyseSliced(pcm: Int16Array): Promise<void> {
    const generation = this.#generation;
    for (let at = 0; at < pcm.length; at += SLICE_SAMPLES) {
      if (at > 0) {
        await nextTurn();
        if (generation !== this.#generation) return;
      }
      this.#emitMouth(this.#lipSync!.push(pcm.subarray(at, at + SLICE_SAMPLES)));
    }
  }

  #finishSegment(): void {
    if (this.#analyse && this.#lipSync?.flush) this.#emitMouth(this.#lipSync.flush());
    this.#analyse = false;
  }

  #emitMouth(keyframes: MouthKeyframe[]): void {
    if (keyframes.length > 0 && this.#segmentId !== undefined) {
      this.emit({ kind: 'mouth', keyframes, segmentId: this.#segmentId });
    }
  }
}
