/** @module Sessions, the rooms they run in, and agent sessions' transcripts. */
import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { accountIdColumn } from './accounts.js';
import { createdAt, tstz } from './columns.js';

/** A participant we minted a LiveKit token for: its identity and that token (a secret: never shown, never logged). */
export type LiveKitSeat = { identity: string; token: string };

/**
 * A room we made on our LiveKit server (LIVEKIT_URL). We mint every token in it, so the avatar's media side
 * needs nothing else: it joins `url`/`name` with `avatar.token` (identity `agenthuman-avatar-agent`, kind
 * agent, attribute `lk.publish_on_behalf` = the sender's identity, or none), and accepts `lk.audio_stream`
 * byte streams and `lk.clear_buffer` calls only from `sender.identity` (absent: from nobody, speech then
 * comes over our WebSocket or the built-in agent).
 */
export type MadeLiveKitRoom = {
  name: string;
  url: string;
  avatar: LiveKitSeat;
  sender?: { identity: string };
};

/**
 * What the session's room is: a platform-made room (shown to the owner) or the customer's (never echoed).
 * - `builtin`: our own WebRTC room (WHEP), `token` signs viewers in.
 * - `proxy` (`room: {platform: "proxy"}`): a LiveKit room made for the caller, who got a participant token
 *   for `sender.identity` in the create reply only.
 * - `livekit` (the default platform room with AGENTHUMAN_ROOMS=livekit): a LiveKit room; `viewerToken` is a
 *   subscribe-only token shown in the session's `room`.
 * - `customer`: the caller's own LiveKit room; the avatar joins with the caller's `token` and takes speech
 *   from the identity that token names in `lk.publish_on_behalf`. `daily` only in rows made before Daily
 *   rooms were refused.
 */
export type StoredRoom =
  | { kind: 'builtin'; name: string; url: string; token: string }
  | ({ kind: 'proxy' } & MadeLiveKitRoom)
  | ({ kind: 'livekit'; viewerToken: string } & MadeLiveKitRoom)
  | { kind: 'customer'; platform: 'daily' | 'livekit'; url: string; token: string; displayName?: string };

/** How the session was asked for: `avatar_id` (seed shape), `avatar` (current shape) or `agent_id`. */
export type CreateShape = 'avatar_id' | 'avatar' | 'agent_id';

export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    seq: integer('seq').generatedAlwaysAsIdentity().notNull().unique(),
    accountId: accountIdColumn(),
    avatarId: text('avatar_id'),
    // The avatar's name when the session was made (user avatars may be deleted later).
    avatarName: text('avatar_name'),
    agentId: text('agent_id'),
    sessionType: text('session_type').notNull(),
    aspectRatio: text('aspect_ratio').notNull(),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    // sha256 of the session token; the token itself is shown once, in the create response.
    tokenHash: text('token_hash').notNull(),
    room: jsonb('room').$type<StoredRoom>(),
    // Which create shape made it (the dialect of `duration`); null for rows made before it was recorded.
    createShape: text('create_shape').$type<CreateShape>(),
    createdAt: createdAt(),
    startedAt: tstz('started_at'),
    endedAt: tstz('ended_at'),
    expiration: tstz('expiration'),
    endReason: text('end_reason'),
    // Why it ended, in words, where the reason alone does not say (e.g. the LiveKit join error).
    endDetail: text('end_detail'),
    minutesCharged: integer('minutes_charged'),
    includedMinutesUsed: integer('included_minutes_used'),
    purchasedMinutesUsed: integer('purchased_minutes_used'),
    // Legacy dialect: what the client reported at end.
    transcript: jsonb('transcript'),
    reportedDuration: integer('reported_duration'),
    // Which server process runs the session's media (`host:pid:nonce`), and when it last said so (every ~5 s).
    // A running session whose owner stopped beating lost its media: it ends `worker_lost`, billed to the beat.
    mediaOwner: text('media_owner'),
    mediaHeartbeatAt: tstz('media_heartbeat_at'),
    // `record: true` at create (or the agent's setting): its media is recorded (see `recordings`).
    record: boolean('record').notNull().default(false),
  },
  (t) => [
    index('sessions_account_seq').on(t.accountId, t.seq),
    // The sweeper's other query: running sessions with media, by heartbeat.
    index('sessions_running_media_heartbeat')
      .on(t.mediaHeartbeatAt)
      .where(sql`${t.startedAt} is not null and ${t.endedAt} is null and ${t.mediaOwner} is not null`),
    // The sweeper's query: running sessions by expiration.
    index('sessions_running_expiration')
      .on(t.expiration)
      .where(sql`${t.startedAt} is not null and ${t.endedAt} is null`),
  ],
);

/**
 * The transcript of agent sessions, one row per message, written as each turn happens so a process that dies
 * loses nothing already said. `id` is the conversation's message id (a reply cut off after it was stored is
 * updated in place); `seq` orders them.
 */
export const messages = pgTable(
  'messages',
  {
    id: text('id').primaryKey(),
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity().notNull().unique(),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    role: text('role').$type<'user' | 'agent'>().notNull(),
    text: text('text').notNull(),
    interrupted: boolean('interrupted').notNull().default(false),
    // What the agent had generated but was not heard before the barge-in.
    unsaidText: text('unsaid_text'),
    greeting: boolean('greeting').notNull().default(false),
    // How the user's message arrived: typed text or recognised speech.
    source: text('source').$type<'text' | 'voice'>(),
    createdAt: createdAt(),
  },
  (t) => [index('messages_session').on(t.sessionId, t.seq)],
);
