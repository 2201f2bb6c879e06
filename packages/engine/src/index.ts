export { type Animator, type AnimatorOptions, createAnimator } from './animation/animator.js';
export { createIdleLoop, type IdleLoop } from './animation/idle-loop.js';
export * from './avatars/index.js';
export * from './face/index.js';
export { type CpuRenderer, type CpuRendererOptions, createCpuRenderer } from './render/cpu-renderer.js';
export { i420Planes, i420Size, rgbaToI420 } from './render/i420.js';
