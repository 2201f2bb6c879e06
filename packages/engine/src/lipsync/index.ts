// @agenthuman/engine/lipsync: streaming audio lip-sync and phoneme visemes.
export { AudioLipSync, type AudioLipSyncOptions, MAX_LOOKAHEAD_MS } from './audio-lipsync.js';
export type { LipSyncModel } from './lipsync-model.js';
export { FRAME_MS as LIPSYNC_FRAME_MS, keyframesFromPhonemes } from './phoneme-lipsync.js';
