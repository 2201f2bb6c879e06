/**
 * @module The `/v1/webhooks` use cases. An endpoint of another account, or a session's callback URL, reads
 * exactly like an unknown id (404 WEBHOOK_NOT_FOUND). URLs pass the outbound guard at create (and again at
 * every delivery, through the guarded fetch).
 */
import type { CreateWebhookBody } from '@agenthuman/protocol';
import { newId, type Store, type WebhookDeliveryWithEvent, type WebhookEndpointRow } from '@agenthuman/store';
import { AppError } from '../http/app-error.js';
import { publishEvent } from './publish-event.js';
import { newWebhookSecret } from './webhook-secret.js';

export type ManageWebhooksDeps = {
  store: Store;
  webhooks: { checkUrl(url: string, field: string): Promise<void>; wake(): void };
};

export const webhookNotFound = () =>
  new AppError('WEBHOOK_NOT_FOUND', 'Webhook not found', {
    suggestion: 'List your webhooks with GET /v1/webhooks',
    details: { field: 'webhook_id' },
  });

const deliveryNotFound = () =>
  new AppError('WEBHOOK_DELIVERY_NOT_FOUND', 'Delivery not found', {
    suggestion:
      'List the webhook’s deliveries with GET /v1/webhooks/{webhook_id}/deliveries (old ones are pruned)',
    details: { field: 'delivery_id' },
  });

export async function createWebhook(
  deps: ManageWebhooksDeps,
  accountId: string,
  body: CreateWebhookBody,
): Promise<{ row: WebhookEndpointRow; secret: string }> {
  await deps.webhooks.checkUrl(body.url, 'url');
  const secret = newWebhookSecret();
  const row = await deps.store.webhooks.createEndpoint({
    id: newId('whk'),
    accountId,
    url: body.url,
    events: body.events ? [...new Set(body.events)] : [],
    description: body.description || null,
    secret,
  });
  return { row, secret };
}

export async function findWebhook(store: Store, accountId: string, id: string): Promise<WebhookEndpointRow> {
  const row = await store.webhooks.findEndpointForAccount(accountId, id);
  if (!row) throw webhookNotFound();
  return row;
}

export async function deleteWebhook(store: Store, accountId: string, id: string): Promise<void> {
  if (!(await store.webhooks.deleteEndpoint(accountId, id))) throw webhookNotFound();
}

export async function enableWebhook(
  store: Store,
  accountId: string,
  id: string,
): Promise<WebhookEndpointRow> {
  const row = await store.webhooks.enableEndpoint(accountId, id);
  if (!row) throw webhookNotFound();
  return row;
}

/** Queues a `webhook.test` event for this endpoint only and wakes the dispatcher. */
export async function sendTestEvent(
  deps: ManageWebhooksDeps,
  accountId: string,
  id: string,
): Promise<WebhookDeliveryWithEvent> {
  const endpoint = await findWebhook(deps.store, accountId, id);
  const delivery = await deps.store.transaction(async (repos) => {
    const { deliveries } = await publishEvent(repos, {
      type: 'webhook.test',
      data: { webhook_id: endpoint.id, message: 'A test event from agenthuman' },
      accountId,
      endpointId: endpoint.id,
    });
    return repos.webhooks.findDelivery(endpoint.id, deliveries[0]!);
  });
  deps.webhooks.wake();
  return delivery!;
}

export async function listDeliveries(
  store: Store,
  accountId: string,
  id: string,
  limit: number,
): Promise<WebhookDeliveryWithEvent[]> {
  const endpoint = await findWebhook(store, accountId, id);
  return store.webhooks.listDeliveries(endpoint.id, limit);
}

/**
 * Sends a delivery's event again as a new delivery (same `webhook-id`, so a receiver that deduplicates sees
 * it as the same event), queued after the endpoint's pending ones. A delivery past its retention reads like
 * an unknown one (404), also when the outbox pruner deletes it while this runs: the lookup locks the event.
 */
export async function replayDelivery(
  deps: ManageWebhooksDeps,
  accountId: string,
  id: string,
  deliveryId: string,
): Promise<WebhookDeliveryWithEvent> {
  const endpoint = await findWebhook(deps.store, accountId, id);
  const replay = await deps.store.transaction(async (repos) => {
    const original = await repos.webhooks.findDeliveryForReplay(endpoint.id, deliveryId);
    if (!original) throw deliveryNotFound();
    const now = new Date();
    const [row] = await repos.webhooks.insertDeliveries([
      {
        id: newId('whd'),
        endpointId: endpoint.id,
        eventId: original.eventId,
        nextAttemptAt: now,
        createdAt: now,
      },
    ]);
    return { ...row!, eventType: original.eventType };
  });
  deps.webhooks.wake();
  return replay;
}
