/** @module Runs streaming lip-sync on audio as it arrives, ahead of play-out, and passes everything on. */
import type { MouthKeyframe } from '../animation/params.js';
import type { Frame } from './frames.js';
import type { LipSync } from './ports.js';
import { FrameProcessor } from './processor.js';

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

  constructor(lipSync: LipSync | undefined) {
    super();
    this.#lipSync = lipSync;
  }

  protected process(frame: Frame): void {
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
        if (this.#analyse && frame.segmentId === this.#segmentId) {
          this.#emitMouth(this.#lipSync!.push(frame.pcm));
        }
        return;
      case 'segment-end':
        if (frame.segmentId === this.#segmentId) this.#finishSegment();
        this.emit(frame);
        return;
      default:
        this.emit(frame);
    }
  }

  protected override onSystem(): void {
    this.#segmentId = undefined;
    this.#analyse = false;
    this.#lipSync?.reset();
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
