export * from './face/index.js';
