// The engine's public surface: audio, lip-sync, TTS, face ingest and rigs, public avatars, animation, rendering.
export { type Animator, type AnimatorOptions, createAnimator } from './animation/animator.js';
export { createIdleLoop, type IdleLoop } from './animation/idle-loop.js';
export type { MouthKeyframe, MouthParams } from './animation/params.js';
export * from './audio/pcm.js';
export * from './audio/resample.js';
export * from './audio/wav.js';
export * from './avatars/index.js';
export * from './face/index.js';
export { AudioLipSync, type AudioLipSyncOptions, MAX_LOOKAHEAD_MS } from './lipsync/audio-lipsync.js';
export type { LipSyncModel } from './lipsync/lipsync-model.js';
export { FRAME_MS as LIPSYNC_FRAME_MS, keyframesFromPhonemes } from './lipsync/phoneme-lipsync.js';
export { type CpuRenderer, type CpuRendererOptions, createCpuRenderer } from './render/cpu-renderer.js';
export { i420Planes, i420Size, rgbaToI420 } from './render/i420.js';
export { FliteTTS, type FliteVoice, fliteVoices, loadFliteModule, synthesizeWithFlite } from './tts/flite.js';
export * from './tts/tts.js';
