export {
  type AgentState,
  publishAgentState,
  publishTranscription,
  TRANSCRIPTION_ATTRIBUTES,
  TRANSCRIPTION_TOPIC,
} from './agent-presence.js';
export {
  AUDIO_STREAM_TOPIC,
  AudioStreamSource,
  type AvatarSpeechInput,
  type StreamRejected,
  type StreamRejectReason,
} from './audio-stream-source.js';
export { type JoinOptions, joinLiveAvatar, type LiveAvatarPorts } from './join-live-avatar.js';
export {
  AGENT_STATE_ATTRIBUTE,
  type AvatarState,
  type FrameSize,
  LiveKitAvatar,
  type LiveKitAvatarEvents,
  type LiveKitAvatarOptions,
  LiveKitJoinError,
  type LiveKitLeaveReason,
  PUBLISH_ON_BEHALF_ATTRIBUTE,
  RPC_CLEAR_BUFFER,
  SESSION_STATE_TOPIC,
} from './livekit-avatar.js';
export { LiveKitAudioSink, LiveKitVideoSink } from './media-sinks.js';
export { PcmStreamDecoder } from './pcm-stream-decoder.js';
export { RPC_PLAYBACK_FINISHED, RPC_PLAYBACK_STARTED } from './playback-reports.js';
export type { PlaybackFinished } from './playback-tracker.js';
export { type AvatarPublishTuning, publishAvatarTracks, setAvatarPublishTuning } from './publish-tracks.js';
export { LISTEN_SAMPLE_RATE, LiveKitRoomListener, type RoomListenerEvents } from './room-listener.js';
export { keepRtcLogCapture, stopRtcLogCapture } from './rtc-log-capture.js';
export {
  startVideoCaptureThread,
  useVideoCaptureThread,
  videoCaptureThreadId,
} from './video-capture-thread.js';
