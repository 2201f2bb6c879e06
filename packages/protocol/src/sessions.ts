/** @module The Sessions API wire shapes (`/v1/sessions`). */
import { z } from 'zod';
import { AspectRatio, Int32, Metadata, NullableTimestamp, Timestamp } from './common.js';

export const SESSION_TYPES = ['agent_video', 'agent_voice', 'agent_chat', 'webrtc_video'] as const;
export const SessionType = z.enum(SESSION_TYPES);
export type SessionType = z.infer<typeof SessionType>;

export const END_REASONS = [
  'client',
  'expired',
  'websocket_closed',
  'room_empty',
  'agent_left',
  'room_closed',
  'room_join_failed',
  'worker_lost',
  'shutdown',
] as const;
export const EndReason = z.enum(END_REASONS);
export type EndReason = z.infer<typeof EndReason>;

export const SessionStatus = z.enum(['created', 'started', 'ended']);
export type SessionStatus = z.infer<typeof SessionStatus>;

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

// atob, not Buffer: this module also runs in browsers (through the SDK).
function decodeBase64Url(part: string): string {
  const base64 = part
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(part.length / 4) * 4, '=');
  return new TextDecoder('utf-8', { fatal: true }).decode(
    Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)),
  );
}

/** True when `token` is three base64url parts whose first two are JSON objects (a JWT; the signature is the room server's to check). */
export function looksLikeJwt(token: string): boolean {
  if (!JWT.test(token)) return false;
  try {
    return token
      .split('.')
      .slice(0, 2)
      .every((part) => {
        const value: unknown = JSON.parse(decodeBase64Url(part));
        return typeof value === 'object' && value !== null && !Array.isArray(value);
      });
  } catch {
    return false;
  }
}

/** The customer's own LiveKit room: the avatar joins it with `token` (stored, never echoed or logged). */
export const CustomerLiveKitRoom = z.object({
  platform: z.literal('livekit'),
  url: z.url({ protocol: /^(wss?|https?)$/, error: 'must be a ws://, wss://, http:// or https:// URL' }),
  token: z
    .string()
    .max(8192)
    .refine(looksLikeJwt, { message: 'must be a LiveKit access token (a JWT)' })
    .describe('A LiveKit access token for the avatar (identity, room_join grant, lk.publish_on_behalf)'),
  display_name: z.string().max(200).optional(),
});

/**
 * `livekit`: the customer's own room. `proxy`: the platform makes a LiveKit room and returns the caller's
 * credentials. `daily` is accepted by the schema only so that the server can refuse it with its own code
 * (`DAILY_NOT_SUPPORTED`) instead of a generic validation error.
 */
export const RoomInput = z.discriminatedUnion('platform', [
  CustomerLiveKitRoom,
  z.object({ platform: z.literal('proxy') }),
  z
    .object({ platform: z.literal('daily') })
    .loose()
    .describe('Refused with 400 DAILY_NOT_SUPPORTED until Daily rooms are implemented'),
]);
export type RoomInput = z.infer<typeof RoomInput>;

/** One body for the three create shapes; the use case checks that exactly one of avatar_id/avatar/agent_id is set. */
export const CreateSessionBody = z.object({
  avatar_id: z
    .string()
    .min(1)
    .optional()
    .describe('Shape 1 (seed): an avatar id; the session is created, not started'),
  avatar: z
    .string()
    .min(1)
    .optional()
    .describe('Shape 2: an avatar id, a public image URL or a base64 image; the session starts at once'),
  agent_id: z
    .union([z.string().min(1), Int32().positive()])
    .optional()
    .describe('Shape 3: an agent id; an agent session starts at once'),
  session_type: z.union([SessionType, z.literal('voice')]).optional(),
  aspect_ratio: AspectRatio.optional(),
  room: RoomInput.optional(),
  metadata: Metadata.optional(),
  record: z
    .boolean()
    .optional()
    .describe(
      'Record the session: an MP4 (H.264 + AAC) of exactly what it published, at ' +
        "`GET /v1/sessions/{id}/recording` once it has ended. Agent sessions also follow the agent's `record`.",
    ),
  callback_url: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .max(2048)
    .optional()
    .describe(
      'Webhook events of this session only (session.started, session.ended, transcript.ready, recording.*), ' +
        'signed with the account’s callback secret (GET /v1/webhooks/callback-secret)',
    ),
});
export type CreateSessionBody = z.infer<typeof CreateSessionBody>;

export const SessionAvatar = z.object({
  avatar_id: z.string(),
  name: z.string(),
  url: z.string().nullable(),
});

export const Billing = z.object({
  minutes_charged: z.number().int(),
  included_minutes_used: z.number().int(),
  purchased_minutes_used: z.number().int(),
});
export type Billing = z.infer<typeof Billing>;

export const PlatformRoom = z
  .object({
    platform: z.enum(['builtin', 'livekit']),
    name: z.string(),
    url: z.string().describe('builtin: the room page; livekit: the LiveKit server URL to connect to'),
    token: z.string().describe('builtin: the room join token; livekit: a subscribe-only LiveKit token'),
  })
  .describe('A room the platform made for the session (shown to its owner)');
export type PlatformRoom = z.infer<typeof PlatformRoom>;

export const ProxyRoom = z
  .object({
    roomURL: z.string().describe('The LiveKit server URL'),
    participantToken: z
      .string()
      .describe('A LiveKit token for the caller: the only participant the avatar takes speech from'),
  })
  .describe('`room: {"platform": "proxy"}` only, in the create reply only');

export const DailyRoom = z.object({ url: z.string(), name: z.string(), token: z.string() });

export const Session = z
  .object({
    session_id: z.string(),
    status: SessionStatus,
    avatar: SessionAvatar.nullable(),
    session_type: SessionType,
    aspect_ratio: AspectRatio,
    created_at: Timestamp,
    started_at: NullableTimestamp,
    ended_at: NullableTimestamp,
    expiration: NullableTimestamp,
    duration: z
      .number()
      .int()
      .nullable()
      .describe(
        'Whole seconds. Sessions created with `avatar`: seconds since start while running (0 before start), ' +
          'so clients that parse it as an integer work. Seed-shape (`avatar_id`) and agent sessions: null until ended.',
      ),
    metadata: z.record(z.string(), z.unknown()),
    agent_id: z.string().nullable().optional(),
    end_reason: EndReason.nullable(),
    end_detail: z
      .string()
      .nullable()
      .describe(
        'Why it ended, in words, where end_reason alone does not say (e.g. why the room join failed)',
      ),
    billing: Billing.nullable(),
    record: z.boolean().describe('Whether the session is recorded (see GET /v1/sessions/{id}/recording)'),
    room: z.union([PlatformRoom, ProxyRoom]).optional(),
    daily_room: DailyRoom.nullable().describe('The Daily room the platform made (null: none)'),
    access_token: z.string().optional().describe('Create response only'),
    session_token: z.string().optional().describe('Create response only'),
    ws_uri: z
      .string()
      .optional()
      .describe(
        'Create response of a session that starts at create only: the WebSocket gateway (`/ws` on the API ' +
          'host) for this session. Sessions created first get it from start.',
      ),
  })
  .meta({ id: 'Session' });
export type Session = z.infer<typeof Session>;

export const UsageSnapshot = z.object({
  concurrency: z.object({
    current: z.number(),
    max: z.number().nullable(),
    available: z.number().nullable(),
  }),
  minutes: z.object({ total_remaining: z.number().nullable() }),
});
export type UsageSnapshot = z.infer<typeof UsageSnapshot>;

export const CreateSessionReply = z.object({
  success: z.literal(true),
  session: Session,
  usage: UsageSnapshot,
  message: z.string(),
});

export const SessionReply = z.object({ success: z.literal(true), session: Session });
export const EndSessionReply = SessionReply.extend({ message: z.string() });

export const StartSessionReply = z.object({
  success: z.literal(true),
  ws_uri: z.string(),
  expiration: NullableTimestamp,
  message: z.string(),
});

export const ListSessionsQuery = z.object({
  status: z
    .string()
    .optional()
    .describe('all (default) | created | started | ended; active is an alias of started'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().optional(),
});
export type ListSessionsQuery = z.infer<typeof ListSessionsQuery>;

export const ListSessionsReply = z.object({
  success: z.literal(true),
  sessions: z.array(Session),
  has_more: z.boolean(),
  next_cursor: z.string().nullable(),
});

export const SessionIdParams = z.object({ session_id: z.string() });

export const DeleteSessionReply = z.object({ success: z.literal(true), message: z.string() });
