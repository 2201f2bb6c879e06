/**
 * Delivery edges: the outbound guard holds at delivery too (an endpoint saved while the operator allowed
 * loopback receivers is not reached once a server runs without that permission); a delivery that keeps failing
 * past the give-up time fails for good and the endpoint's next event goes.
 */
import { serversForEachTest } from '@agenthuman/server/testing/server-fixture';
import { afterEach, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.js';

const servers = serversForEachTest();
let receiver: WebhookReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
});

it('refuses at delivery a private receiver the operator no longer allows', async () => {
  receiver = await startWebhookReceiver();
  const database = await servers.database('pglite');
  const allowed = await servers.start('pglite', {
    database,
    env: { AGENTHUMAN_ALLOWED_PRIVATE_HOSTS: '127.0.0.1' },
    server: { webhooks: { deliver: false } },
  });
  const { key } = await allowed.newAccount('pro');
  const { webhook } = (
    await allowed.request({ method: 'POST', url: '/v1/webhooks', key, payload: { url: receiver.url } })
  ).json();
  await allowed.request({ method: 'POST', url: `/v1/webhooks/${webhook.webhook_id}/test`, key });
  await allowed.server.close();

  const server = await servers.start('pglite', { database, server: { webhooks: { deliver: false } } });
  expect(await server.server.webhooks.runOnce()).toBe(1);
  const [delivery] = (
    await server.request({ method: 'GET', url: `/v1/webhooks/${webhook.webhook_id}/deliveries`, key })
  ).json().deliveries;
  expect(delivery).toMatchObject({ status: 'pending', attempts: 1, response_status: null });
  expect(delivery.last_error).toMatch(/loopback address .*AGENTHUMAN_ALLOWED_PRIVATE_HOSTS/);
  expect(receiver.received).toHaveLength(0);
});

it('gives a delivery up after its time and lets the endpoint’s next event through', async () => {
  receiver = await startWebhookReceiver();
  const database = await servers.database('pglite');
  const server = await servers.start('pglite', {
    database,
    env: { AGENTHUMAN_ALLOWED_PRIVATE_HOSTS: '127.0.0.1' },
    server: {
      webhooks: { pollMs: 20, schedule: { delaysMs: [50], thenEveryMs: 50, jitter: 0, giveUpAfterMs: 400 } },
    },
  });
  const { key } = await server.newAccount('pro');
  const { webhook } = (
    await server.request({ method: 'POST', url: '/v1/webhooks', key, payload: { url: `${receiver.url}/x` } })
  ).json();
  receiver.answerWith(...Array<number>(100).fill(500));
  const first = (
    await server.request({ method: 'POST', url: `/v1/webhooks/${webhook.webhook_id}/test`, key })
  ).json();
  const second = (
    await server.request({ method: 'POST', url: `/v1/webhooks/${webhook.webhook_id}/test`, key })
  ).json();
  const ids = new Set<string>();
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    for (const r of receiver.received) ids.add(r.headers['webhook-id'] as string);
    if (ids.size === 2) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(ids.size).toBe(2);
  const list = (
    await server.request({ method: 'GET', url: `/v1/webhooks/${webhook.webhook_id}/deliveries`, key })
  ).json().deliveries;
  const byId = Object.fromEntries(list.map((d: { delivery_id: string }) => [d.delivery_id, d]));
  expect(byId[first.delivery.delivery_id]).toMatchObject({
    status: 'failed',
    next_attempt_at: null,
    response_status: 500,
  });
  expect(byId[first.delivery.delivery_id].attempts).toBeGreaterThanOrEqual(2);
  // The first event's attempts all came before the second's.
  const order = receiver.received.map((r) => r.headers['webhook-id']);
  expect(order.lastIndexOf(order[0])).toBeLessThan(order.findIndex((id) => id !== order[0]));
  expect(byId[second.delivery.delivery_id].attempts).toBeGreaterThanOrEqual(1);
});
