/** @module @agenthuman/sdk: typed client for the agenthuman API. Runs in Node 20+ and browsers. */
export { AgentHuman } from './client.js';
export * from './errors.js';
export type { ClientOptions, RateLimitInfo } from './http-client.js';
export type { AudioInput, AudioInputOptions } from './live/audio-source.js';
export type * from './live/events.js';
export {
  type ConnectOptions,
  LiveSession,
  type SendAudioOptions,
  type SendAudioProgress,
  type SendAudioResult,
} from './live/live-session.js';
export { parseWavHeader, toPcm16Mono, WavError, type WavFormat } from './live/wav.js';
export type { WebSocketConstructor, WebSocketLike } from './live/websocket-like.js';
export type { UploadFaceInput } from './resources/avatars.js';
export type { WebhookHeaders } from './resources/webhooks.js';
export type { RetryPolicy } from './retry-delay.js';
export type * from './types.js';
export type { UploadProgress } from './xhr-upload.js';
