// @agenthuman/rooms/testing: a Node viewer for tests (a real WebRTC peer) and a synthetic test pattern source.
export * from './node-viewer.js';
export * from './test-pattern.js';
