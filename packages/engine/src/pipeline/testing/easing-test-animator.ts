/**
 * @module Test double for the PipelineAnimator contract: eases the mouth towards its target, with a faster return on
 * interrupt. No blinks or head motion; the real animator lives in animation/.
 */
import { type FaceParams, type MouthParams, restFace, restMouth } from '../../animation/params.js';
import type { PipelineAnimator } from '../ports.js';

// The five eased shape values (closure, optional, is a press cue, not a shape).
const keys = Object.keys(restMouth) as Exclude<keyof MouthParams, 'closure'>[];

export function createEasingTestAnimator(
  options: { ease?: number; interruptEase?: number } = {},
): PipelineAnimator {
  const ease = options.ease ?? 0.6;
  const interruptEase = options.interruptEase ?? 0.75;
  let current: MouthParams = { ...restMouth };
  let interrupted = false;
  return {
    step(_ptsMs: number, mouth: MouthParams | null): FaceParams {
      if (mouth) interrupted = false;
      const target = mouth ?? restMouth;
      const k = interrupted ? interruptEase : ease;
      const nextMouth = { ...current };
      for (const key of keys) nextMouth[key] = current[key] + (target[key] - current[key]) * k;
      current = nextMouth;
      return { ...restFace, ...current };
    },
    interrupt() {
      interrupted = true;
    },
  };
}
