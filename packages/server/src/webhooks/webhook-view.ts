/** @module Webhook endpoints and deliveries as the API shows them: never the secret. */
import type { Webhook, WebhookDelivery, WebhookEventType } from '@agenthuman/protocol';
import { WEBHOOK_EVENT_TYPES } from '@agenthuman/protocol';
import type { WebhookDeliveryWithEvent, WebhookEndpointRow } from '@agenthuman/store';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toWebhookView(row: WebhookEndpointRow): Webhook {
  return {
    webhook_id: row.id,
    url: row.url,
    events: row.events.length === 0 ? [...WEBHOOK_EVENT_TYPES] : (row.events as WebhookEventType[]),
    description: row.description,
    created_at: row.createdAt.toISOString(),
    status: row.disabledAt ? 'disabled' : 'enabled',
    disabled_at: iso(row.disabledAt),
    disabled_reason: row.disabledReason,
  };
}

export function toDeliveryView(row: WebhookDeliveryWithEvent): WebhookDelivery {
  return {
    delivery_id: row.id,
    webhook_id: row.endpointId,
    event_id: row.eventId,
    event_type: row.eventType,
    status: row.status,
    attempts: row.attempts,
    response_status: row.responseStatus,
    latency_ms: row.latencyMs,
    last_error: row.lastError,
    next_attempt_at: iso(row.status === 'pending' ? row.nextAttemptAt : null),
    created_at: row.createdAt.toISOString(),
    delivered_at: iso(row.deliveredAt),
  };
}
