// @agenthuman/engine/render: renderers, I420 helpers and the render worker pool that runs them off the main thread.

export * from '../workers/render-lane.js';
export * from '../workers/render-worker-pool.js';
export * from '../workers/renderer-spec.js';
export {
  type ContactSheetOptions,
  poseParams,
  renderContactSheet,
  SHEET_POSES,
  type SheetPose,
} from './contact-sheet.js';
export { createCpuRenderer } from './cpu-renderer.js';
export { cpuRendererSpec } from './cpu-renderer-spec.js';
export type { CpuRenderer, CpuRendererOptions } from './cpu-renderer-types.js';
export { i420Planes, i420Size, rgbaToI420 } from './i420.js';
export * from './renderer.js';
export { renderRestFrame } from './rest-frame.js';
