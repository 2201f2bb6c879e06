/**
 * What the outbox tests (pruner, replay racing the pruner) share: rows written straight into the store at a
 * chosen age, and an account with one endpoint to hang them on.
 */
import { newId, type Store } from '@agenthuman/store';

export const DAY = 86_400_000;

export type DeliveryKind = 'succeeded' | 'failed' | 'pending';

/** An event created at `at` with one delivery per kind given (its delivery/attempt time = event time). */
export async function seedEvent(
  store: Store,
  endpointId: string,
  accountId: string,
  at: Date,
  kinds: DeliveryKind[],
): Promise<{ eventId: string; deliveryIds: string[] }> {
  const event = await store.webhooks.insertEvent({
    id: newId('evt'),
    accountId,
    type: 'session.ended',
    payload: { type: 'session.ended', timestamp: at.toISOString(), data: {} },
    createdAt: at,
  });
  const deliveries = await store.webhooks.insertDeliveries(
    kinds.map((status) => ({
      id: newId('whd'),
      endpointId,
      eventId: event.id,
      status,
      attempts: status === 'pending' ? 0 : 1,
      nextAttemptAt: status === 'pending' ? at : null,
      lastAttemptAt: status === 'pending' ? null : at,
      deliveredAt: status === 'succeeded' ? at : null,
      createdAt: at,
    })),
  );
  return { eventId: event.id, deliveryIds: deliveries.map((d) => d.id) };
}

/** The endpoint's deliveries by status. */
export async function deliveryCounts(store: Store, endpointId: string) {
  const deliveries = await store.webhooks.listDeliveries(endpointId, 100_000);
  const byStatus = (status: DeliveryKind) => deliveries.filter((d) => d.status === status).length;
  return { succeeded: byStatus('succeeded'), failed: byStatus('failed'), pending: byStatus('pending') };
}

/** A fresh account with one endpoint. */
export async function newEndpoint(store: Store): Promise<{ accountId: string; endpointId: string }> {
  const account = await store.accounts.create({ name: 'outbox', plan: 'pro' });
  const endpoint = await store.webhooks.createEndpoint({
    id: newId('whk'),
    accountId: account.id,
    url: 'https://example.com/hook',
    secret: 'whsec_test',
  });
  return { accountId: account.id, endpointId: endpoint.id };
}
