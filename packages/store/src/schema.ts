/** @module The database schema (one source for PGlite and PostgreSQL; migrations are generated from it). */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const accounts = pgTable('accounts', {
  id: text('id').primaryKey(),
  // Every row has an integer id too, for the legacy `/api/v1` dialect.
  seq: integer('seq').generatedAlwaysAsIdentity().notNull().unique(),
  name: text('name').notNull(),
  plan: text('plan').notNull(),
  isAdmin: boolean('is_admin').notNull().default(false),
  purchasedMinutesTotal: integer('purchased_minutes_total').notNull().default(0),
  purchasedMinutesRemaining: integer('purchased_minutes_remaining').notNull().default(0),
  createdAt: createdAt(),
});

export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    seq: integer('seq').generatedAlwaysAsIdentity().notNull().unique(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    // Only the sha256 of the key is stored; the key itself is shown once.
    keyHash: text('key_hash').notNull(),
    prefix: text('prefix').notNull(),
    deactivatedAt: tstz('deactivated_at'),
    lastUsedAt: tstz('last_used_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('api_keys_key_hash').on(t.keyHash), index('api_keys_account').on(t.accountId)],
);

export const avatars = pgTable(
  'avatars',
  {
    id: text('id').primaryKey(),
    // Legacy integer ids start above the public catalog's fixed 1..999.
    seq: integer('seq').generatedAlwaysAsIdentity({ startWith: 1001 }).notNull().unique(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    tags: jsonb('tags').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    userExclusive: boolean('user_exclusive').notNull().default(true),
    // Keys of the stored images in the blob store (filled in by the upload pipeline).
    imageKey: text('image_key'),
    previewKey: text('preview_key'),
    faceKey: text('face_key'),
    createdAt: createdAt(),
    // Deleted avatars stay as tombstones (no images): they still count against the cycle's avatar quota.
    deletedAt: tstz('deleted_at'),
  },
  (t) => [index('avatars_account').on(t.accountId, t.createdAt)],
);

/** Single-use preview page links (`POST /v1/avatars/preview`); only the token's sha256 is stored. */
export const avatarPreviews = pgTable('avatar_previews', {
  tokenHash: text('token_hash').primaryKey(),
  accountId: text('account_id')
    .notNull()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  avatarId: text('avatar_id').notNull(),
  expiresAt: tstz('expires_at').notNull(),
  usedAt: tstz('used_at'),
  createdAt: createdAt(),
});

export const agents = pgTable(
  'agents',
  {
    id: text('id').primaryKey(),
    seq: integer('seq').generatedAlwaysAsIdentity().notNull().unique(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    avatarId: text('avatar_id'),
    avatarImageUrl: text('avatar_image_url'),
    language: text('language').notNull().default('en'),
    customGreeting: text('custom_greeting'),
    context: text('context'),
    voiceId: text('voice_id'),
    knowledge: text('knowledge'),
    llm: jsonb('llm').$type<Record<string, unknown>>(),
    voiceAgent: jsonb('voice_agent').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    // Sessions of this agent are recorded (MP4 of what they published).
    record: boolean('record').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [index('agents_account').on(t.accountId, t.createdAt)],
);

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
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
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

/**
 * Public links that start a session with an agent (`/s/{link_id}`). `status` is what the owner set (active or
 * paused, or expired by hand); expiry by date or use limit is derived when read.
 */
export const links = pgTable(
  'links',
  {
    id: text('id').primaryKey(),
    seq: integer('seq').generatedAlwaysAsIdentity().notNull().unique(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    // Deleting an agent deletes its links: they stop working at once.
    agentId: text('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    status: text('status').$type<'active' | 'paused' | 'expired'>().notNull().default('active'),
    uses: integer('uses').notNull().default(0),
    useLimit: integer('use_limit'),
    expiresAt: tstz('expires_at'),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [index('links_account').on(t.accountId, t.seq)],
);

/** One row per ended session that cost minutes, in the billing period it ended in. */
export const minuteCharges = pgTable(
  'minute_charges',
  {
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity().primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    sessionId: text('session_id').notNull().unique(),
    periodStart: tstz('period_start').notNull(),
    includedMinutes: integer('included_minutes').notNull(),
    purchasedMinutes: integer('purchased_minutes').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('minute_charges_account_period').on(t.accountId, t.periodStart)],
);

export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  createdAt: createdAt(),
});

export type RecordingStatus = 'recording' | 'processing' | 'ready' | 'failed';

/**
 * A session's recording (one per session, made when its media starts). While `recording`, the MP4 grows in a
 * local temporary file (`temp_path`, fragmented so a crash leaves it playable) of the process `owner`
 * (`host:pid:nonce`, as in sessions.media_owner); at the end it is uploaded to the blob store (`blob_key`).
 * A row left `recording` by a dead owner is finished at the next start: the partial file is uploaded
 * (`partial`) or the row fails with `failure_code`/`failure_reason`.
 */
export const recordings = pgTable(
  'recordings',
  {
    sessionId: text('session_id')
      .primaryKey()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    status: text('status').$type<RecordingStatus>().notNull(),
    owner: text('owner').notNull(),
    tempPath: text('temp_path'),
    blobKey: text('blob_key'),
    bytes: bigint('bytes', { mode: 'number' }),
    durationMs: integer('duration_ms'),
    width: integer('width'),
    height: integer('height'),
    partial: boolean('partial').notNull().default(false),
    // Video frames the recording lost because its encoder fell behind (the live stream lost none).
    framesDropped: integer('frames_dropped').notNull().default(0),
    failureCode: text('failure_code'),
    failureReason: text('failure_reason'),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
    readyAt: tstz('ready_at'),
  },
  (t) => [index('recordings_status').on(t.status).where(sql`${t.status} in ('recording', 'processing')`)],
);

/**
 * Where an account's webhook events go. `sessionId` set: a session's `callback_url` (that session's events
 * only, not listed with the account's endpoints). `secret` signs the deliveries (`whsec_…`): stored because
 * signing needs it, never shown after create. `events` empty = every type. `failingSince` is the start of
 * the current run of failed attempts; a run that lasts long enough sets `disabledAt`.
 */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    sessionId: text('session_id').references(() => sessions.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    events: jsonb('events').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    description: text('description'),
    secret: text('secret').notNull(),
    failingSince: tstz('failing_since'),
    disabledAt: tstz('disabled_at'),
    disabledReason: text('disabled_reason'),
    createdAt: createdAt(),
  },
  (t) => [
    index('webhook_endpoints_account').on(t.accountId, t.createdAt),
    index('webhook_endpoints_session').on(t.sessionId),
  ],
);

/**
 * The outbox: one row per event, written in the same transaction as the change it reports. `payload` is the
 * delivered body (`{type, timestamp, data}`); `id` is the `webhook-id` header.
 */
export const webhookEvents = pgTable(
  'webhook_events',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    sessionId: text('session_id'),
    type: text('type').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('webhook_events_account').on(t.accountId, t.createdAt),
    // The outbox pruner walks old events oldest first.
    index('webhook_events_created').on(t.createdAt),
  ],
);

/**
 * One event to one endpoint (written with the event). `seq` orders an endpoint's deliveries: only its oldest
 * pending one is sent. A process claims a due row by setting `leaseOwner`/`leaseUntil` (with SKIP LOCKED), so
 * several processes never send the same attempt, and a crashed one's claim lapses and is retried.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity().notNull().unique(),
    endpointId: text('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    eventId: text('event_id')
      .notNull()
      .references(() => webhookEvents.id, { onDelete: 'cascade' }),
    status: text('status').$type<'pending' | 'succeeded' | 'failed'>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: tstz('next_attempt_at'),
    leaseOwner: text('lease_owner'),
    leaseUntil: tstz('lease_until'),
    lastAttemptAt: tstz('last_attempt_at'),
    responseStatus: integer('response_status'),
    latencyMs: integer('latency_ms'),
    lastError: text('last_error'),
    deliveredAt: tstz('delivered_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('webhook_deliveries_endpoint').on(t.endpointId, t.seq),
    index('webhook_deliveries_due').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('webhook_deliveries_pending_endpoint').on(t.endpointId, t.seq).where(sql`${t.status} = 'pending'`),
    // The outbox pruner: delivered and dead rows past their retention, and whether an event has any left.
    index('webhook_deliveries_succeeded').on(t.deliveredAt).where(sql`${t.status} = 'succeeded'`),
    index('webhook_deliveries_failed').on(t.lastAttemptAt).where(sql`${t.status} = 'failed'`),
    index('webhook_deliveries_event').on(t.eventId),
  ],
);
