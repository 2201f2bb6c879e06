// @agenthuman/engine/pipeline: the session pipeline (speech queue → lip-sync → animator → render → sinks).
export * from './frames.js';
export * from './live-defaults.js';
export * from './live-error.js';
export * from './media-clock.js';
export * from './ports.js';
export * from './processor.js';
export * from './session-pipeline.js';
export type { SpeakingStarted, SpeakingStopped } from './speech-processor.js';
export {
  MAX_QUEUED_AUDIO_MS,
  type SpeechFrame,
  SpeechQueue,
  type SpeechQueueOptions,
} from './speech-queue.js';
