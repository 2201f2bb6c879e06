/**
 * @module The outbox's one entrance: `publishEvent(repos, event)` stores the event and one pending delivery per
 * endpoint that wants it, with the repositories of the caller's transaction, so the event commits (or rolls
 * back) with the change it reports and a crash after the commit loses nothing. Delivery happens later
 * (webhook-dispatcher.ts). Any domain publishes through it (recordings: `recording.ready` / `recording.failed`).
 */
import type { WebhookEventData } from '@agenthuman/protocol';
import { newId, type Repositories } from '@agenthuman/store';

export type PublishedEventType = keyof WebhookEventData;

export type EventToPublish<T extends PublishedEventType = PublishedEventType> = {
  type: T;
  /** The payload, or a function making it: called only when some endpoint wants the event. */
  data: WebhookEventData[T] | (() => Promise<WebhookEventData[T]>);
  accountId: string;
  /** The session the event belongs to: its `callback_url` gets it too. */
  sessionId?: string | null;
  /** When it happened (default now). */
  at?: Date;
  /** Send to this endpoint only, whatever it subscribed to (the test event). */
  endpointId?: string;
};

/** Returns the event id (the `webhook-id` header) and how many deliveries were queued. */
export async function publishEvent<T extends PublishedEventType>(
  repos: Pick<Repositories, 'webhooks'>,
  event: EventToPublish<T>,
): Promise<{ eventId: string; deliveries: string[] }> {
  const at = event.at ?? new Date();
  const sessionId = event.sessionId ?? null;
  const targets = event.endpointId
    ? [event.endpointId]
    : (await repos.webhooks.listTargets(event.accountId, event.type, sessionId)).map((e) => e.id);
  const eventId = newId('evt');
  // No endpoint wants it: nothing to keep (the outbox holds only what is to be delivered).
  if (targets.length === 0) return { eventId, deliveries: [] };
  const data = typeof event.data === 'function' ? await event.data() : event.data;
  await repos.webhooks.insertEvent({
    id: eventId,
    accountId: event.accountId,
    sessionId,
    type: event.type,
    payload: { type: event.type, timestamp: at.toISOString(), data },
    createdAt: at,
  });
  const rows = await repos.webhooks.insertDeliveries(
    targets.map((endpointId) => ({
      id: newId('whd'),
      endpointId,
      eventId,
      nextAttemptAt: at,
      createdAt: at,
    })),
  );
  return { eventId, deliveries: rows.map((r) => r.id) };
}
