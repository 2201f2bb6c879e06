/**
 * @module Test double for the Animator contract: eases the mouth towards its target, with a faster return on
 * interrupt. No blinks or head motion; the real animator lives in animation/.
 */
import { type FaceParams, type MouthParams, restFace, restMouth } from '../../animation/params.js';
import type { Animator } from '../ports.js';

const keys = Object.keys(restMouth) as (keyof MouthParams)[];

export function createEasingTestAnimator(options: { ease?: number; interruptEase?: number } = {}): Animator {
  const ease = options.ease ?? 0.6;
  const interruptEase = options.interruptEase ?? 0.75;
  let current: MouthParams = { ...restMouth };
  let interrupted = false;
  return {
    next(_ptsMs: number, mouth: MouthParams | undefined): FaceParams {
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
