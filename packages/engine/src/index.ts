export * from './avatars/index.js';
export * from './face/index.js';
