export type { MouthKeyframe, MouthParams } from './animation/params.js';
// Audio: PCM16 helpers, WAV files, streaming resampler (any rate → 16 kHz).
export * from './audio/pcm.js';
export * from './audio/resample.js';
export * from './audio/wav.js';
export { AudioLipSync, type AudioLipSyncOptions, MAX_LOOKAHEAD_MS } from './lipsync/audio-lipsync.js';
export type { LipSyncModel } from './lipsync/lipsync-model.js';
// Lip-sync: from TTS phonemes, and streaming from audio alone.
export { FRAME_MS as LIPSYNC_FRAME_MS, keyframesFromPhonemes } from './lipsync/phoneme-lipsync.js';
export { FliteTTS, type FliteVoice, fliteVoices, loadFliteModule, synthesizeWithFlite } from './tts/flite.js';
// Text to speech: the TTS contract and the embedded Flite voices.
export * from './tts/tts.js';
