/** @module Turns each tick's mouth target into full face parameters through the injected animator. */
import type { MouthParams } from '../animation/params.js';
import type { Frame, FrameTiming } from './frames.js';
import type { PipelineAnimator } from './ports.js';
import { FrameProcessor } from './processor.js';

/**
 * Runs on the clock side, once per tick: the speech processor sends the tick's audio frame, then its mouth
 * frame. A speech frame whose keyframe is not ready yet (lip-sync one frame behind live input) keeps the
 * previous target for that one frame rather than dipping towards rest.
 */
export class AnimateProcessor extends FrameProcessor {
  readonly name = 'animate';
  readonly #animator: PipelineAnimator;
  #lastMouth: MouthParams | undefined;
  #held = 0;
  #tickPts = 0;
  #audioArrivedAt: number | undefined;
  #timing: FrameTiming | undefined;

  constructor(animator: PipelineAnimator) {
    super();
    this.#animator = animator;
  }

  protected process(frame: Frame): void {
    if (frame.kind === 'audio') {
      this.#tickPts = frame.ptsMs;
      this.#audioArrivedAt = frame.arrivedAt;
      this.#timing = frame.timing;
      this.emit(frame);
      return;
    }
    if (frame.kind !== 'mouth') {
      this.emit(frame);
      return;
    }
    const mouth = this.#target(frame.keyframes[0], frame.segmentId !== undefined);
    this.emit({
      kind: 'params',
      params: this.#animator.step(this.#tickPts, mouth ?? null),
      ptsMs: this.#tickPts,
      speaking: frame.segmentId !== undefined,
      audioArrivedAt: this.#audioArrivedAt,
      ...(this.#timing ? { timing: this.#timing } : {}),
    });
    this.#audioArrivedAt = undefined;
    this.#timing = undefined;
  }

  protected override onSystem(): void {
    this.#lastMouth = undefined;
    this.#held = 0;
    this.#animator.interrupt();
  }

  #target(
    keyframe: (MouthParams & { ptsMs: number }) | undefined,
    speaking: boolean,
  ): MouthParams | undefined {
    let mouth: MouthParams | undefined;
    if (keyframe) {
      const { ptsMs: _ptsMs, ...target } = keyframe;
      mouth = target;
      this.#held = 0;
    } else if (speaking && this.#lastMouth && this.#held < 1) {
      mouth = this.#lastMouth;
      this.#held++;
    }
    this.#lastMouth = mouth;
    return mouth;
  }
}
