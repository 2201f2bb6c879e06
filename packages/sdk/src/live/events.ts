/**
 * @module Server events of the WebSocket command channel (spec section 7), mirroring `ServerEvent` in the
 * protocol package's ws.ts (not re-exported by its index, and the SDK imports no zod at runtime).
 */

export type WsErrorCode =
  | 'INIT_REQUIRED'
  | 'INVALID_JSON'
  | 'INVALID_MESSAGE'
  | 'UNKNOWN_MESSAGE_TYPE'
  | 'INVALID_CREDENTIALS'
  | 'SESSION_NOT_FOUND'
  | 'SESSION_NOT_STARTED'
  | 'SESSION_ENDED'
  | 'ALREADY_INITIALIZED'
  | 'INVALID_ROOM_PLATFORM'
  | 'INVALID_VIDEO_DIMENSIONS'
  | 'INVALID_AUDIO'
  | 'EMPTY_AUDIO'
  | 'INVALID_SAMPLE_RATE'
  | 'QUEUE_FULL'
  | 'MESSAGE_TOO_LARGE'
  | 'BINARY_NOT_SUPPORTED'
  | 'TTS_FAILED'
  | 'RATE_LIMITED'
  | 'INTERNAL_ERROR'
  | (string & {});

export type ServerEvent =
  | { type: 'connection.established'; session_id: string }
  | { type: 'agent.speak.confirmed'; audio_samples: number }
  | { type: 'agent.interrupt.confirmed' }
  | { type: 'error'; error: string; code: WsErrorCode; field?: string }
  | { type: 'agent.speak_text.confirmed'; audio_samples: number; text: string }
  | { type: 'avatar.speaking.started' }
  | { type: 'avatar.speaking.stopped'; interrupted: boolean }
  | { type: 'session.replaced' }
  | { type: 'session.ended'; reason: string };

export type ServerEventType = ServerEvent['type'];
export type ServerEventOf<T extends ServerEventType> = Extract<ServerEvent, { type: T }>;

/** Local events of the helper itself: the socket closed (any reason). */
export type CloseEvent = { type: 'close'; code: number; reason: string };

export type LiveEvent = ServerEvent | CloseEvent;
export type LiveEventType = LiveEvent['type'];
export type LiveEventOf<T extends LiveEventType> = Extract<LiveEvent, { type: T }>;
