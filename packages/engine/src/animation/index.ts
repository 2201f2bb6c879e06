// @agenthuman/engine/animation: the animator (blinks, breathing, head motion, gaze, idle states) and the face parameters.
export { idleStateForAgentState } from './agent-state.js';
export { type Animator, type AnimatorOptions, createAnimator } from './animator.js';
export { createIdleLoop, type IdleLoop } from './idle-loop.js';
export * from './params.js';
export { warmupPoses } from './warmup-poses.js';
