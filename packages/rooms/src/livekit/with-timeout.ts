/** @module The shared bound on a promise that may never settle, where this folder has always imported it. */
export { withTimeout } from '@agenthuman/media';
