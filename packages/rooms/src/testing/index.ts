// @agenthuman/rooms/testing: a Node viewer for tests (a real WebRTC peer), a synthetic test pattern source, and a
// room server on loopback.
export * from './node-viewer.js';
export * from './room-server.js';
export * from './test-pattern.js';
