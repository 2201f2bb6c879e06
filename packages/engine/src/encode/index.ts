// @agenthuman/engine/encode: ffmpeg for files (render to MP4/WebM, decode audio files).
export { decodeAudioFile } from './decode-audio-file.js';
export { EncoderThreads, type EncoderThreadsOptions, sharedEncoderThreads } from './encoder-threads.js';
export { containerOf, type VideoCodec } from './ffmpeg-args.js';
export { resolveFfmpegPath } from './ffmpeg-binary.js';
export * from './ffmpeg-encoder.js';
export { readMediaDurationMs } from './media-duration.js';
export * from './session-recorder.js';
