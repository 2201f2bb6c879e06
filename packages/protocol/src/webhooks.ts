/**
 * @module Webhooks (`/v1/webhooks`): endpoints, deliveries, and every event payload. Deliveries follow the
 * Standard Webhooks convention: the body is `{type, timestamp, data}`, headers `webhook-id` (the event id, the
 * same on every retry), `webhook-timestamp` (unix seconds) and `webhook-signature` (`v1,<base64 HMAC-SHA256>`
 * of `id.timestamp.body`, keyed by the endpoint's `whsec_` secret).
 */
import { z } from 'zod';
import { Avatar } from './avatars.js';
import { NullableTimestamp, Timestamp } from './common.js';
import { ChatMessage } from './messages.js';
import { Billing, EndReason, Session } from './sessions.js';

export const WEBHOOK_EVENT_TYPES = [
  'session.started',
  'session.ended',
  'avatar.ready',
  'avatar.failed',
  'transcript.ready',
  'recording.ready',
  'recording.failed',
] as const;
export const WebhookEventType = z.enum(WEBHOOK_EVENT_TYPES);
export type WebhookEventType = z.infer<typeof WebhookEventType>;

/** Sent only by `POST /v1/webhooks/{id}/test`, to that endpoint, whatever it subscribed to. */
export const WEBHOOK_TEST_EVENT = 'webhook.test';

export const WEBHOOK_URL_MAX_CHARS = 2048;

const webhookUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
  .max(WEBHOOK_URL_MAX_CHARS);

/** `whsec_` + base64 of 32 random bytes: the key the `webhook-signature` HMAC uses. */
export const WEBHOOK_SECRET_PATTERN = /^whsec_[A-Za-z0-9+/]+=*$/;

// ---- event payloads ---------------------------------------------------------------------------------------

/** A session as events show it: the API's Session without its room (viewer credentials stay in the API). */
export const WebhookSession = Session.omit({
  room: true,
  access_token: true,
  session_token: true,
  ws_uri: true,
}).meta({ id: 'WebhookSession' });
export type WebhookSession = z.infer<typeof WebhookSession>;

export const SessionStartedData = z.object({ session: WebhookSession });
export const SessionEndedData = z.object({
  session: WebhookSession,
  end_reason: EndReason,
  end_detail: z.string().nullable(),
  duration: z.number().int().describe('Whole seconds from start to end'),
  billing: Billing,
});
export const AvatarReadyData = z.object({ avatar: Avatar });
export const AvatarFailedData = z.object({
  code: z.string().describe('The refusal code, as the API answered it (NO_FACE_DETECTED, MULTIPLE_FACES, …)'),
  message: z.string(),
  field: z.string().nullable().describe('The input that was refused (image_url, image_base64, avatar, …)'),
});
export const TranscriptReadyData = z.object({
  session_id: z.string(),
  agent_id: z.string().nullable(),
  messages: z.array(ChatMessage),
});
export const RecordingReadyData = z.object({
  session_id: z.string(),
  duration_ms: z.number().int().nullable(),
  size_bytes: z.number().int().nullable(),
  content_type: z.string(),
});
export const RecordingFailedData = z.object({
  session_id: z.string(),
  code: z.string(),
  message: z.string(),
});
export const WebhookTestData = z.object({ webhook_id: z.string(), message: z.string() });

/** Each event type's `data`, for publishers (checked before the event is stored) and for the OpenAPI document. */
export const WEBHOOK_EVENT_DATA = {
  'session.started': SessionStartedData,
  'session.ended': SessionEndedData,
  'avatar.ready': AvatarReadyData,
  'avatar.failed': AvatarFailedData,
  'transcript.ready': TranscriptReadyData,
  'recording.ready': RecordingReadyData,
  'recording.failed': RecordingFailedData,
  [WEBHOOK_TEST_EVENT]: WebhookTestData,
} as const;
export type WebhookEventData = {
  [K in keyof typeof WEBHOOK_EVENT_DATA]: z.infer<(typeof WEBHOOK_EVENT_DATA)[K]>;
};

const envelope = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.object({ type: z.literal(type), timestamp: Timestamp.describe('When it happened'), data });

/** The body of every delivery (Standard Webhooks' `{type, timestamp, data}`). */
export const WebhookEvent = z
  .discriminatedUnion('type', [
    envelope('session.started', SessionStartedData),
    envelope('session.ended', SessionEndedData),
    envelope('avatar.ready', AvatarReadyData),
    envelope('avatar.failed', AvatarFailedData),
    envelope('transcript.ready', TranscriptReadyData),
    envelope('recording.ready', RecordingReadyData),
    envelope('recording.failed', RecordingFailedData),
    envelope(WEBHOOK_TEST_EVENT, WebhookTestData),
  ])
  .meta({ id: 'WebhookEvent' });
export type WebhookEvent = z.infer<typeof WebhookEvent>;

// ---- endpoints and deliveries -----------------------------------------------------------------------------

export const Webhook = z
  .object({
    webhook_id: z.string(),
    url: z.string(),
    events: z
      .array(WebhookEventType)
      .describe('The event types sent to it (all of them when created without)'),
    description: z.string().nullable(),
    created_at: Timestamp,
    status: z.enum(['enabled', 'disabled']),
    disabled_at: NullableTimestamp,
    disabled_reason: z
      .string()
      .nullable()
      .describe('Why deliveries stopped (e.g. every attempt failed for 24 hours); re-enable with /enable'),
  })
  .meta({ id: 'Webhook' });
export type Webhook = z.infer<typeof Webhook>;

export const CreateWebhookBody = z.object({
  url: webhookUrl.describe('Where events are POSTed; private addresses only if the operator allows them'),
  events: z
    .array(WebhookEventType)
    .min(1)
    .max(WEBHOOK_EVENT_TYPES.length)
    .optional()
    .describe('Omit for every event type'),
  description: z.string().trim().max(500).optional(),
});
export type CreateWebhookBody = z.infer<typeof CreateWebhookBody>;

export const CreateWebhookReply = z.object({
  success: z.literal(true),
  webhook: Webhook,
  secret: z.string().describe('The signing secret (`whsec_…`); shown only in this response'),
});
export const WebhookReply = z.object({ success: z.literal(true), webhook: Webhook });
export const ListWebhooksReply = z.object({ success: z.literal(true), webhooks: z.array(Webhook) });
export const WebhookIdParams = z.object({ webhook_id: z.string() });
export const DeliveryIdParams = z.object({ webhook_id: z.string(), delivery_id: z.string() });

export const WebhookDeliveryStatus = z.enum(['pending', 'succeeded', 'failed']);
export type WebhookDeliveryStatus = z.infer<typeof WebhookDeliveryStatus>;

export const WebhookDelivery = z
  .object({
    delivery_id: z.string(),
    webhook_id: z.string(),
    event_id: z.string().describe('The `webhook-id` header: the same on every attempt and on a replay'),
    event_type: z.string(),
    status: WebhookDeliveryStatus.describe(
      'pending: not delivered yet (retrying); succeeded: a 2xx answer; failed: given up after 24 hours',
    ),
    attempts: z.number().int(),
    response_status: z.number().int().nullable().describe('The last attempt’s HTTP status (null: no answer)'),
    latency_ms: z.number().int().nullable().describe('The last attempt’s time to the answer'),
    last_error: z.string().nullable().describe('Why the last attempt failed, when it did'),
    next_attempt_at: NullableTimestamp,
    created_at: Timestamp,
    delivered_at: NullableTimestamp,
  })
  .meta({ id: 'WebhookDelivery' });
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export const ListDeliveriesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const ListDeliveriesReply = z.object({
  success: z.literal(true),
  deliveries: z.array(WebhookDelivery),
});
export const DeliveryReply = z.object({ success: z.literal(true), delivery: WebhookDelivery });

export const CallbackSecretReply = z.object({
  success: z.literal(true),
  secret: z
    .string()
    .describe('The account’s signing secret for sessions’ `callback_url` deliveries (`whsec_…`)'),
});
