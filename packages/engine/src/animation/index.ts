// @agenthuman/engine/animation: the animator (blinks, breathing, head motion) and the face parameters.
export { type Animator, type AnimatorOptions, createAnimator } from './animator.js';
export { createIdleLoop, type IdleLoop } from './idle-loop.js';
export * from './params.js';
