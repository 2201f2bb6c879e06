/** @module The webhook outbox: endpoints, events, and one delivery per event and endpoint. */
import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { accountIdColumn } from './accounts.js';
import { createdAt, tstz } from './columns.js';
import { sessions } from './sessions.js';

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
    accountId: accountIdColumn(),
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
    accountId: accountIdColumn(),
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
