/** @module Runs streaming lip-sync on audio as it arrives, ahead of play-out, and passes everything on. */
import { performance } from 'node:perf_hooks';
import type { MouthKeyframe } from '../animation/params.js';
import type { Frame } from './frames.js';
import type { LipSync } from './ports.js';
import { FrameProcessor } from './processor.js';
import { chargeTurn, nextTurn, turnBudgetLeft } from './turn-budget.js';

/**
 * Analysis costs ~21 ms per second of audio, on the thread that runs every session's clock. So audio is analysed
 * at most 160 ms (at 16 kHz) at a time, within the one per-turn budget of live media work (turn-budget.ts).
 */
const SLICE_SAMPLES = 2_560;

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
        if (frame.pcm.length <= SLICE_SAMPLES && turnBudgetLeft()) {
          this.#analyseNow(frame.pcm);
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
      while (!turnBudgetLeft()) {
        await nextTurn();
        if (generation !== this.#generation) return;
      }
      this.#analyseNow(pcm.subarray(at, at + SLICE_SAMPLES));
    }
  }

  #analyseNow(pcm: Int16Array): void {
    const started = performance.now();
    this.#emitMouth(this.#lipSync!.push(pcm));
    chargeTurn(performance.now() - started);
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
