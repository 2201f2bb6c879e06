/**
 * The contract between a session's pipeline and wherever its media goes (the built-in WebRTC room today;
 * LiveKit, Daily and a recorder later). Media is pushed, stamped from the session's one media clock.
 */

/** Structurally the engine's `VideoFrame` (packages/engine/src/render/renderer.ts), so its frames fit as-is. */
export interface RoomVideoFrame {
  width: number;
  height: number;
  format: 'rgba' | 'i420';
  data: Uint8Array;
  /** Presentation time on the session's media clock, in milliseconds. */
  ptsMs: number;
  /**
   * True when the pusher will never write `data` again (a frame transferred from a render worker): the room
   * then queues it as is instead of copying it.
   */
  transferred?: boolean;
  /** Hands a transferred frame's buffer back to its producer once the transport is done reading it. */
  recycle?: () => void;
}

/** Mono PCM16 audio. Any sample rate from 8 kHz to 48 kHz; the transport converts to what it needs. */
export interface RoomAudioChunk {
  samples: Int16Array;
  sampleRate: number;
  /** Media-clock time of the first sample, in milliseconds (same clock as the video frames). */
  ptsMs: number;
}

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

export interface RoomTransport {
  readonly name: string;
  /** Connected viewers right now. */
  readonly viewerCount: number;
  /** `Date.now()` when the room became empty after someone had joined; null while someone watches or before anyone came. */
  readonly emptySince: number | null;
  pushVideo(frame: RoomVideoFrame): void;
  pushAudio(chunk: RoomAudioChunk): void;
  on<E extends keyof RoomEvents>(event: E, listener: (...args: RoomEvents[E]) => void): this;
  off<E extends keyof RoomEvents>(event: E, listener: (...args: RoomEvents[E]) => void): this;
  /** Closes every peer, stops every timer and track. Idempotent. */
  close(): void;
}
