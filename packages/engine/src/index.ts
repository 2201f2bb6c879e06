// The engine's public surface: audio, lip-sync, TTS, face ingest and rigs, public avatars, animation, rendering, the session pipeline.
export { idleStateForAgentState } from './animation/agent-state.js';
export { type Animator, type AnimatorOptions, createAnimator } from './animation/animator.js';
export {
  type ContactSheetOptions,
  contactSheetFrames,
  renderContactSheet,
  type SheetFrame,
} from './animation/contact-sheet.js';
export { createIdleLoop, type IdleLoop } from './animation/idle-loop.js';
export type { MouthKeyframe, MouthParams } from './animation/params.js';
export * from './animation/params.js';
export { warmupPoses } from './animation/warmup-poses.js';
export * from './audio/pcm.js';
export * from './audio/resample.js';
export * from './audio/wav.js';
export * from './avatars/index.js';
export { decodeAudioFile } from './encode/decode-audio-file.js';
export { containerOf, type VideoCodec } from './encode/ffmpeg-args.js';
export { resolveFfmpegPath } from './encode/ffmpeg-binary.js';
export * from './encode/ffmpeg-encoder.js';
export * from './face/index.js';
export * from './face/rig.js';
export { AudioLipSync, type AudioLipSyncOptions, MAX_LOOKAHEAD_MS } from './lipsync/audio-lipsync.js';
export type { LipSyncModel } from './lipsync/lipsync-model.js';
export { FRAME_MS as LIPSYNC_FRAME_MS, keyframesFromPhonemes } from './lipsync/phoneme-lipsync.js';
export * from './pipeline/frames.js';
export * from './pipeline/media-clock.js';
export * from './pipeline/pipeline-error.js';
export * from './pipeline/ports.js';
export * from './pipeline/processor.js';
export * from './pipeline/session-pipeline.js';
export type { SpeakingStarted, SpeakingStopped } from './pipeline/speech-processor.js';
export * from './pipeline/speech-queue.js';
export * from './pipeline/testing/easing-test-animator.js';
export * from './pipeline/testing/solid-colour-renderer.js';
export { type CpuRenderer, type CpuRendererOptions, createCpuRenderer } from './render/cpu-renderer.js';
export { i420Planes, i420Size, rgbaToI420 } from './render/i420.js';
export * from './render/renderer.js';
export { FliteTTS, type FliteVoice, fliteVoices, loadFliteModule, synthesizeWithFlite } from './tts/flite.js';
export * from './tts/tts.js';
export * from './workers/render-lane.js';
export * from './workers/render-worker-pool.js';
export * from './workers/renderer-spec.js';
