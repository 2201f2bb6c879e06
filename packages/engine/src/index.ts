export * from './animation/params.js';
export * from './face/rig.js';
// pipeline (engine-pipeline)
export * from './pipeline/frames.js';
export * from './pipeline/media-clock.js';
export * from './pipeline/pipeline-error.js';
export * from './pipeline/ports.js';
export * from './pipeline/processor.js';
export * from './pipeline/session-pipeline.js';
export type { SpeakingStarted, SpeakingStopped } from './pipeline/speech-processor.js';
export * from './pipeline/speech-queue.js';
export * from './pipeline/testing/easing-test-animator.js';
export * from './pipeline/testing/solid-colour-renderer.js';
export * from './render/renderer.js';
export * from './workers/render-lane.js';
export * from './workers/render-worker-pool.js';
export * from './workers/renderer-spec.js';
