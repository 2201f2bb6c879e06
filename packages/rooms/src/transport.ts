/**
 * The contract between a live avatar and a room it publishes to (the built-in WebRTC room today; LiveKit,
 * Daily later). A room is the engine's video and audio sink, written from the session's one media clock, plus
 * viewer events.
 */
import type { AudioSink, VideoSink } from '@agenthuman/engine/live';

export interface ViewerJoinedEvent {
  viewerId: string;
  viewers: number;
}

export type ViewerLeftReason = 'left' | 'failed' | 'disconnected' | 'room-closed';

export interface ViewerLeftEvent {
  viewerId: string;
  viewers: number;
  reason: ViewerLeftReason;
}

export interface EmptySinceEvent {
  /** `Date.now()` when the last viewer left. */
  sinceMs: number;
}

/** Microphone audio a viewer sends up (mono PCM16 at libwebrtc's decode rate, usually 48 kHz). */
export interface ViewerAudioEvent {
  viewerId: string;
  samples: Int16Array;
  sampleRate: number;
}

export interface RoomEvents {
  'viewer-joined': [ViewerJoinedEvent];
  'viewer-left': [ViewerLeftEvent];
  /** The last viewer left (only after at least one joined). */
  'empty-since': [EmptySinceEvent];
  /** The room has stayed empty for `emptyTimeoutMs` after someone joined; the server ends the session. */
  'empty-timeout': [EmptySinceEvent];
  /** A viewer whose offer sends audio (sendrecv) speaks: 10 ms chunks as libwebrtc decodes them. */
  'viewer-audio': [ViewerAudioEvent];
  closed: [];
}

export interface RoomTransport extends VideoSink, AudioSink {
  readonly name: string;
  /** Connected viewers right now. */
  readonly viewerCount: number;
  /** `Date.now()` when the room became empty after someone had joined; null while someone watches or before anyone came. */
  readonly emptySince: number | null;
  on<E extends keyof RoomEvents>(event: E, listener: (...args: RoomEvents[E]) => void): this;
  off<E extends keyof RoomEvents>(event: E, listener: (...args: RoomEvents[E]) => void): this;
  /** Closes every peer, stops every timer and track. Idempotent. */
  close(): void;
}
