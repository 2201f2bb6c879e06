// @agenthuman/media: the media core shared by engine, rooms and agents. PCM is mono int16 at PCM_RATE inside
// agenthuman; audio at other rates goes through the one StreamingResampler.
export * from './pcm.js';
export { PCM_RATE } from './rate.js';
export { resample, resampledLength, StreamingResampler } from './resample.js';
export * from './tts.js';
export * from './wav.js';
export { withTimeout } from './with-timeout.js';
