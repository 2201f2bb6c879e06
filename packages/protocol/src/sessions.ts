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
  'worker_lost',
  'shutdown',
] as const;
export const EndReason = z.enum(END_REASONS);
export type EndReason = z.infer<typeof EndReason>;

export const SessionStatus = z.enum(['created', 'started', 'ended']);
export type SessionStatus = z.infer<typeof SessionStatus>;

/** The customer's own room (stored, never echoed), or `proxy` (the platform makes a LiveKit room). */
export const RoomInput = z.discriminatedUnion('platform', [
  z.object({
    platform: z.enum(['daily', 'livekit']),
    url: z.string().min(1),
    token: z.string().min(1),
    display_name: z.string().max(200).optional(),
  }),
  z.object({ platform: z.literal('proxy') }),
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

export const PlatformRoom = z.object({
  platform: z.string(),
  name: z.string(),
  url: z.string(),
  token: z.string(),
});

export const ProxyRoom = z.object({ roomURL: z.string(), participantToken: z.string() });

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
    duration: z.number().int().nullable().describe('Seconds; null until the session ends'),
    metadata: z.record(z.string(), z.unknown()),
    agent_id: z.string().nullable().optional(),
    end_reason: EndReason.nullable(),
    billing: Billing.nullable(),
    room: z.union([PlatformRoom, ProxyRoom]).optional(),
    daily_room: z.object({ url: z.string(), name: z.string(), token: z.string() }).optional(),
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
