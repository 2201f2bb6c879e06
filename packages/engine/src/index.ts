// The engine's public surface, by subpath: ./animation, ./avatars, ./encode, ./face, ./lipsync, ./live,
// ./pipeline, ./render, ./tts (and ./testing for fakes). `.` gathers them all.
export * from './animation/index.js';
export * from './avatars/index.js';
export * from './encode/index.js';
export * from './face/index.js';
export * from './lipsync/index.js';
export * from './live/index.js';
export * from './pipeline/index.js';
export * from './render/index.js';
export * from './tts/index.js';
