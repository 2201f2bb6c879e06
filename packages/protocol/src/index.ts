export * from './agents.js';
export * from './avatars.js';
export * from './common.js';
export * from './errors.js';
export * from './keys.js';
export * from './legacy.js';
export * from './sessions.js';
export * from './usage.js';
