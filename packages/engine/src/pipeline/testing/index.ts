// @agenthuman/engine/testing: fakes for tests and benchmarks (named as fakes: no face, no real animation).
export * from './easing-test-animator.js';
export * from './recording-probe.js';
export * from './solid-colour-renderer.js';
export * from './virtual-time.js';
