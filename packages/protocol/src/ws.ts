// The WebSocket command channel (spec section 7): client commands in, confirmations and events out.
// Clients that ignore unknown event types lose nothing: every extension is an additional `type`.
import { z } from 'zod';

export const WS_MAX_FRAME_BYTES = 10 * 1024 * 1024;
/** Audio queued ahead of the playhead, counted at 16 kHz. */
export const WS_MAX_QUEUED_SECONDS = 120;

export const wsErrorCodes = [
  'INIT_REQUIRED',
  'INVALID_JSON',
  'INVALID_MESSAGE',
  'UNKNOWN_MESSAGE_TYPE',
  'INVALID_CREDENTIALS',
  'SESSION_NOT_FOUND',
  'SESSION_NOT_STARTED',
  'SESSION_ENDED',
  'ALREADY_INITIALIZED',
  'INVALID_ROOM_PLATFORM',
  'INVALID_VIDEO_DIMENSIONS',
  'INVALID_AUDIO',
  'EMPTY_AUDIO',
  'INVALID_SAMPLE_RATE',
  'QUEUE_FULL',
  'MESSAGE_TOO_LARGE',
  'BINARY_NOT_SUPPORTED',
  'TTS_FAILED',
  'INTERRUPTED',
  'NO_CAPACITY',
  'NO_AVATAR_MEDIA',
  'RATE_LIMITED',
  'INTERNAL_ERROR',
] as const;
export type WsErrorCode = (typeof wsErrorCodes)[number];

export const sessionInitCurrent = z.object({
  type: z.literal('session.init'),
  session_id: z.string().min(1),
  session_token: z.string().min(1),
});

export const sessionInitLegacy = z.object({
  type: z.literal('session.init'),
  config: z.object({
    session_id: z.string().min(1),
    access_token: z.string().min(1),
    room: z
      .object({
        platform: z.string(),
        url: z.string().optional(),
        token: z.string().optional(),
        display_name: z.string().optional(),
      })
      .optional(),
    video_width: z.unknown().optional(),
    video_height: z.unknown().optional(),
  }),
});

export const sessionInit = z.union([sessionInitLegacy, sessionInitCurrent]);
export type SessionInit = z.infer<typeof sessionInit>;

export const agentSpeak = z.object({
  type: z.literal('agent.speak'),
  audio: z.string(),
  sample_rate: z.number().int().min(8000).max(48000).optional(),
});

export const agentSpeakText = z.object({
  type: z.literal('agent.speak_text'),
  text: z.string().min(1).max(5000),
  voice_id: z.string().optional(),
});

export const agentInterrupt = z.object({ type: z.literal('agent.interrupt') });

export const clientCommand = z.discriminatedUnion('type', [agentSpeak, agentSpeakText, agentInterrupt]);
export type ClientCommand = z.infer<typeof clientCommand>;

/** Everything the server sends; the first four are the documented public protocol, the rest extensions. */
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
