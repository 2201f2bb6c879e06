// @agenthuman/engine/live: the live avatar, the one owner of a session's media (entrance → pipeline → sinks).

export { isLiveError, LiveError, type LiveErrorCode } from '../pipeline/live-error.js';
export type { AudioChunk, AudioSink, IdleState, PipelineAnimator, VideoSink } from '../pipeline/ports.js';
export { chargeTurn, nextTurn, turnBudgetLeft } from '../pipeline/turn-budget.js';
export type { VideoFrame } from '../render/renderer.js';
export { type WarmupReport, warmPublicAvatars } from './avatar-warmup.js';
export { audioLipSyncSpec } from './lipsync-spec.js';
export {
  type Accepted,
  type AudioOptions,
  type AvatarInput,
  type AvatarOutput,
  LiveAvatar,
  type LiveAvatarEvents,
  type LiveAvatarOptions,
  type Queued,
  type SegmentPlayed,
  type SegmentStarted,
  type SpeakOptions,
} from './live-avatar.js';
export {
  type AvatarRenderer,
  avatarSeed,
  publicAvatarRenderer,
  storedAvatarRenderer,
} from './renderer-spec.js';
